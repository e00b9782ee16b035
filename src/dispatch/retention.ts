// Retention of alerts (the job that runs it is src/retention): the SQL over dispatch's own tables.
// Only closed alerts are ever touched; every statement is bounded by `limit` and safe to run from
// several instances at once (each row changes once; a second runner finds nothing left to do).
import type { Db } from '../storage/index.js';
import { ALERT_STATUSES, isOpen } from './domain/lifecycle.js';

const CLOSED = ALERT_STATUSES.filter((s) => !isOpen(s));
/** Event roles that stand for the citizen who raised the alert (their device id is the actor). */
const CITIZEN_ROLES = ['citizen', 'owner'];

export interface ExactAlert { id: string; lat: number; lon: number; quadrantId: string | null; quadrantSetVersion: number | null }
export interface Point { lat: number; lon: number }

/**
 * Where a reduced alert stays: its quadrant's representative point (inside the quadrant, so the
 * alert still counts there on any map), or, outside every quadrant, the position rounded to 0.01°
 * (about 1.1 km): lat/lon are NOT NULL, and a coarse point still shows where the city's alerts are.
 */
export function reducedLocation(a: ExactAlert, quadrantPoint: Point | null): Point {
  if (quadrantPoint) return { lat: quadrantPoint.lat, lon: quadrantPoint.lon };
  const round2 = (v: number) => Math.round(v * 100) / 100;
  return { lat: round2(a.lat), lon: round2(a.lon) };
}

export class DispatchRetention {
  constructor(private db: Db) {}

  /**
   * Closed before `cutoff` and still at their exact location, read through the partial index
   * alerts_exact_closed (only a closing sets closed_at; reduce() checks the status again).
   */
  async exactClosedAlerts(cutoff: number, limit: number): Promise<ExactAlert[]> {
    const rows = await this.db.selectFrom('alerts').select(['id', 'lat', 'lon', 'quadrant_id', 'quadrant_set_version'])
      .where('location_reduced_at', 'is', null).where('closed_at', '<', cutoff)
      .orderBy('closed_at').limit(limit).execute();
    return rows.map((r) => ({ id: r.id, lat: Number(r.lat), lon: Number(r.lon), quadrantId: r.quadrant_id, quadrantSetVersion: r.quadrant_set_version === null ? null : Number(r.quadrant_set_version) }));
  }

  /**
   * Replaces each alert's exact location with `to` and cuts every tie to the citizen's device: the
   * owner, the idempotency key and request hash (a hash of the exact body), the duress view, the
   * citizen as actor of its events; address, note and accuracy go too. A delivered 911 hand-off's
   * stored copy gets the same coarse point (one not yet delivered is open work: left as it is).
   * Returns how many alerts this call reduced (0 for ones another runner reduced first).
   */
  async reduce(alerts: readonly { id: string; to: Point }[], now: number): Promise<number> {
    if (alerts.length === 0) return 0;
    const ids = alerts.map((a) => a.id);
    const byPoint = new Map<string, { to: Point; ids: string[] }>();
    for (const a of alerts) {
      const k = `${a.to.lat},${a.to.lon}`;
      const g = byPoint.get(k) ?? { to: a.to, ids: [] };
      g.ids.push(a.id);
      byPoint.set(k, g);
    }
    return this.db.transaction().execute(async (trx) => {
      let reduced = 0;
      // One statement per point: a batch holds at most a few hundred distinct quadrants.
      for (const { to, ids: group } of byPoint.values()) {
        const r = await trx.updateTable('alerts').set((eb) => ({
          lat: to.lat, lon: to.lon, accuracy_m: null, address: null, note: null, owner_id: null,
          idempotency_key: null, request_hash: null, duress_view: null, location_reduced_at: now,
          // A writer holding the exact row (compare-and-set on version) can no longer put it back.
          version: eb('version', '+', 1),
        })).where('id', 'in', group).where('location_reduced_at', 'is', null).where('status', 'in', CLOSED).executeTakeFirst();
        reduced += Number(r.numUpdatedRows);
      }
      await trx.updateTable('alert_events').set({ actor_id: null })
        .where('alert_id', 'in', ids).where('actor_role', 'in', CITIZEN_ROLES).where('actor_id', 'is not', null).execute();
      const points = new Map(alerts.map((a) => [a.id, a.to]));
      const sent = await trx.selectFrom('webhook_outbox').select(['id', 'alert_id', 'payload'])
        .where('alert_id', 'in', ids).where('delivered_at', 'is not', null).execute();
      for (const row of sent) {
        const payload = coarsePayload(row.payload, points.get(row.alert_id)!);
        if (payload !== row.payload) await trx.updateTable('webhook_outbox').set({ payload }).where('id', '=', row.id).execute();
      }
      return reduced;
    });
  }

