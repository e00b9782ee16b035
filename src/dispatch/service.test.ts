// The dispatch use-cases on a real database (SQLite and PostgreSQL) with an injected clock:
// paging, the escalation ladder, exactly-once escalation under races, duress, idempotency, flood
// holds and their confirmation, and a unit's shift changing in its alert's transaction.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { availableEngines } from '../../tests/support/engines.js';
import { openStorage, type Storage } from '../storage/index.js';
import { createServices, type Services } from '../services.js';
import { sql } from 'kysely';
import { ManualClock, DomainError } from '../kernel/index.js';
import type { Config } from '../config/index.js';
import type { DeadlineScheduler } from './scheduler.js';
import type { Actor } from './ports.js';
import type { AlertChanged } from './events.js';
import type { Unit } from './model.js';
import { FleetStore } from '../fleet/index.js';

const engines = await availableEngines();

// A 3×3 city of 0.01° squares: Q-r-c; Q-1-1 is in the middle.
const square = (r: number, c: number) => {
  const x = -99.2 + c * 0.01, y = 19.4 + r * 0.01;
  return { type: 'Feature', properties: { clave: `Q-${r}-${c}`, sector: 'S' }, geometry: { type: 'Polygon', coordinates: [[[x, y], [x + 0.01, y], [x + 0.01, y + 0.01], [x, y + 0.01], [x, y]]] } };
};
const city = { type: 'FeatureCollection', features: [0, 1, 2].flatMap((r) => [0, 1, 2].map((c) => square(r, c))) };
const centre = (r: number, c: number) => ({ lat: 19.4 + r * 0.01 + 0.005, lon: -99.2 + c * 0.01 + 0.005 });

