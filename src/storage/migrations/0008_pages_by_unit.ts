import type { Kysely } from 'kysely';

// A unit's open pages (its page's snapshot, GET /alerts) are looked up by unit: without an index
// that read scans every page ever sent, and pages are kept with their alerts for years — many
// units reconnecting at once (an instance died) made it the slowest part of a failover.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('alert_pages_unit').on('alert_pages').column('unit_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('alert_pages_unit').execute();
}
