import { describe, expect, it } from 'vitest';
import { holdAfter, holdFor, type FloodVerdicts } from './hold.js';
import { checkTransition } from './lifecycle.js';

const now = 1_000_000;
const calm: FloodVerdicts = { deviceOver: false, networkOver: false, probationUntil: null };

describe('which alerts wait for a dispatcher', () => {
  it('pages a citizen at once while neither the device nor its network is past its limit', () => {
    expect(holdFor({ source: 'citizen', requested: null, flood: calm, now })).toBeNull();
    expect(holdFor({ source: 'citizen', requested: null, flood: { ...calm, networkOver: null }, now })).toBeNull(); // not over HTTP
  });

  it('holds (never refuses) past the device limit, past the network limit, or from a device on probation', () => {
    expect(holdFor({ source: 'citizen', requested: null, flood: { ...calm, deviceOver: true }, now })).toBe('saturation');
    expect(holdFor({ source: 'citizen', requested: null, flood: { ...calm, networkOver: true }, now })).toBe('saturation');
    expect(holdFor({ source: 'citizen', requested: null, flood: { ...calm, probationUntil: now + 1 }, now })).toBe('saturation');
    expect(holdFor({ source: 'citizen', requested: null, flood: { ...calm, probationUntil: now }, now })).toBeNull(); // probation over
  });

  it('never counts staff, but holds whatever the caller asks to hold', () => {
    const flooded: FloodVerdicts = { deviceOver: true, networkOver: true, probationUntil: now + 1 };
    expect(holdFor({ source: 'dispatcher', requested: null, flood: flooded, now })).toBeNull();
    expect(holdFor({ source: 'officer', requested: null, flood: null, now })).toBeNull();
    expect(holdFor({ source: 'officer', requested: 'unverified_sos', flood: null, now })).toBe('unverified_sos');
    expect(holdFor({ source: 'citizen', requested: 'unverified_sos', flood: calm, now })).toBe('unverified_sos');
  });

  it('releases a held alert when a dispatcher sends help, and keeps the reason when it is closed', () => {
    for (const a of ['confirm', 'acknowledge', 'assign', 'escalate'] as const) expect(holdAfter(a, 'saturation')).toBeNull();
    for (const a of ['cancel', 'resolve'] as const) expect(holdAfter(a, 'saturation')).toBe('saturation');
    expect(holdAfter('cancel', null)).toBeNull();
  });
});

describe('confirming a held alert', () => {
  it('is a dispatcher action on a held alert only', () => {
    expect(checkTransition('new', 'confirm', 'dispatcher', null, true)).toEqual({ ok: true, to: 'new' });
    expect(checkTransition('new', 'confirm', 'dispatcher', null, false)).toEqual({ ok: false, reason: 'invalid_transition' });
    expect(checkTransition('paging', 'confirm', 'dispatcher', null, false)).toEqual({ ok: false, reason: 'invalid_transition' });
    expect(checkTransition('new', 'confirm', 'unit', null, true)).toEqual({ ok: false, reason: 'not_allowed' });
    expect(checkTransition('new', 'confirm', 'owner', null, true)).toEqual({ ok: false, reason: 'not_allowed' });
  });

  it('keeps the system off a held alert: it is never paged or handed to 911 by a timer', () => {
    expect(checkTransition('new', 'page', 'system', null, true)).toEqual({ ok: false, reason: 'not_allowed' });
    expect(checkTransition('new', 'escalate', 'system', null, true)).toEqual({ ok: false, reason: 'not_allowed' });
    expect(checkTransition('new', 'escalate', 'dispatcher', null, true)).toEqual({ ok: true, to: 'escalated' });
  });

  it('lets a dispatcher close a held alert as a false alarm, or cancel it; the citizen may cancel it too', () => {
    expect(checkTransition('new', 'resolve', 'dispatcher', 'false_alarm', true)).toEqual({ ok: true, to: 'resolved' });
    expect(checkTransition('new', 'cancel', 'dispatcher', null, true)).toEqual({ ok: true, to: 'cancelled' });
    expect(checkTransition('new', 'cancel', 'owner', null, true)).toEqual({ ok: true, to: 'cancelled' });
  });
});
