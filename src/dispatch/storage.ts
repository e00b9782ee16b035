// Persistence of alerts (units are the fleet's: src/fleet). Every alert write is a compare-and-set on its version inside a
// transaction with its events and pages, so two racing timers or instances can never both win.
import type { Db } from '../storage/index.js';
import type { AlertsTable } from '../storage/index.js';
import type { ChangeLog } from '../bus/index.js';
import type { Alert, AlertEvent } from './model.js';
import { writeShiftChanges, type UnitShiftChange } from '../fleet/index.js';
import { OPEN_STATUSES, type AlertStatus, type Outcome } from './domain/lifecycle.js';
import type { Ring } from './domain/escalation.js';
import type { HoldReason } from './domain/hold.js';

export interface AlertWrite {
  /** The alert after the write: its version one above the stored one, its seq its last event's. */
  alert: Alert;
  /** Numbered by the writer (alert.seq - events.length + 1 …): the version check makes them unique. */
  events: AlertEvent[];
  pages: { unitId: string; ring: number }[];
  outbox?: { event: string; payload: string; at: number } | undefined;
  /** Units whose shift changes with this alert (busy while working it, available after): same transaction. */
  units?: UnitShiftChange[];
}

export type { UnitShiftChange };

/** The subject, and what it carries, of every committed alert write (to the other instances). */
export const ALERT_CHANGED = 'dispatch.alert.changed';
export interface AlertChangeRecord {
  alert: Alert;
  events: AlertEvent[];
  pagedUnitIds: string[];
  unitsChanged: UnitShiftChange[];
}

export class DispatchStore {
  /** `changes`: with several instances, every alert write is also recorded for the others (src/bus). */
  constructor(private db: Db, private changes: ChangeLog | null = null) {}

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
      .where('status', 'in', OPEN_STATUSES).orderBy('created_at').execute();
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
  /** The open alerts a unit was paged to, in one query (pages are kept for years: most of them are closed). */
  async openAlertsPagedTo(unitId: string): Promise<Alert[]> {
    const rows = await this.db.selectFrom('alerts').innerJoin('alert_pages', 'alert_pages.alert_id', 'alerts.id')
      .selectAll('alerts').where('alert_pages.unit_id', '=', unitId).where('alerts.status', 'in', OPEN_STATUSES)
      .orderBy('alerts.created_at').execute();
    return rows.map(toAlert);
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
      const paged = await writeChildren(trx, write);
      const unitsChanged = await writeShiftChanges(trx, write.units ?? [], write.alert.updatedAt);
      await this.record(trx, write, paged, unitsChanged);
      return write;
    }).finally(() => this.changes?.committed());
  }

  private async record(trx: Db, w: AlertWrite, pagedUnitIds: string[], unitsChanged: UnitShiftChange[]): Promise<void> {
    if (!this.changes) return;
    const change: AlertChangeRecord = { alert: w.alert, events: w.events, pagedUnitIds, unitsChanged };
    await this.changes.record(trx, ALERT_CHANGED, change);
  }

  /** Does the owner have an alert that is open as their phone sees it (a duress-cancelled one looks closed)? */
  async hasOpenAlertSeenBy(ownerId: string): Promise<boolean> {
    const r = await this.db.selectFrom('alerts').select('id').where('owner_id', '=', ownerId)
      .where('status', 'in', OPEN_STATUSES).where('duress', '=', 0)
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
      const paged = await writeChildren(trx, w);
      const unitsChanged = await writeShiftChanges(trx, w.units ?? [], w.alert.updatedAt);
      await this.record(trx, w, paged, unitsChanged);
      return { ok: true, pagedUnitIds: paged, unitsChanged };
    }).finally(() => this.changes?.committed());
  }
}

async function writeChildren(trx: Db, w: AlertWrite): Promise<string[]> {
  if (w.events.length > 0) {
    await trx.insertInto('alert_events').values(w.events.map((e) => ({
      alert_id: e.alertId, seq: e.seq, at: e.at, type: e.type, from_status: e.fromStatus, to_status: e.toStatus,
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

function alertRow(a: Alert): AlertsTable {
  return {
    id: a.id, owner_id: a.ownerId, source: a.source, kind: a.kind, note: a.note, address: a.address,
    lat: a.lat, lon: a.lon, accuracy_m: a.accuracyM, quadrant_id: a.quadrantId, sector: a.sector, alcaldia: a.alcaldia,
    quadrant_set_version: a.quadrantSetVersion, status: a.status, ring: a.ring, next_deadline_at: a.nextDeadlineAt,
    assigned_unit_id: a.assignedUnitId, outcome: a.outcome, duress: a.duress ? 1 : 0, escalated_at: a.escalatedAt,
    created_at: a.createdAt, acknowledged_at: a.acknowledgedAt, en_route_at: a.enRouteAt, on_scene_at: a.onSceneAt,
    closed_at: a.closedAt, updated_at: a.updatedAt, version: a.version, last_seq: a.seq, idempotency_key: a.idempotencyKey, request_hash: a.requestHash,
    hold: a.hold, duress_view: a.duressView, confirmed_at: a.confirmedAt,
  };
}

const num = (v: number | null) => (v === null ? null : Number(v));

function toAlert(r: AlertsTable): Alert {
  return {
    id: r.id, ownerId: r.owner_id, source: r.source as Alert['source'], kind: r.kind as Alert['kind'], note: r.note, address: r.address,
    lat: r.lat, lon: r.lon, accuracyM: r.accuracy_m, quadrantId: r.quadrant_id, sector: r.sector, alcaldia: r.alcaldia,
    quadrantSetVersion: num(r.quadrant_set_version), status: r.status as AlertStatus, ring: Number(r.ring) as Ring,
    nextDeadlineAt: num(r.next_deadline_at), assignedUnitId: r.assigned_unit_id, outcome: r.outcome as Outcome | null,
    duress: Number(r.duress) === 1, escalatedAt: num(r.escalated_at), createdAt: Number(r.created_at),
    acknowledgedAt: num(r.acknowledged_at), enRouteAt: num(r.en_route_at), onSceneAt: num(r.on_scene_at),
    closedAt: num(r.closed_at), updatedAt: Number(r.updated_at), version: Number(r.version), seq: Number(r.last_seq),
    idempotencyKey: r.idempotency_key, requestHash: r.request_hash,
    hold: r.hold as HoldReason | null, duressView: r.duress_view, confirmedAt: num(r.confirmed_at ?? null),
  };
}