describe.each(engines)('dispatch on $name with an injected clock', (engine) => {
  // Every test gets its own world — clock, database, services, units, recorded changes — so none
  // depends on what another left behind, and any one runs alone (`-t`) as it runs in the suite.
  let clock: ManualClock;
  let storage: Storage;
  let cleanup: () => Promise<void>;
  let s: Services;
  let config: Config;
  let scheduler: DeadlineScheduler;
  let changes: AlertChanged[];
  let n = 0;
  const ids = () => `id-${engine.name}-${++n}`;
  let unitIds: Record<string, string>;
  const citizen = (id: string): Actor => ({ userId: id, role: 'citizen', unitId: null });
  const unit = (callsign: string): Actor => ({ userId: `officer-${callsign}`, role: 'unit', unitId: unitIds[callsign]! });
  const dispatcher: Actor = { userId: 'dispatcher-1', role: 'dispatcher', unitId: null };

  beforeEach(async () => {
    clock = new ManualClock(Date.UTC(2026, 10, 22, 3, 0, 0));
    changes = [];
    const fresh = await engine.fresh();
    cleanup = fresh.cleanup;
    config = { ...fresh.config, webhookUrl: 'http://127.0.0.1:9/911', webhookSecret: 'secret' };
    storage = await openStorage({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, schema: config.databaseSchema });
    currentStorage = storage;
    // The composition root's own scheduler, driven by hand on the manual clock.
    s = createServices(storage, config, clock, ids, undefined, undefined, { deadlines: { autoRun: false, sweepMs: 3_600_000, onError: (e) => { throw e; } } });
    await s.quadrants.importSet(null, city, { id: 'clave', sector: 'sector' }, { name: 'grid', source: 'test', activate: true });
    scheduler = s.scheduler;
    s.bus.on('alert.changed', (c) => changes.push(c));
    unitIds = {};
    for (const [callsign, q] of [['CENTRO', 'Q-1-1'], ['ESTE', 'Q-1-2'], ['ESQUINA', 'Q-0-0'], ['LEJOS', 'Q-2-2']] as const) {
      const u = await s.units.create(null, { callsign, type: 'car', quadrantIds: [q] });
      await s.units.setShift(u.id, 'available');
      unitIds[callsign] = u.id;
    }
  });
  afterEach(async () => { scheduler?.stop(); await storage?.close(); await cleanup?.(); });

  const pagesOf = (alertId: string) => changes.filter((c) => c.alert.id === alertId).flatMap((c) => c.pagedUnitIds);
  const escalationsOf = async (alertId: string) => (await s.dispatchStore.events(alertId)).filter((e) => e.type === 'escalate').length;

  it("pages the quadrant's unit, then the next ring at ackTimeout, then 911 at escalateAfter — each once", async () => {
    const t0 = clock.now().getTime();
    const { alert } = await s.dispatch.raise(citizen('c1'), { ...centre(1, 1), kind: 'robbery' }, null);
    expect(alert).toMatchObject({ status: 'paging', ring: 1, quadrantId: 'Q-1-1', nextDeadlineAt: t0 + 30_000, escalatedAt: null });
    expect(pagesOf(alert.id)).toEqual([unitIds.CENTRO]);

    clock.advance(29_999);
    await scheduler.runDue();
    expect(pagesOf(alert.id)).toHaveLength(1);

    clock.advance(1);
    await scheduler.runDue();
    const ring2 = pagesOf(alert.id).slice(1);
    expect(ring2).toContain(unitIds.ESTE); // the neighbouring quadrant's unit
    expect(ring2).not.toContain(unitIds.CENTRO); // never paged twice
    expect((await s.dispatchStore.findAlert(alert.id))).toMatchObject({ ring: 2, nextDeadlineAt: t0 + 90_000, escalatedAt: null });

    clock.advance(60_000);
    await scheduler.runDue();
    const after = (await s.dispatchStore.findAlert(alert.id))!;
    expect(after).toMatchObject({ status: 'escalated', ring: 2, escalatedAt: t0 + 90_000, nextDeadlineAt: null });
    expect(await escalationsOf(alert.id)).toBe(1);
    const view = await s.presenter.view({ role: 'citizen' }, after);
    expect(view).toMatchObject({ status: 'escalated', escalated: true, emergencyNumber: '911' });
    const outbox = await storage.db.selectFrom('webhook_outbox').selectAll().where('alert_id', '=', alert.id).execute();
    expect(outbox).toHaveLength(1);
    const paged = await s.dispatchStore.pagedUnits(alert.id);
    expect(paged.size).toBe(pagesOf(alert.id).length);
  });

  it('escalates exactly once when two timers (or two instances) race for the same deadline', async () => {
    const { alert } = await s.dispatch.raise(citizen('c2'), centre(0, 2), null);
    clock.advance(90_000);
    const twin = createServices(storage, config, clock, ids);
    await twin.quadrants.reload();
    await Promise.all([s.dispatch.processDeadline(alert.id), twin.dispatch.processDeadline(alert.id), s.dispatch.processDeadline(alert.id)]);
    await Promise.all([s.dispatch.processDeadline(alert.id), twin.dispatch.processDeadline(alert.id)]);
    expect(await escalationsOf(alert.id)).toBe(1);
    expect((await s.dispatchStore.findAlert(alert.id))!.status).toBe('escalated');
  });

  it('stops the clock when a unit acknowledges, marks it busy, and frees it when resolved', async () => {
    const { alert } = await s.dispatch.raise(citizen('c3'), centre(1, 1), null);
    const acked = await s.dispatch.act(unit('CENTRO'), alert.id, 'acknowledge');
    expect(acked).toMatchObject({ status: 'acknowledged', assignedUnitId: unitIds.CENTRO, nextDeadlineAt: null });
    expect((await s.units.get(unitIds.CENTRO!)).shiftState).toBe('busy');
    clock.advance(200_000);
    await scheduler.runDue();
    expect(await escalationsOf(alert.id)).toBe(0);
    await expect(s.dispatch.act(unit('CENTRO'), alert.id, 'resolve')).rejects.toMatchObject({ code: 'OUTCOME_REQUIRED' });
    await s.dispatch.act(unit('CENTRO'), alert.id, 'en_route');
    await s.dispatch.act(unit('CENTRO'), alert.id, 'on_scene');
    const done = await s.dispatch.act(unit('CENTRO'), alert.id, 'resolve', { outcome: 'attended' });
    expect(done).toMatchObject({ status: 'resolved', outcome: 'attended' });
    expect((await s.units.get(unitIds.CENTRO!)).shiftState).toBe('available');
    const types = (await s.dispatchStore.events(alert.id)).map((e) => [e.type, e.toStatus]);
    expect(types).toEqual([['created', 'new'], ['page', 'paging'], ['acknowledge', 'acknowledged'], ['en_route', 'en_route'], ['on_scene', 'on_scene'], ['resolve', 'resolved']]);
  });

  it('refuses invalid transitions with a stable code and changes nothing', async () => {
    const { alert } = await s.dispatch.raise(citizen('c4'), centre(1, 1), null);
    await expect(s.dispatch.act(unit('CENTRO'), alert.id, 'on_scene')).rejects.toMatchObject({ code: 'INVALID_TRANSITION' });
    await s.dispatch.act(unit('CENTRO'), alert.id, 'acknowledge');
    clock.advance(30_000);
    await expect(s.dispatch.act(citizen('c4'), alert.id, 'escalate')).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await s.dispatch.act(dispatcher, alert.id, 'resolve', { outcome: 'false_alarm' });
    await expect(s.dispatch.act(unit('CENTRO'), alert.id, 'en_route')).rejects.toMatchObject({ code: 'INVALID_TRANSITION' });
    expect((await s.dispatchStore.findAlert(alert.id))!.status).toBe('resolved');
  });

  it('hides an alert from anyone who may not see it behind the same 404 as a missing one', async () => {
    const { alert } = await s.dispatch.raise(citizen('c5'), centre(1, 1), null);
    const missing = await s.dispatch.visible(citizen('c6'), 'no-such-alert').catch((e: DomainError) => e.code);
    const foreign = await s.dispatch.visible(citizen('c6'), alert.id).catch((e: DomainError) => e.code);
    expect([missing, foreign]).toEqual(['ALERT_NOT_FOUND', 'ALERT_NOT_FOUND']);
    expect(await s.dispatch.visible(unit('LEJOS'), alert.id).catch((e: DomainError) => e.code)).toBe('ALERT_NOT_FOUND');
    expect((await s.dispatch.visible(unit('CENTRO'), alert.id)).id).toBe(alert.id);
  });

  it('keeps the alert going, flagged, when the citizen "cancels" with the duress PIN', async () => {
    const device = await s.accounts.registerDevice();
    const c7 = citizen(device.user.id);
    await s.pins.change(c7.userId, { cancelPin: '1111', duressPin: '9999' }, null, async () => false);
    const verify = (pin: string) => s.pins.check(c7.userId, pin);
    const { alert } = await s.dispatch.raise(c7, centre(1, 1), null);
    await s.dispatch.act(unit('CENTRO'), alert.id, 'acknowledge');
    await expect(s.dispatch.act(c7, alert.id, 'cancel', { pin: '0000', verifyPin: verify })).rejects.toMatchObject({ code: 'WRONG_PIN' });
    clock.advance(1000);
    const seen = await s.dispatch.act(c7, alert.id, 'cancel', { pin: '9999', verifyPin: verify });
    // What a real cancel shows: the unit that took it and when, the time it was cancelled.
    const shown = await s.presenter.view({ role: 'citizen' }, seen);
    expect(shown).toMatchObject({ status: 'cancelled', assignedUnit: { callsign: 'CENTRO' }, nextDeadlineAt: null, closedAt: clock.now().toISOString() });
    expect(shown.acknowledgedAt).not.toBeNull();
    const stored = (await s.dispatchStore.findAlert(alert.id))!;
    expect(stored).toMatchObject({ status: 'acknowledged', duress: true });
    expect(await s.presenter.view({ role: 'dispatcher' }, stored)).toMatchObject({ status: 'acknowledged', duress: true });
    // Staff keep working it; the phone's view never moves, and another cancel answers as for a cancelled alert.
    clock.advance(60_000);
    await s.dispatch.act(unit('CENTRO'), alert.id, 'on_scene');
    expect(await s.presenter.view({ role: 'citizen' }, (await s.dispatchStore.findAlert(alert.id))!)).toEqual(shown);
    for (const pin of ['9999', '1111']) {
      await expect(s.dispatch.act(c7, alert.id, 'cancel', { pin, verifyPin: verify })).rejects.toMatchObject({ code: 'INVALID_TRANSITION', params: { status: 'cancelled' } });
    }
    expect((await s.dispatchStore.findAlert(alert.id))!.status).toBe('on_scene');
    await s.dispatch.act(unit('CENTRO'), alert.id, 'resolve', { outcome: 'attended' });
    expect(await s.presenter.view({ role: 'citizen' }, (await s.dispatchStore.findAlert(alert.id))!)).toEqual(shown);
    // The real cancel PIN really cancels.
    const { alert: other } = await s.dispatch.raise(c7, centre(1, 1), null);
    expect((await s.dispatch.act(c7, other.id, 'cancel', { pin: '1111', verifyPin: verify })).status).toBe('cancelled');
  });

  it('never creates two alerts for one Idempotency-Key, even when retries race', async () => {
    const body = { ...centre(1, 0), kind: 'violence' as const };
    const results = await Promise.all([1, 2, 3].map(() => s.dispatch.raise(citizen('c8'), body, 'retry-key-123')));
    expect(new Set(results.map((r) => r.alert.id)).size).toBe(1);
    expect(results.filter((r) => !r.replayed)).toHaveLength(1);
    await expect(s.dispatch.raise(citizen('c8'), { ...body, kind: 'medical' }, 'retry-key-123')).rejects.toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED' });
    const mine = await s.dispatch.alertsOf(citizen('c8'));
    expect(mine).toHaveLength(1);
  });

  it('holds a flood from one device past its limit: stored, never refused, nobody paged; counted in the database', async () => {
    const flood = citizen('flood');
    const raised = [];
    for (let i = 0; i < 6; i++) raised.push((await s.dispatch.raise(flood, centre(1, 1), null)).alert);
    expect(raised.map((a) => a.hold)).toEqual([null, null, null, null, null, 'saturation']);
    const held = raised[5]!;
    expect(held).toMatchObject({ status: 'new', ring: 0, nextDeadlineAt: null });
    expect(pagesOf(held.id)).toEqual([]);
    expect((await s.dispatchStore.pagedUnits(held.id)).size).toBe(0);
    expect((await s.dispatchStore.findAlert(held.id))!.hold).toBe('saturation');
    // A restart (a new service set on the same database) or another instance counts on.
    const twin = createServices(storage, config, clock, ids);
    await twin.quadrants.reload();
    expect((await twin.dispatch.raise(flood, centre(1, 1), null)).alert.hold).toBe('saturation');
    expect((await s.dispatch.raise(citizen('someone-else'), centre(1, 1), null)).alert.hold).toBeNull();
    clock.advance(2 * 600_000);
    expect((await s.dispatch.raise(flood, centre(1, 1), null)).alert.hold).toBeNull();
  });

  it('counts a network across devices: rotating devices does not multiply it, and other networks are not slowed', async () => {
    const holds = [];
    for (let i = 0; i < 12; i++) holds.push((await s.dispatch.raise(citizen(`rotating-${i}`), centre(1, 1), null, { networkKey: 'net-A' })).alert.hold);
    expect(holds).toEqual([...Array<null>(10).fill(null), 'saturation', 'saturation']);
    const fromB = (await s.dispatch.raise(citizen('on-network-b'), centre(1, 1), null, { networkKey: 'net-B' })).alert;
    expect(fromB).toMatchObject({ hold: null, status: 'paging' });
    expect(pagesOf(fromB.id)).toEqual([unitIds.CENTRO]);
  });

  it('never pages nor escalates a held alert by itself; a dispatcher confirms it and the ladder runs from then', async () => {
    const t0 = clock.now().getTime();
    const newcomer = citizen('on-probation');
    const { alert } = await s.dispatch.raise(newcomer, centre(1, 1), null, { probationUntil: t0 + 3600_000 });
    expect(alert).toMatchObject({ hold: 'saturation', status: 'new', nextDeadlineAt: null });
    clock.advance(10 * 60_000);
    await scheduler.sweep(null);
    await s.dispatch.processDeadline(alert.id);
    expect(await s.dispatchStore.findAlert(alert.id)).toMatchObject({ status: 'new', hold: 'saturation', escalatedAt: null });
    expect(await storage.db.selectFrom('webhook_outbox').selectAll().where('alert_id', '=', alert.id).execute()).toEqual([]);
    // Only a dispatcher confirms: the unit was never paged (it cannot even see it), the citizen may not.
    await expect(s.dispatch.act(unit('CENTRO'), alert.id, 'confirm')).rejects.toMatchObject({ code: 'ALERT_NOT_FOUND' });
    await expect(s.dispatch.act(newcomer, alert.id, 'confirm')).rejects.toMatchObject({ code: 'FORBIDDEN' });

    const t1 = clock.now().getTime();
    const confirmed = await s.dispatch.act(dispatcher, alert.id, 'confirm');
    expect(confirmed).toMatchObject({ hold: null, confirmedAt: t1, status: 'paging', ring: 1, nextDeadlineAt: t1 + 30_000 });
    expect(pagesOf(alert.id)).toEqual([unitIds.CENTRO]);
    await expect(s.dispatch.act(dispatcher, alert.id, 'confirm')).rejects.toMatchObject({ code: 'INVALID_TRANSITION' });
    clock.advance(30_000);
    await scheduler.runDue();
    expect(await s.dispatchStore.findAlert(alert.id)).toMatchObject({ ring: 2, nextDeadlineAt: t1 + 90_000 });
    expect(pagesOf(alert.id)).toContain(unitIds.ESTE);
    clock.advance(60_000);
    await scheduler.runDue();
    expect(await s.dispatchStore.findAlert(alert.id)).toMatchObject({ status: 'escalated', escalatedAt: t1 + 90_000 });
    expect(await storage.db.selectFrom('webhook_outbox').selectAll().where('alert_id', '=', alert.id).execute()).toHaveLength(1);
    expect((await s.dispatchStore.events(alert.id)).map((e) => e.type)).toEqual(['created', 'held', 'confirm', 'page', 'paged', 'escalate']);
  });

  it('lets a dispatcher close a held alert as a false alarm without sending anyone', async () => {
    const { alert } = await s.dispatch.raise(citizen('probation-2'), centre(1, 1), null, { probationUntil: clock.now().getTime() + 60_000 });
    const closed = await s.dispatch.act(dispatcher, alert.id, 'resolve', { outcome: 'false_alarm' });
    expect(closed).toMatchObject({ status: 'resolved', outcome: 'false_alarm', hold: 'saturation' });
    expect(pagesOf(alert.id)).toEqual([]);
    // Probation over: the same device is paged at once again.
    clock.advance(60_000);
    expect((await s.dispatch.raise(citizen('probation-2'), centre(1, 1), null, { probationUntil: clock.now().getTime() - 60_000 })).alert.hold).toBeNull();
  });

  it('holds an officer alarm when asked to (an SOS the track does not support) until a dispatcher confirms it', async () => {
    const alarm = await s.dispatch.raiseOfficerAlarm(unitIds.ESTE!, centre(1, 2).lat, centre(1, 2).lon, { hold: 'unverified_sos' });
    expect(alarm).toMatchObject({ kind: 'officer_in_danger', source: 'officer', hold: 'unverified_sos', status: 'new', nextDeadlineAt: null });
    expect(pagesOf(alarm.id)).toEqual([]);
    expect((await s.dispatch.raiseOfficerAlarm(unitIds.ESTE!, centre(1, 2).lat, centre(1, 2).lon)).id).toBe(alarm.id); // one per SOS
    const confirmed = await s.dispatch.act(dispatcher, alarm.id, 'confirm');
    expect(confirmed.hold).toBeNull();
    expect(pagesOf(alarm.id).length).toBeGreaterThan(0);
    expect(pagesOf(alarm.id)).not.toContain(unitIds.ESTE); // never paged about its own alarm
    await s.dispatch.act(dispatcher, alarm.id, 'cancel');
  });

  it("writes a unit's shift in its alert's transaction: a failure between the two leaves both as they were", async () => {
    const atomic = await s.units.create(null, { callsign: 'ATOMICA', type: 'car', quadrantIds: ['Q-0-1'] });
    await s.units.setShift(atomic.id, 'available');
    const officer: Actor = { userId: 'officer-atomica', role: 'unit', unitId: atomic.id };
    const announced: Unit[] = [];
    const onUnit = (u: Unit) => { if (u.id === atomic.id) announced.push(u); };
    s.fleetBus.on('unit.changed', onUnit);
    try {
      const { alert } = await s.dispatch.raise(citizen('c-atomic'), centre(0, 1), null);
      expect(pagesOf(alert.id)).toEqual([atomic.id]);
      // The unit's write fails after the alert's (as a crash between the two would leave it).
      await injectFailure(engine.name, atomic.id);
      try {
        await expect(s.dispatch.act(officer, alert.id, 'acknowledge')).rejects.toThrow(/injected/);
      } finally {
        await removeFailure(engine.name);
      }
      expect(await s.dispatchStore.findAlert(alert.id)).toMatchObject({ status: 'paging', assignedUnitId: null, acknowledgedAt: null });
      expect((await new FleetStore(s.storage.db).findUnit(atomic.id))!.shiftState).toBe('available');
      expect((await s.units.get(atomic.id)).shiftState).toBe('available');
      expect(announced).toEqual([]);

      const acked = await s.dispatch.act(officer, alert.id, 'acknowledge');
      expect(acked).toMatchObject({ status: 'acknowledged', assignedUnitId: atomic.id });
      expect((await new FleetStore(s.storage.db).findUnit(atomic.id))!.shiftState).toBe('busy');
      expect(announced.map((u) => u.shiftState)).toEqual(['busy']);
      await s.dispatch.act(officer, alert.id, 'resolve', { outcome: 'attended' });
      expect((await new FleetStore(s.storage.db).findUnit(atomic.id))!.shiftState).toBe('available');
      expect((await s.units.get(atomic.id)).shiftState).toBe('available');
      expect(announced.map((u) => u.shiftState)).toEqual(['busy', 'available']);
    } finally {
      s.fleetBus.off('unit.changed', onUnit);
    }
  });

  it('sends an alert outside every quadrant straight to dispatchers with the 911 suggestion', async () => {
    const { alert } = await s.dispatch.raise(citizen('c9'), { lat: 18.9, lon: -99.9 }, null);
    expect(alert).toMatchObject({ quadrantId: null, status: 'escalated', escalatedAt: alert.createdAt });
    expect((await s.dispatch.openAlerts()).map((a) => a.id)).toContain(alert.id);
  });

  it('lets a dispatcher take over and reassign', async () => {
    const { alert } = await s.dispatch.raise(citizen('c10'), centre(1, 1), null);
    const a1 = await s.dispatch.assign(dispatcher, alert.id, unitIds.LEJOS!);
    expect(a1).toMatchObject({ status: 'acknowledged', assignedUnitId: unitIds.LEJOS, nextDeadlineAt: null });
    const a2 = await s.dispatch.assign(dispatcher, alert.id, unitIds.ESQUINA!);
    expect(a2.assignedUnitId).toBe(unitIds.ESQUINA);
    expect((await s.units.get(unitIds.LEJOS!)).shiftState).toBe('available');
    expect((await s.units.get(unitIds.ESQUINA!)).shiftState).toBe('busy');
    await expect(s.dispatch.act(unit('LEJOS'), alert.id, 'en_route')).rejects.toMatchObject({ code: 'NOT_ASSIGNED' });
    await s.dispatch.act(unit('ESQUINA'), alert.id, 'en_route');
  });
});

/** Makes the next write that puts `unitId` on "busy" fail, as a crash between two writes would. */
async function injectFailure(engineName: string, unitId: string): Promise<void> {
  const db = currentStorage!.db;
  if (engineName === 'sqlite') {
    await sql.raw(`create trigger inject_failure before update on units when new.id = '${unitId}' and new.shift_state = 'busy'
      begin select raise(abort, 'injected failure'); end`).execute(db);
  } else {
    await sql.raw(`create or replace function inject_failure() returns trigger language plpgsql as $$
      begin if new.id = '${unitId}' and new.shift_state = 'busy' then raise exception 'injected failure'; end if; return new; end $$`).execute(db);
    await sql.raw('create trigger inject_failure before update on units for each row execute function inject_failure()').execute(db);
  }
}

async function removeFailure(engineName: string): Promise<void> {
  await sql.raw(engineName === 'sqlite' ? 'drop trigger inject_failure' : 'drop trigger inject_failure on units').execute(currentStorage!.db);
}

let currentStorage: Storage | null = null;

