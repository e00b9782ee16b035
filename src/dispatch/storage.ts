// Persistence of units and alerts. Every alert write is a compare-and-set on its version inside a
// transaction with its events and pages, so two racing timers or instances can never both win.
import type { Db } from '../storage/index.js';
import type { AlertsTable } from '../storage/schema.js';
import type { Alert, AlertEvent, Unit } from './model.js';
import type { AlertStatus, Outcome } from './domain/lifecycle.js';
import type { ShiftState, Stage } from './domain/escalation.js';
import type { HoldReason } from './domain/hold.js';

export interface AlertWrite {
  alert: Alert;
  events: Omit<AlertEvent, 'seq'>[];
  pages: { unitId: string; ring: number }[];
  outbox?: { event: string; payload: string; at: number } | undefined;
  /** Units whose shift changes with this alert (busy while working it, available after): same transaction. */
  units?: UnitShiftChange[];
}

export interface UnitShiftChange {
  unitId: string;
  state: ShiftState;
  /** Dispatch's own moves never bring an off-duty unit back on shift (a console assignment does). */
  unlessOffDuty: boolean;
}

export class DispatchStore {
  constructor(private db: Db) {}

  // ——— units ———
  async insertUnit(u: Unit): Promise<void> {
    await this.db.insertInto('units').values(unitRow(u)).execute();
  }
  async updateUnit(u: Unit): Promise<void> {
    await this.db.updateTable('units').set(unitRow(u)).where('id', '=', u.id).execute();
  }
  async listUnits(): Promise<Unit[]> {
    return (await this.db.selectFrom('units').selectAll().orderBy('callsign').execute()).map(toUnit);
  }
  async findUnit(id: string): Promise<Unit | undefined> {
    const r = await this.db.selectFrom('units').selectAll().where('id', '=', id).executeTakeFirst();
    return r && toUnit(r);
  }
  async findUnitByCallsign(callsign: string): Promise<Unit | undefined> {
    const r = await this.db.selectFrom('units').selectAll().where('callsign', '=', callsign).executeTakeFirst();
    return r && toUnit(r);
  }

  // ——— alerts ———
  async findAlert(id: string): Promise<Alert | undefined> {
    const r = await this.db.selectFrom('alerts').selectAll().where('id', '=', id).executeTakeFirst();
    return r && toAlert(r);
  }
  async findByIdempotencyKey(ownerId: string, key: string): Promise<Alert | undefined> {
    const r = await this.db.selectFrom('alerts').selectAll().where('owner_id', '=', ownerId).where('idempotency_key', '=', key).executeTakeFirst();
    return r && toAlert(r);
  }
  async openAlerts(): Promise<Alert[]> {
    const rows = await this.db.selectFrom('alerts').selectAll()
      .where('status', 'in', ['new', 'paging', 'acknowledged', 'en_route', 'on_scene', 'escalated']).orderBy('created_at').execute();
    return rows.map(toAlert);
  }
  /** Alerts with a deadline (up to `until`, epoch ms, when given): read through the alerts_deadline index. */
  async alertsWithDeadline(until: number | null = null): Promise<{ id: string; at: number }[]> {
    let q = this.db.selectFrom('alerts').select(['id', 'next_deadline_at']).where('next_deadline_at', 'is not', null);
    if (until !== null) q = q.where('next_deadline_at', '<=', until);
    const rows = await q.execute();
    return rows.map((r) => ({ id: r.id, at: Number(r.next_deadline_at) }));
  }
  async alertsOf(ownerId: string, limit: number): Promise<Alert[]> {
    const rows = await this.db.selectFrom('alerts').selectAll().where('owner_id', '=', ownerId).orderBy('created_at', 'desc').limit(limit).execute();
    return rows.map(toAlert);
  }
  async alertsBetween(from: number, to: number): Promise<Alert[]> {
    const rows = await this.db.selectFrom('alerts').selectAll().where('created_at', '>=', from).where('created_at', '<', to).execute();
    return rows.map(toAlert);
  }
  async pagedUnits(alertId: string): Promise<Set<string>> {
    const rows = await this.db.selectFrom('alert_pages').select('unit_id').where('alert_id', '=', alertId).execute();
    return new Set(rows.map((r) => r.unit_id));
  }
  async pagesForUnit(unitId: string): Promise<string[]> {
    const rows = await this.db.selectFrom('alert_pages').select('alert_id').where('unit_id', '=', unitId).execute();
    return rows.map((r) => r.alert_id);
  }
  async events(alertId: string, afterSeq = 0): Promise<AlertEvent[]> {
    const rows = await this.db.selectFrom('alert_events').selectAll().where('alert_id', '=', alertId).where('seq', '>', afterSeq).orderBy('seq').execute();
    return rows.map((r) => ({
      alertId: r.alert_id, seq: Number(r.seq), at: Number(r.at), type: r.type as AlertEvent['type'],
      fromStatus: r.from_status as AlertStatus | null, toStatus: r.to_status as AlertStatus | null,
      actorId: r.actor_id, actorRole: r.actor_role, unitId: r.unit_id, details: JSON.parse(r.details) as Record<string, unknown>,
    }));
  }

