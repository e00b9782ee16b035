// The hub's subscriptions are its own: close() removes exactly those (it used to call
// removeAllListeners on three buses, silencing the 911 sender's wake-up and tracking's consumers).
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { RealtimeHub } from './hub.js';
import { DomainError } from '../kernel/index.js';
import { DispatchBus, type DispatchReadModel } from '../dispatch/index.js';
import { FleetBus } from '../fleet/index.js';
import { TrackingBus } from '../tracking/index.js';
import type { AccountService } from '../accounts/index.js';
import type { CheckinService } from '../family/index.js';

function world(session: (token: string) => Promise<unknown> = async () => { throw new Error('not in this test'); }, onError: (err: unknown) => void = (err) => { throw err; }) {
  const dispatchBus = new DispatchBus();
  const fleetBus = new FleetBus();
  const trackingBus = new TrackingBus();
  const sessions = new EventEmitter();
  const checkins = new EventEmitter();
  const readModel = {
    onAlertChanged: (l: never) => dispatchBus.onAlertChanged(l),
    fanOut: async () => { throw new Error('not in this test'); },
    snapshot: async () => ({ alerts: [], units: null }),
    approaches: async () => [],
  } as unknown as DispatchReadModel;
  const accounts = {
    onSessionsEnded: (l: (e: unknown) => void) => { sessions.on('ended', l); return () => sessions.off('ended', l); },
    now: () => 0, revocationsSince: async () => ({ tokens: [], disabledUserIds: [] }), session,
  } as unknown as AccountService;
  const family = {
    onCheckin: (l: (e: unknown) => void) => { checkins.on('checkin', l); return () => checkins.off('checkin', l); },
  } as unknown as CheckinService;
  const hub = new RealtimeHub({ dispatch: readModel, accounts, fleetBus, positions: { positions: () => [], viewOf: () => null } as never, trackingBus, checkins: family }, onError);
  const counts = () => [dispatchBus.listenerCount('alert.changed'), fleetBus.listenerCount('unit.changed'), trackingBus.listenerCount('position'),
    trackingBus.listenerCount('geofence'), sessions.listenerCount('ended'), checkins.listenerCount('checkin')];
  return { hub, dispatchBus, fleetBus, trackingBus, counts };
}

describe('RealtimeHub subscriptions', () => {
  it('subscribes nothing until started, and one listener per source once started', () => {
    const { hub, counts } = world();
    expect(counts()).toEqual([0, 0, 0, 0, 0, 0]);
    hub.start();
    hub.start(); // idempotent
    expect(counts()).toEqual([1, 1, 1, 1, 1, 1]);
    hub.close();
  });

  it('close() removes its own listeners and leaves everyone else\'s', () => {
    const { hub, dispatchBus, fleetBus, trackingBus, counts } = world();
    const heard: string[] = [];
    const offWake = dispatchBus.onAlertChanged(() => heard.push('911 sender'));
    fleetBus.onUnitChanged(() => heard.push('positions'));
    trackingBus.subscribe('sweep', () => heard.push('sweep log'));
    hub.start();
    hub.close();
    expect(counts()).toEqual([1, 1, 0, 0, 0, 0]);
    dispatchBus.emit('alert.changed', { alert: {} as never, events: [], pagedUnitIds: [] });
    fleetBus.emit('unit.changed', {} as never);
    trackingBus.emit('sweep', {} as never);
    expect(heard).toEqual(['911 sender', 'positions', 'sweep log']);
    offWake();
    expect(dispatchBus.listenerCount('alert.changed')).toBe(0);
  });
});

/** Just enough of a ws socket: what the hub sends and how it closes it. */
function fakeSocket() {
  const s = Object.assign(new EventEmitter(), {
    OPEN: 1, readyState: 1, sent: [] as string[], closedWith: null as number | null,
    send(data: string) { s.sent.push(data); },
    close(code: number) { s.closedWith = code; s.readyState = 3; s.emit('close', code); },
  });
  return s;
}
const settle = () => new Promise((r) => setTimeout(r, 0));