  /** Events of alerts closed before `cutoff` (the alert keeps its own timestamps). */
  async deleteClosedAlertEvents(cutoff: number, limit: number): Promise<number> {
    // Every event of an alert closed before the cutoff is older than it: the alert_events_at range,
    // each joined to its alert by key. (CROSS JOIN keeps that order on SQLite, which would otherwise
    // walk every closed alert; PostgreSQL plans it as the inner join it is.)
    const r = await this.db.deleteFrom('alert_events').where('id', 'in', (eb) => eb.selectFrom('alert_events as e')
      .crossJoin('alerts as a').select('e.id').whereRef('a.id', '=', 'e.alert_id')
      .where('e.at', '<', cutoff).where('a.closed_at', '<', cutoff).where('a.status', 'in', CLOSED).limit(limit)).executeTakeFirst();
    return Number(r.numDeletedRows);
  }

  /**
   * Alerts closed before `cutoff`, with their pages, events and 911 hand-off rows (delivered or
   * not: the alert itself is past its period). `selected` says whether a full batch was found.
   */
  async deleteClosedAlerts(cutoff: number, limit: number): Promise<{ selected: number; alerts: number; events: number; pages: number; outbox: number }> {
    return this.db.transaction().execute(async (trx) => {
      // closed_at ≥ created_at: the alerts_status (status, created_at) index finds them.
      const ids = (await trx.selectFrom('alerts').select('id').where('status', 'in', CLOSED)
        .where('created_at', '<', cutoff).where('closed_at', '<', cutoff).limit(limit).execute()).map((r) => r.id);
      if (ids.length === 0) return { selected: 0, alerts: 0, events: 0, pages: 0, outbox: 0 };
      const events = await trx.deleteFrom('alert_events').where('alert_id', 'in', ids).executeTakeFirst();
      const pages = await trx.deleteFrom('alert_pages').where('alert_id', 'in', ids).executeTakeFirst();
      const outbox = await trx.deleteFrom('webhook_outbox').where('alert_id', 'in', ids).executeTakeFirst();
      const alerts = await trx.deleteFrom('alerts').where('id', 'in', ids).where('status', 'in', CLOSED).where('closed_at', '<', cutoff).executeTakeFirst();
      return {
        selected: ids.length, alerts: Number(alerts.numDeletedRows), events: Number(events.numDeletedRows),
        pages: Number(pages.numDeletedRows), outbox: Number(outbox.numDeletedRows),
      };
    });
  }

  /** 911 hand-offs delivered before `cutoff`; one not delivered is never deleted here. */
  async deleteDeliveredWebhooks(cutoff: number, limit: number): Promise<number> {
    const r = await this.db.deleteFrom('webhook_outbox').where('id', 'in', (eb) => eb.selectFrom('webhook_outbox')
      .select('id').where('delivered_at', '<', cutoff).limit(limit)).executeTakeFirst();
    return Number(r.numDeletedRows);
  }
}

/** The stored copy of a hand-off with the coarse point instead of the exact one (other fields kept). */
function coarsePayload(payload: string, to: Point): string {
  let body: unknown;
  try { body = JSON.parse(payload); } catch { return payload; }
  if (!body || typeof body !== 'object' || Array.isArray(body)) return payload;
  const next: Record<string, unknown> = { ...(body as Record<string, unknown>) };
  if ('lat' in next) next.lat = to.lat;
  if ('lon' in next) next.lon = to.lon;
  for (const k of ['accuracyM', 'address', 'note']) if (k in next) next[k] = null;
  return JSON.stringify(next);
}