  /**
   * Inserts a new alert with its first events and pages, atomically. Given a function, it runs first
   * inside the same transaction (the flood counters: they count only alerts that were stored) and
   * answers the write to make.
   */
  async createAlert(w: AlertWrite | ((trx: Db) => Promise<AlertWrite>)): Promise<AlertWrite> {
    return this.db.transaction().execute(async (trx) => {
      const write = typeof w === 'function' ? await w(trx) : w;
      await trx.insertInto('alerts').values(alertRow(write.alert)).execute();
      await writeChildren(trx, write, 0);
      await writeUnits(trx, write);
      return write;
    });
  }

  /** Does the owner have an alert that is open as their phone sees it (a duress-cancelled one looks closed)? */
  async hasOpenAlertSeenBy(ownerId: string): Promise<boolean> {
    const r = await this.db.selectFrom('alerts').select('id').where('owner_id', '=', ownerId)
      .where('status', 'in', ['new', 'paging', 'acknowledged', 'en_route', 'on_scene', 'escalated']).where('duress', '=', 0)
      .limit(1).executeTakeFirst();
    return r !== undefined;
  }

  /**
   * Writes the alert if its stored version is still `expectedVersion`; returns false when another
   * writer got there first (the caller re-reads and re-decides). Pages already sent are skipped.
   */
  async updateAlert(w: AlertWrite, expectedVersion: number): Promise<{ ok: boolean; pagedUnitIds: string[]; unitsChanged: UnitShiftChange[] }> {
    return this.db.transaction().execute(async (trx) => {
      const res = await trx.updateTable('alerts').set(alertRow(w.alert))
        .where('id', '=', w.alert.id).where('version', '=', expectedVersion).executeTakeFirst();
      if (Number(res.numUpdatedRows) !== 1) return { ok: false, pagedUnitIds: [], unitsChanged: [] };
      const last = await trx.selectFrom('alert_events').select((eb) => eb.fn.max('seq').as('s')).where('alert_id', '=', w.alert.id).executeTakeFirst();
      const paged = await writeChildren(trx, w, Number(last?.s ?? 0));
      const unitsChanged = await writeUnits(trx, w);
      return { ok: true, pagedUnitIds: paged, unitsChanged };
    });
  }
}

async function writeChildren(trx: Db, w: AlertWrite, lastSeq: number): Promise<string[]> {
  let seq = lastSeq;
  if (w.events.length > 0) {
    await trx.insertInto('alert_events').values(w.events.map((e) => ({
      alert_id: e.alertId, seq: ++seq, at: e.at, type: e.type, from_status: e.fromStatus, to_status: e.toStatus,
      actor_id: e.actorId, actor_role: e.actorRole, unit_id: e.unitId, details: JSON.stringify(e.details),
    }))).execute();
  }
  const paged: string[] = [];
  for (const p of w.pages) {
    // The primary key (alert, unit) is what guarantees a unit is never paged twice.
    const r = await trx.insertInto('alert_pages').values({ alert_id: w.alert.id, unit_id: p.unitId, ring: p.ring, paged_at: w.alert.updatedAt })
      .onConflict((oc) => oc.columns(['alert_id', 'unit_id']).doNothing()).executeTakeFirst();
    if (Number(r.numInsertedOrUpdatedRows ?? 0) === 1) paged.push(p.unitId);
  }
  if (w.outbox) {
    await trx.insertInto('webhook_outbox').values({ alert_id: w.alert.id, event: w.outbox.event, payload: w.outbox.payload, attempts: 0, next_attempt_at: w.outbox.at, delivered_at: null, last_error: null, locked_until: null, created_at: w.outbox.at })
      .onConflict((oc) => oc.columns(['alert_id', 'event']).doNothing()).execute();
  }
  return paged;
}