describe('RealtimeHub sign-in and availability', () => {
  it('signs a page out (4401) only for a refused token; when the session cannot be checked it asks it to try again (1011)', async () => {
    const refused = world(async () => { throw new DomainError('INVALID_TOKEN'); });
    const a = fakeSocket();
    refused.hub.attach(a as never);
    a.emit('message', JSON.stringify({ type: 'auth', token: 't' }));
    await settle();
    expect(a.closedWith).toBe(4401);

    const errors: unknown[] = [];
    const down = world(async () => { throw new Error('connect ECONNREFUSED 127.0.0.1:5432'); }, (err) => errors.push(err));
    const b = fakeSocket();
    down.hub.attach(b as never);
    b.emit('message', JSON.stringify({ type: 'auth', token: 't' }));
    await settle();
    expect(b.closedWith).toBe(1011);
    expect(errors).toHaveLength(1);
  });

  it('while unavailable (cut off from the bus) turns new sockets away with 1012, and takes them again once available', async () => {
    const { hub } = world(async () => { throw new DomainError('INVALID_TOKEN'); });
    hub.setAvailable(false, 'event bus unavailable');
    expect(hub.accepting).toBe(false);
    const s = fakeSocket();
    hub.attach(s as never);
    expect(s.closedWith).toBe(1012);
    hub.setAvailable(true);
    const t = fakeSocket();
    hub.attach(t as never);
    expect(t.closedWith).toBeNull();
    t.close(1000);
    hub.close();
  });
});

describe('RealtimeHub: one alert, in order, per socket', () => {
  /** A hub whose read model answers a dispatcher's snapshot (alert a1 at version 3) only when released. */
  function staffWorld() {
    const dispatchBus = new DispatchBus();
    let release: () => void = () => undefined;
    const snapshotRead = new Promise<void>((r) => { release = r; });
    const readModel = {
      onAlertChanged: (l: never) => dispatchBus.onAlertChanged(l),
      fanOut: async (c: { alert: { id: string; version: number } }) => ({
        alertId: c.alert.id, approach: null, staff: { alert: { ...c.alert, pagedUnits: [] }, events: [] }, units: [], newlyPaged: [], citizen: null,
      }),
      snapshot: async () => { await snapshotRead; return { alerts: [{ id: 'a1', version: 3 }], units: null }; },
      approaches: async () => [],
    } as unknown as DispatchReadModel;
    const accounts = {
      onSessionsEnded: () => () => undefined, now: () => 0, revocationsSince: async () => ({ tokens: [], disabledUserIds: [] }),
      session: async () => ({ principal: { userId: 'd1', role: 'dispatcher', unitId: null }, tokenHash: 'h', expiresAt: Number.MAX_SAFE_INTEGER, mustChangePassword: false }),
    } as unknown as AccountService;
    const checkins = { onCheckin: () => () => undefined } as unknown as CheckinService;
    const hub = new RealtimeHub({ dispatch: readModel, accounts, fleetBus: new FleetBus(), positions: { positions: () => [], viewOf: () => null } as never, trackingBus: new TrackingBus(), checkins }, (err) => { throw err; });
    hub.start();
    const change = (version: number) => dispatchBus.emit('alert.changed', { alert: { id: 'a1', version } as never, events: [], pagedUnitIds: [] });
    return { hub, change, release };
  }
  const alertVersions = (s: ReturnType<typeof fakeSocket>) => s.sent.map((m) => JSON.parse(m) as { type: string; alert?: { version: number } })
    .filter((m) => m.type === 'snapshot' || m.type === 'alert').map((m) => (m.type === 'snapshot' ? 'snapshot' : m.alert!.version));

  it('holds changes that arrive while the snapshot is read, then sends only those newer than it; never an older version after a newer', async () => {
    const { hub, change, release } = staffWorld();
    const s = fakeSocket();
    hub.attach(s as never);
    s.emit('message', JSON.stringify({ type: 'auth', token: 't' }));
    await settle();
    change(2); // already in the snapshot (v3): never shown after it
    change(4);
    await settle();
    expect(alertVersions(s)).toEqual([]); // nothing before the snapshot
    release();
    await settle(); await settle();
    expect(alertVersions(s)).toEqual(['snapshot', 4]);
    change(3); // late, from another instance: older than what the console shows
    change(5);
    await settle(); await settle();
    expect(alertVersions(s)).toEqual(['snapshot', 4, 5]);
    s.close(1000);
    hub.close();
  });
});
