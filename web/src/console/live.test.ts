// The console's stores under Node (no browser): what the queue and the map hold after snapshots,
// live updates and answers that cross them.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { StaffAlertView, Unit } from '../shared/alerts.js';
import { LiveStore } from './live.js';
import { FleetStore } from './fleet.js';
import type { UnitPosition } from './types.js';

const T0 = Date.parse('2026-03-01T18:00:00Z');
const iso = (s: number) => new Date(T0 + s * 1000).toISOString();

/** A staff view with what these tests vary; `v` is both its version and how many seconds after T0 it changed. */
function alert(id: string, v: number, over: Partial<StaffAlertView> = {}): StaffAlertView {
  return {
    id, status: 'paging', kind: 'robbery', quadrant: null, assignedUnit: null, pagedUnits: [], nextDeadlineAt: null, escalated: false,
    createdAt: iso(0), acknowledgedAt: null, enRouteAt: null, onSceneAt: null, closedAt: null, version: v, seq: v,
    source: 'citizen', note: null, address: null, lat: 19.43, lon: -99.13, accuracyM: 10, stage: 0, escalatedAt: null, duress: false,
    outcome: null, hold: null, confirmedAt: null, updatedAt: iso(v), ...over,
  } as StaffAlertView;
}
const unit = (id: string, callsign: string) => ({ id, callsign, type: 'car', quadrantIds: [], phone: null, shiftState: 'available' }) as unknown as Unit;
const ids = (list: readonly { id: string }[]) => list.map((a) => a.id);

beforeEach(() => { vi.useFakeTimers(); });
afterEach(() => { vi.useRealTimers(); });

describe('the console\'s live store', () => {
  it('orders updates of one alert by version, never by clock: a higher version with an older updatedAt wins', () => {
    const store = new LiveStore();
    store.upsert(alert('a', 2, { status: 'acknowledged', updatedAt: iso(50) }));
    store.upsert(alert('a', 3, { status: 'en_route', updatedAt: iso(40) })); // the server's clock stepped back
    expect(store.state().alerts.get('a')).toMatchObject({ status: 'en_route', version: 3 });
    store.upsert(alert('a', 2, { status: 'acknowledged', updatedAt: iso(90) })); // a late, older description
    expect(store.state().alerts.get('a')).toMatchObject({ status: 'en_route', version: 3 });
  });

  it('takes a snapshot as the whole truth: open alerts missing from it leave the queue', () => {
    const store = new LiveStore();
    store.apply({ type: 'snapshot', alerts: [alert('a', 1), alert('b', 1)] });
    store.apply({ type: 'snapshot', alerts: [alert('b', 2), alert('c', 1)] }); // after a gap: a was closed meanwhile
    expect(ids(store.state().queue)).toEqual(['b', 'c']);
    expect(store.state().alerts.get('b')?.version).toBe(2);
    expect(store.state().alerts.has('a')).toBe(false);
  });

  it('keeps an alert that closed while selected, out of the queue, until a snapshot lists it open again', () => {
    const store = new LiveStore();
    store.apply({ type: 'snapshot', alerts: [alert('a', 1)] });
    store.apply({ type: 'alert', alert: alert('a', 2, { status: 'resolved', outcome: 'attended' }), events: ['resolve'] });
    expect(ids(store.state().queue)).toEqual([]);
    expect(store.state().alerts.get('a')?.status).toBe('resolved');
    store.apply({ type: 'snapshot', alerts: [] });
    expect(store.state().alerts.get('a')?.status).toBe('resolved');
  });

  it('never lets an older description of an alert overwrite a newer one (an answer crossing a live update)', () => {
    const store = new LiveStore();
    store.upsert(alert('a', 3, { status: 'en_route' }));
    store.upsert(alert('a', 2, { status: 'acknowledged' }));
    expect(store.state().alerts.get('a')).toMatchObject({ status: 'en_route', version: 3 });
    store.apply({ type: 'page', alert: alert('a', 4, { status: 'on_scene' }) });
    expect(store.state().alerts.get('a')).toMatchObject({ status: 'on_scene', version: 4 });
  });

  it('puts held and duress alerts first in the queue', () => {
    const store = new LiveStore();
    store.replaceAlerts([alert('plain', 1), alert('duress', 1, { duress: true }), alert('held', 1, { hold: 'saturation' })]);
    expect(ids(store.state().queue)).toEqual(['held', 'duress', 'plain']);
  });

  it('remembers only the 30 most recently closed alerts', () => {
    const store = new LiveStore();
    for (let i = 0; i < 31; i++) store.upsert(alert(`c${i}`, 1, { status: 'cancelled' }));
    expect(store.state().alerts.size).toBe(30);
    expect(store.state().alerts.has('c0')).toBe(false);
  });

  it('replaces the units on `units`, updates one on `unit`, and lists them by callsign', () => {
    const store = new LiveStore();
    store.apply({ type: 'units', units: [unit('u2', 'P-2'), unit('u1', 'P-1')] });
    store.apply({ type: 'unit', unit: { ...unit('u2', 'P-0') } });
    expect(store.state().units.map((u) => u.callsign)).toEqual(['P-0', 'P-1']);
    store.apply({ type: 'units', units: [unit('u3', 'P-3')] });
    expect(store.state().units.map((u) => u.id)).toEqual(['u3']);
  });

  it('renders a flood of updates a few times a second, not once per message', () => {
    const store = new LiveStore();
    const renders: number[] = [];
    store.subscribe(() => renders.push(store.state().revision));
    for (let i = 1; i <= 50; i++) store.upsert(alert(`a${i}`, 1));
    vi.advanceTimersByTime(0);
    expect(renders).toEqual([50]);
    for (let i = 51; i <= 100; i++) store.upsert(alert(`a${i}`, 1));
    vi.advanceTimersByTime(119);
    expect(renders).toEqual([50]);
    vi.advanceTimersByTime(1);
    expect(renders).toEqual([50, 100]);
  });
});

describe('the console\'s fleet store', () => {
  const fix = (unitId: string, s: number, lat = 19.43): UnitPosition => ({ unitId, lat, lon: -99.13, at: iso(s) }) as unknown as UnitPosition;
  const where = (store: FleetStore, id: string) => store.get(id)?.at;

  it('takes the positions that follow `units` as the whole fleet, and later ones as moves', () => {
    vi.setSystemTime(T0 + 60_000);
    const store = new FleetStore();
    store.apply({ type: 'units', units: [] });
    store.apply({ type: 'positions', positions: [fix('u1', 10), fix('u2', 10)] });
    store.apply({ type: 'positions', positions: [fix('u1', 20)] });
    expect([where(store, 'u1'), where(store, 'u2')]).toEqual([iso(20), iso(10)]);
    store.apply({ type: 'units', units: [] }); // a reconnection: u2 is gone from the fleet
    store.apply({ type: 'positions', positions: [fix('u1', 30)] });
    expect([where(store, 'u1'), where(store, 'u2')]).toEqual([iso(30), undefined]);
  });

  it('never replaces a fix with an older one', () => {
    vi.setSystemTime(T0 + 60_000);
    const store = new FleetStore();
    store.upsert([fix('u1', 20, 19.5)]);
    store.upsert([fix('u1', 10, 19.4)]);
    expect(store.get('u1')).toMatchObject({ at: iso(20), lat: 19.5 });
  });
});
