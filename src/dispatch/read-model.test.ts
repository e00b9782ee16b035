// The rules the realtime hub used to hold, now dispatch's: who gets which view of a change, the
// duress freeze, and who is coming to the citizen.
import { describe, expect, it } from 'vitest';
import { AlertReadModel, approachOf } from './read-model.js';
import { DispatchBus, type AlertChanged } from './events.js';
import type { Alert, AlertEvent } from './model.js';
import type { AlertPresenter } from './presenter.js';
import type { DispatchService } from './service.js';
import type { DispatchStore } from './storage.js';

const alert = (over: Partial<Alert> = {}): Alert => ({
  id: 'a1', ownerId: 'citizen-1', status: 'paging', duress: false, assignedUnitId: null, lat: 19.43, lon: -99.13, ...over,
} as Alert);
const event = (type: AlertEvent['type']): AlertEvent => ({ type } as AlertEvent);

function model(storedPages: string[] = []) {
  const reads: string[] = [];
  const presenter = {
    unitMap: async () => new Map(),
    viewWith: (actor: { role: string }, a: Alert, _units: unknown, paged: readonly string[]) => ({ audience: actor.role, id: a.id, paged: [...paged] }),
  } as unknown as AlertPresenter;
  const store = { pagedUnits: async (id: string) => { reads.push(id); return new Set(storedPages); } } as unknown as DispatchStore;
  return { rm: new AlertReadModel(new DispatchBus(), {} as DispatchService, presenter, store), reads };
}
const change = (a: Alert, types: AlertEvent['type'][], pagedUnitIds: string[] = []): AlertChanged => ({ alert: a, events: types.map(event), pagedUnitIds });

describe('AlertReadModel.fanOut', () => {
  it('renders the staff view once, pages the newly paged units and updates the others', async () => {
    const { rm, reads } = model();
    const created = await rm.fanOut(change(alert(), ['created', 'paged'], ['u1', 'u2']));
    expect(reads).toEqual([]); // a new alert has no pages stored before this change
    expect(created.staff).toEqual({ alert: { audience: 'dispatcher', id: 'a1', paged: ['u1', 'u2'] }, events: ['created', 'paged'] });
    expect(created.newlyPaged).toEqual(['u1', 'u2']);
    const acked = await rm.fanOut(change(alert({ status: 'acknowledged', assignedUnitId: 'u3' }), ['acknowledge']));
    expect(acked.units).toEqual(['u1', 'u2', 'u3']);
    expect(acked.newlyPaged).toEqual([]);
  });

  it('reads the pages of an alert it has not seen (after a restart) once, then keeps them', async () => {
    const { rm, reads } = model(['u9']);
    expect((await rm.fanOut(change(alert(), ['note']))).units).toEqual(['u9']);
    await rm.fanOut(change(alert(), ['note']));
    expect(reads).toEqual(['a1']);
  });

  it('gives the owner their view with the events, and nothing after a duress cancel but the cancel itself', async () => {
    const { rm } = model();
    const plain = await rm.fanOut(change(alert(), ['acknowledge']));
    expect(plain.citizen).toEqual({ ownerId: 'citizen-1', alert: { audience: 'citizen', id: 'a1', paged: [] }, events: ['acknowledge'] });
    const frozenAt = await rm.fanOut(change(alert({ duress: true }), ['duress_cancel']));
    expect(frozenAt.citizen?.events).toEqual(['cancel']);
    const later = await rm.fanOut(change(alert({ duress: true, status: 'en_route' }), ['en_route']));
    expect(later.citizen).toBeNull();
    expect(later.staff.events).toEqual(['en_route']);
  });

  it('an alert without an owner (a dispatcher\'s or an officer\'s) has no citizen audience', async () => {
    const { rm } = model();
    expect((await rm.fanOut(change(alert({ ownerId: null }), ['created']))).citizen).toBeNull();
  });
});

describe('approachOf (who is coming to the citizen)', () => {
  it('is the assigned unit while the alert is open and the unit not there yet', () => {
    expect(approachOf(alert({ status: 'en_route', assignedUnitId: 'u1' }))).toEqual({ alertId: 'a1', ownerId: 'citizen-1', unitId: 'u1', lat: 19.43, lon: -99.13 });
    expect(approachOf(alert({ status: 'acknowledged', assignedUnitId: 'u1' }))?.unitId).toBe('u1');
  });
  it('is nobody on scene, once closed, without a unit or an owner, and never after a duress cancel', () => {
    expect(approachOf(alert({ status: 'on_scene', assignedUnitId: 'u1' }))).toBeNull();
    expect(approachOf(alert({ status: 'resolved', assignedUnitId: 'u1' }))).toBeNull();
    expect(approachOf(alert({ status: 'paging' }))).toBeNull();
    expect(approachOf(alert({ status: 'en_route', assignedUnitId: 'u1', ownerId: null }))).toBeNull();
    expect(approachOf(alert({ status: 'en_route', assignedUnitId: 'u1', duress: true }))).toBeNull();
  });
});
