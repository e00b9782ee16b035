// The hub's subscriptions are its own: close() removes exactly those (it used to call
// removeAllListeners on three buses, silencing the 911 sender's wake-up and tracking's consumers).
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { RealtimeHub } from './hub.js';
import { DispatchBus, type DispatchReadModel } from '../dispatch/index.js';
import { FleetBus } from '../fleet/index.js';
import { TrackingBus } from '../tracking/index.js';
import type { AccountService } from '../accounts/index.js';
import type { CheckinService } from '../family/index.js';

function world() {
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
    now: () => 0, revocationsSince: async () => ({ tokens: [], disabledUserIds: [] }),
  } as unknown as AccountService;
  const family = {
    onCheckin: (l: (e: unknown) => void) => { checkins.on('checkin', l); return () => checkins.off('checkin', l); },
  } as unknown as CheckinService;
  const hub = new RealtimeHub({ dispatch: readModel, accounts, fleetBus, positions: { positions: () => [], viewOf: () => null } as never, trackingBus, checkins: family }, (err) => { throw err; });
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
