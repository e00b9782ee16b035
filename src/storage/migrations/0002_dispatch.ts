import type { Kysely } from 'kysely';
import { autoId as autoIdFor } from './dialect.js';

// Alerts and dispatch: units, alerts with their durable escalation deadline, the append-only
// event log, the pages sent (one row per alert and unit: never paged twice) and the 911 outbox.
export async function up(db: Kysely<any>): Promise<void> {
  const autoId = autoIdFor(db);

  await db.schema.alterTable('users').addColumn('unit_id', 'text').execute();

  await db.schema.createTable('citizen_pins')
    .addColumn('user_id', 'text', (c) => c.primaryKey().references('users.id'))
    .addColumn('cancel_pin_hash', 'text', (c) => c.notNull())
    .addColumn('duress_pin_hash', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema.createTable('units')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('callsign', 'text', (c) => c.notNull().unique())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('phone', 'text')
    .addColumn('shift_state', 'text', (c) => c.notNull())
    .addColumn('quadrant_ids', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema.createTable('alerts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('owner_id', 'text')
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('address', 'text')
    .addColumn('lat', 'double precision', (c) => c.notNull())
    .addColumn('lon', 'double precision', (c) => c.notNull())
    .addColumn('accuracy_m', 'double precision')
    .addColumn('quadrant_id', 'text')
    .addColumn('sector', 'text')
    .addColumn('alcaldia', 'text')
    .addColumn('quadrant_set_version', 'integer')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('stage', 'integer', (c) => c.notNull())
    .addColumn('next_deadline_at', 'bigint')
    .addColumn('assigned_unit_id', 'text')
    .addColumn('outcome', 'text')
    .addColumn('duress', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('escalated_at', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('acknowledged_at', 'bigint')
    .addColumn('en_route_at', 'bigint')
    .addColumn('on_scene_at', 'bigint')
    .addColumn('closed_at', 'bigint')
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('idempotency_key', 'text')
    .addColumn('request_hash', 'text')
    .execute();
  await db.schema.createIndex('alerts_idempotency').unique().on('alerts').columns(['owner_id', 'idempotency_key']).execute();
  await db.schema.createIndex('alerts_deadline').on('alerts').column('next_deadline_at').execute();
  await db.schema.createIndex('alerts_status').on('alerts').columns(['status', 'created_at']).execute();
  await db.schema.createIndex('alerts_owner').on('alerts').columns(['owner_id', 'created_at']).execute();

  await db.schema.createTable('alert_events')
    .addColumn('id', 'integer', autoId)
    .addColumn('alert_id', 'text', (c) => c.notNull().references('alerts.id'))
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('from_status', 'text')
    .addColumn('to_status', 'text')
    .addColumn('actor_id', 'text')
    .addColumn('actor_role', 'text', (c) => c.notNull())
    .addColumn('unit_id', 'text')
    .addColumn('details', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('alert_events_seq').unique().on('alert_events').columns(['alert_id', 'seq']).execute();

  await db.schema.createTable('alert_pages')
    .addColumn('alert_id', 'text', (c) => c.notNull().references('alerts.id'))
    .addColumn('unit_id', 'text', (c) => c.notNull())
    .addColumn('ring', 'integer', (c) => c.notNull())
    .addColumn('paged_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('alert_pages_pk', ['alert_id', 'unit_id'])
    .execute();

  await db.schema.createTable('webhook_outbox')
    .addColumn('id', 'integer', autoId)
    .addColumn('alert_id', 'text', (c) => c.notNull())
    .addColumn('event', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'bigint', (c) => c.notNull())
    .addColumn('delivered_at', 'bigint')
    .addColumn('last_error', 'text')
    .execute();
  await db.schema.createIndex('webhook_outbox_event').unique().on('webhook_outbox').columns(['alert_id', 'event']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['webhook_outbox', 'alert_pages', 'alert_events', 'alerts', 'units', 'citizen_pins']) await db.schema.dropTable(t).execute();
  await db.schema.alterTable('users').dropColumn('unit_id').execute();
}