/** The units' shift changes of an alert write, in its transaction; answers those that changed. */
async function writeUnits(trx: Db, w: AlertWrite): Promise<UnitShiftChange[]> {
  const changed: UnitShiftChange[] = [];
  for (const c of w.units ?? []) {
    let q = trx.updateTable('units').set({ shift_state: c.state, updated_at: w.alert.updatedAt })
      .where('id', '=', c.unitId).where('shift_state', '!=', c.state);
    if (c.unlessOffDuty) q = q.where('shift_state', '!=', 'off_duty');
    const r = await q.executeTakeFirst();
    if (Number(r.numUpdatedRows) === 1) changed.push(c);
  }
  return changed;
}

function unitRow(u: Unit) {
  return { id: u.id, callsign: u.callsign, type: u.type, phone: u.phone, shift_state: u.shiftState, quadrant_ids: JSON.stringify(u.quadrantIds), created_at: u.createdAt, updated_at: u.updatedAt };
}
function toUnit(r: { id: string; callsign: string; type: string; phone: string | null; shift_state: string; quadrant_ids: string; created_at: number; updated_at: number }): Unit {
  return { id: r.id, callsign: r.callsign, type: r.type as Unit['type'], phone: r.phone, shiftState: r.shift_state as ShiftState, quadrantIds: JSON.parse(r.quadrant_ids) as string[], createdAt: Number(r.created_at), updatedAt: Number(r.updated_at) };
}

function alertRow(a: Alert): AlertsTable {
  return {
    id: a.id, owner_id: a.ownerId, source: a.source, kind: a.kind, note: a.note, address: a.address,
    lat: a.lat, lon: a.lon, accuracy_m: a.accuracyM, quadrant_id: a.quadrantId, sector: a.sector, alcaldia: a.alcaldia,
    quadrant_set_version: a.quadrantSetVersion, status: a.status, stage: a.stage, next_deadline_at: a.nextDeadlineAt,
    assigned_unit_id: a.assignedUnitId, outcome: a.outcome, duress: a.duress ? 1 : 0, escalated_at: a.escalatedAt,
    created_at: a.createdAt, acknowledged_at: a.acknowledgedAt, en_route_at: a.enRouteAt, on_scene_at: a.onSceneAt,
    closed_at: a.closedAt, updated_at: a.updatedAt, version: a.version, idempotency_key: a.idempotencyKey, request_hash: a.requestHash,
    hold: a.hold, duress_view: a.duressView, confirmed_at: a.confirmedAt,
  };
}

const num = (v: number | null) => (v === null ? null : Number(v));

function toAlert(r: AlertsTable): Alert {
  return {
    id: r.id, ownerId: r.owner_id, source: r.source as Alert['source'], kind: r.kind as Alert['kind'], note: r.note, address: r.address,
    lat: r.lat, lon: r.lon, accuracyM: r.accuracy_m, quadrantId: r.quadrant_id, sector: r.sector, alcaldia: r.alcaldia,
    quadrantSetVersion: num(r.quadrant_set_version), status: r.status as AlertStatus, stage: Number(r.stage) as Stage,
    nextDeadlineAt: num(r.next_deadline_at), assignedUnitId: r.assigned_unit_id, outcome: r.outcome as Outcome | null,
    duress: Number(r.duress) === 1, escalatedAt: num(r.escalated_at), createdAt: Number(r.created_at),
    acknowledgedAt: num(r.acknowledged_at), enRouteAt: num(r.en_route_at), onSceneAt: num(r.on_scene_at),
    closedAt: num(r.closed_at), updatedAt: Number(r.updated_at), version: Number(r.version),
    idempotencyKey: r.idempotency_key, requestHash: r.request_hash,
    hold: r.hold as HoldReason | null, duressView: r.duress_view, confirmedAt: num(r.confirmed_at ?? null),
  };
}
