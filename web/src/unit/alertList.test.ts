// The unit page's alert list as plain data, under Node: what the officer sees after snapshots and updates.
import { describe, expect, it } from 'vitest';
import type { StaffAlertView } from '../shared/alerts.js';
import { isRinging, ordered, remove, replaceAll, takenByOther, upsert, type AlertMap } from './alertList.js';

const T0 = Date.parse('2026-03-01T18:00:00Z');
const iso = (s: number) => new Date(T0 + s * 1000).toISOString();
const ME = { id: 'u-me', callsign: 'P-1', type: 'car' } as const;
const OTHER = { id: 'u-other', callsign: 'P-2', type: 'motorcycle' } as const;

/** `v` is both the version and the seconds after T0 of the last change; `born` the creation second. */
function alert(id: string, v: number, over: Partial<StaffAlertView> = {}, born = 0): StaffAlertView {
  return {
    id, status: 'paging', kind: 'robbery', quadrant: null, assignedUnit: null, pagedUnits: [ME], nextDeadlineAt: null, escalated: false,
    createdAt: iso(born), acknowledgedAt: null, enRouteAt: null, onSceneAt: null, closedAt: null, version: v, seq: v,
    source: 'citizen', note: null, address: null, lat: 19.43, lon: -99.13, accuracyM: 10, stage: 1, escalatedAt: null, duress: false,
    outcome: null, hold: null, confirmedAt: null, updatedAt: iso(v), ...over,
  } as StaffAlertView;
}
const map = (...alerts: StaffAlertView[]): AlertMap => new Map(alerts.map((a) => [a.id, a]));

describe('the unit\'s alert list', () => {
  it('orders updates by version, never by clock', () => {
    const known = map(alert('a', 2, { status: 'acknowledged', assignedUnit: ME, updatedAt: iso(50) }));
    expect(upsert(known, alert('a', 3, { status: 'en_route', assignedUnit: ME, updatedAt: iso(40) })).get('a')?.status).toBe('en_route');
    expect(upsert(known, alert('a', 1, { status: 'paging', updatedAt: iso(90) }))).toBe(known);
  });

  it('takes a snapshot as the whole truth for open alerts, keeping the closed ones still on screen', () => {
    const known = map(alert('open-gone', 1), alert('closed', 2, { status: 'resolved' }), alert('kept', 1));
    const next = replaceAll(known, [alert('kept', 3, { status: 'acknowledged', assignedUnit: ME }), alert('new', 1)]);
    expect([...next.keys()].sort()).toEqual(['closed', 'kept', 'new']);
    expect(next.get('kept')?.status).toBe('acknowledged');
  });

  it('never lets an older description overwrite a newer one', () => {
    const known = map(alert('a', 3, { status: 'en_route', assignedUnit: ME }));
    expect(upsert(known, alert('a', 2, { status: 'acknowledged', assignedUnit: ME }))).toBe(known);
    expect(upsert(known, alert('a', 4, { status: 'on_scene', assignedUnit: ME })).get('a')?.status).toBe('on_scene');
  });

  it('rings for alerts nobody has taken, and says when another unit took one', () => {
    expect(isRinging(alert('a', 1))).toBe(true);
    expect(isRinging(alert('a', 2, { status: 'acknowledged', assignedUnit: ME }))).toBe(false);
    expect(takenByOther(alert('a', 2, { status: 'acknowledged', assignedUnit: OTHER }), ME.id)).toBe(true);
    expect(takenByOther(alert('a', 2, { status: 'acknowledged', assignedUnit: ME }), ME.id)).toBe(false);
  });

  it('lists ringing alerts first (oldest first), then the unit\'s own work, then the rest', () => {
    const known = map(
      alert('taken', 2, { status: 'acknowledged', assignedUnit: OTHER }, 1),
      alert('mine', 2, { status: 'en_route', assignedUnit: ME }, 2),
      alert('ringing-new', 1, {}, 5),
      alert('ringing-old', 1, {}, 3),
      alert('closed-mine', 3, { status: 'resolved', assignedUnit: ME }, 0),
    );
    expect(ordered(known, ME.id).map((a) => a.id)).toEqual(['ringing-old', 'ringing-new', 'mine', 'closed-mine', 'taken']);
    expect(ordered(remove(known, 'ringing-old'), ME.id).map((a) => a.id)).toEqual(['ringing-new', 'mine', 'closed-mine', 'taken']);
  });
});
