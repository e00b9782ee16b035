// Persistence of trackers, position history (batched) and geofence events.
import type SQLite from 'better-sqlite3';
import type { Db } from '../storage/index.js';
import type { Fix } from './domain/fix.js';
import type { GeofenceEvent } from './domain/geofence.js';

export interface Tracker { uniqueId: string; unitId: string; label: string | null; createdAt: number }
export interface StoredPosition { at: number; lat: number; lon: number; speedMps: number | null; course: number | null; accuracyM: number | null; quadrantId: string | null; source: string }

const POSITION_COLUMNS = ['unit_id', 'source', 'tracker_id', 'fix_at', 'received_at', 'lat', 'lon', 'speed_mps', 'course',
  'altitude_m', 'accuracy_m', 'battery_pct', 'quadrant_id', 'attributes'] as const;

/** The one-row insert of the embedded engine (the main connection's and the history worker's). */
export const POSITION_INSERT_SQL = `insert into positions (${POSITION_COLUMNS.join(', ')}) values (${POSITION_COLUMNS.map(() => '?').join(', ')})`;

const attributesJson = (f: Fix) => (Object.keys(f.attributes).length ? JSON.stringify(f.attributes) : null);

/** One history row as the insert binds it (also what the history worker receives). */
export function positionValues(f: Fix) {
  return [f.unitId, f.source, f.trackerId, f.at, f.receivedAt, f.lat, f.lon, f.speedMps, f.course, f.altitudeM, f.accuracyM,
    f.batteryPct, f.quadrantId, attributesJson(f)] as const;
}

export class TrackingStore {
  private insertOne: SQLite.Statement | null = null;

  /** `sqlite`: the embedded engine's handle, used for history inserts (a prepared statement per row). */
  constructor(private db: Db, private sqlite?: SQLite.Database) {}

  async trackers(): Promise<Tracker[]> {
    const rows = await this.db.selectFrom('trackers').selectAll().orderBy('unique_id').execute();
    return rows.map((r) => ({ uniqueId: r.unique_id, unitId: r.unit_id, label: r.label, createdAt: Number(r.created_at) }));
  }

  async insertTracker(t: Tracker, actorId: string | null): Promise<void> {
    await this.db.insertInto('trackers').values({ unique_id: t.uniqueId, unit_id: t.unitId, label: t.label, created_at: t.createdAt, created_by: actorId }).execute();
  }

  async deleteTracker(uniqueId: string): Promise<boolean> {
    const r = await this.db.deleteFrom('trackers').where('unique_id', '=', uniqueId).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }

  /** One multi-row insert per chunk, all in one transaction: thousands of rows per round trip. */
  async insertPositions(fixes: readonly Fix[]): Promise<void> {
    if (fixes.length === 0) return;
    // Embedded, and no Kysely transaction open on the shared connection (ours would nest inside it
    // and share its fate): one prepared statement, one transaction — a third of Kysely's cost per row.
    if (this.sqlite && !this.sqlite.inTransaction) {
      const db = this.sqlite;
      this.insertOne ??= db.prepare(POSITION_INSERT_SQL);
      const st = this.insertOne;
      db.transaction(() => { for (const f of fixes) st.run(...positionValues(f)); })();
      return;
    }
    await this.db.transaction().execute(async (trx) => {
      for (let i = 0; i < fixes.length; i += 1000) {
        await trx.insertInto('positions').values(fixes.slice(i, i + 1000).map((f) => ({
          unit_id: f.unitId, source: f.source, tracker_id: f.trackerId, fix_at: f.at, received_at: f.receivedAt,
          lat: f.lat, lon: f.lon, speed_mps: f.speedMps, course: f.course, altitude_m: f.altitudeM, accuracy_m: f.accuracyM,
          battery_pct: f.batteryPct, quadrant_id: f.quadrantId, attributes: attributesJson(f),
        }))).execute();
      }
    });
  }

  async track(unitId: string, from: number, to: number, limit: number): Promise<StoredPosition[]> {
    const rows = await this.db.selectFrom('positions')
      .select(['fix_at', 'lat', 'lon', 'speed_mps', 'course', 'accuracy_m', 'quadrant_id', 'source'])
      .where('unit_id', '=', unitId).where('fix_at', '>=', from).where('fix_at', '<=', to)
      .orderBy('fix_at').limit(limit).execute();
    return rows.map((r) => ({ at: Number(r.fix_at), lat: r.lat, lon: r.lon, speedMps: r.speed_mps, course: r.course, accuracyM: r.accuracy_m, quadrantId: r.quadrant_id, source: r.source }));
  }

  /** Retention: history older than the cut-off is deleted. Returns how many rows went. */
  async purgeBefore(cutoff: number): Promise<number> {
    const r = await this.db.deleteFrom('positions').where('fix_at', '<', cutoff).executeTakeFirst();
    return Number(r.numDeletedRows);
  }

  async insertGeofenceEvents(events: readonly GeofenceEvent[]): Promise<void> {
    if (events.length === 0) return;
    await this.db.insertInto('geofence_events').values(events.map((e) => ({
      unit_id: e.unitId, at: e.at, type: e.type, quadrant_id: e.quadrantId,
      details: JSON.stringify(e.outsideSinceMs !== undefined ? { outsideSinceMs: e.outsideSinceMs } : {}),
    }))).execute();
  }

  async geofenceEvents(since: number, limit: number): Promise<GeofenceEvent[]> {
    const rows = await this.db.selectFrom('geofence_events').selectAll().where('at', '>=', since).orderBy('at', 'desc').limit(limit).execute();
    return rows.map((r) => ({ unitId: r.unit_id, at: Number(r.at), type: r.type as GeofenceEvent['type'], quadrantId: r.quadrant_id, ...JSON.parse(r.details) as object }));
  }
}
