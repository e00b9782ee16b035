// The SOS check on a table: a recent fix the unit could have come from pages by itself; no
// recent fix, or one the unit could not have come from, holds the alert for a dispatcher.
import { describe, expect, it } from 'vitest';
import type { Fix } from './fix.js';
import { DEFAULT_PIPELINE } from './pipeline.js';
import { checkSos } from './sos.js';

const NOW = Date.UTC(2026, 10, 22, 12, 0, 0);
const settings = { trackWindowMs: 10 * 60_000, maxSpeedMps: DEFAULT_PIPELINE.maxSpeedMps };
const last = (over: Partial<Fix> = {}): Fix => ({
  unitId: 'u1', unitType: 'car', source: 'osmand', trackerId: 't1', at: NOW - 60_000, receivedAt: NOW - 60_000, lat: 19.43, lon: -99.13,
  speedMps: 8, course: 90, altitudeM: 2240, accuracyM: 8, batteryPct: 80, alarm: null, attributes: {}, quadrantId: null, late: false, ...over,
});
/** About `m` metres north of the last fix. */
const north = (m: number, at = NOW) => ({ lat: 19.43 + m / 111_320, lon: -99.13, at, accuracyM: 10 });

describe('SOS against the unit\'s recent track', () => {
  it.each([
    ['at the last fix, a minute later', north(0), last(), 'car', { verified: true }],
    ['2 km on, a minute later (33 m/s, a car may)', north(2000), last(), 'car', { verified: true }],
    ['2 km on, a minute later, on foot', north(2000), last(), 'foot', { verified: false, reason: 'implausible_jump' }],
    ['600 km away', north(600_000), last(), 'car', { verified: false, reason: 'implausible_jump' }],
    ['no fix in the report: goes where the last fix is', null, last(), 'car', { verified: true }],
    ['no fix at all for the unit', north(0), undefined, 'car', { verified: false, reason: 'no_recent_fix' }],
    ['the last fix is 11 minutes old', north(0), last({ at: NOW - 11 * 60_000 }), 'car', { verified: false, reason: 'no_recent_fix' }],
    ['a web fix counts as much as the tracker\'s', north(100), last({ source: 'web' }), 'car', { verified: true }],
    ['an SOS dated in the future cannot stretch the allowance', north(30_000, NOW + 10 * 60_000), last(), 'car', { verified: false, reason: 'implausible_jump' }],
    ['an SOS older than the last fix is judged too', north(50_000, NOW - 120_000), last(), 'car', { verified: false, reason: 'implausible_jump' }],
  ] as const)('%s', (_name, sos, fix, type, expected) => {
    expect(checkSos(sos, fix, type, NOW, settings)).toEqual(expected);
  });
});
