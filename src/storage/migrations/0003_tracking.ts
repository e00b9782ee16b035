import type { Kysely } from 'kysely';
import { autoId as autoIdFor } from './dialect.js';

// Patrol tracking: GPS trackers mapped to units, position history (written in batches, purged by
// retention) and the geofence log.
export async function up(db: Kysely<any>): Promise<void> {
  const autoId = autoIdFor(db);

  await db.schema.createTable('trackers')
    .addColumn('unique_id', 'text', (c) => c.primaryKey())
    .addColumn('unit_id', 'text', (c) => c.notNull().references('units.id'))
    .addColumn('label', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .execute();

  await db.schema.createTable('positions')
    .addColumn('id', 'integer', autoId)
    .addColumn('unit_id', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('tracker_id', 'text')
    .addColumn('fix_at', 'bigint', (c) => c.notNull())
    .addColumn('received_at', 'bigint', (c) => c.notNull())
    .addColumn('lat', 'double precision', (c) => c.notNull())
    .addColumn('lon', 'double precision', (c) => c.notNull())
    .addColumn('speed_mps', 'double precision')
    .addColumn('course', 'double precision')
    .addColumn('altitude_m', 'double precision')
    .addColumn('accuracy_m', 'double precision')
    .addColumn('battery_pct', 'double precision')
    .addColumn('quadrant_id', 'text')
    .addColumn('attributes', 'text')
    .execute();
  await db.schema.createIndex('positions_unit_time').on('positions').columns(['unit_id', 'fix_at']).execute();
  await db.schema.createIndex('positions_time').on('positions').column('fix_at').execute();

  await db.schema.createTable('geofence_events')
    .addColumn('id', 'integer', autoId)
    .addColumn('unit_id', 'text', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('quadrant_id', 'text')
    .addColumn('details', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('geofence_events_unit').on('geofence_events').columns(['unit_id', 'at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['geofence_events', 'positions', 'trackers']) await db.schema.dropTable(t).execute();
}
