import { sql, type Kysely } from 'kysely';
import { autoId } from './dialect.js';

// Dialect-neutral DDL: only types both engines understand the same way.
// `bigint` holds epoch-ms times; `double precision` is REAL in SQLite and float8 in PostgreSQL.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('meta')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .execute();

  await db.schema.createTable('users')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('username', 'text', (c) => c.notNull().unique())
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('display_name', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('disabled_at', 'bigint')
    .execute();

  await db.schema.createTable('auth_tokens')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('revoked_at', 'bigint')
    .execute();
  await db.schema.createIndex('auth_tokens_user').on('auth_tokens').column('user_id').execute();

  await db.schema.createTable('audit_log')
    .addColumn('id', 'integer', autoId(db))
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('actor_id', 'text')
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('target', 'text')
    .addColumn('details', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('audit_log_at').on('audit_log').column('at').execute();

  await db.schema.createTable('quadrant_sets')
    .addColumn('version', 'integer', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('feature_count', 'integer', (c) => c.notNull())
    .addColumn('mapping', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('activated_at', 'bigint')
    .execute();
  // At most one active version, enforced by the database itself.
  await sql`create unique index quadrant_sets_one_active on quadrant_sets (active) where active = 1`.execute(db);

  await db.schema.createTable('quadrants')
    .addColumn('set_version', 'integer', (c) => c.notNull().references('quadrant_sets.version'))
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('sector', 'text')
    .addColumn('zone', 'text')
    .addColumn('alcaldia', 'text')
    .addColumn('geometry', 'text', (c) => c.notNull())
    .addColumn('area_m2', 'double precision', (c) => c.notNull())
    .addColumn('centroid_lon', 'double precision', (c) => c.notNull())
    .addColumn('centroid_lat', 'double precision', (c) => c.notNull())
    .addColumn('interior_lon', 'double precision', (c) => c.notNull())
    .addColumn('interior_lat', 'double precision', (c) => c.notNull())
    .addColumn('min_lon', 'double precision', (c) => c.notNull())
    .addColumn('min_lat', 'double precision', (c) => c.notNull())
    .addColumn('max_lon', 'double precision', (c) => c.notNull())
    .addColumn('max_lat', 'double precision', (c) => c.notNull())
    .addColumn('neighbours', 'text', (c) => c.notNull())
    .addColumn('properties', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('quadrants_pk', ['set_version', 'id'])
    .execute();

  await db.schema.createTable('sectors')
    .addColumn('set_version', 'integer', (c) => c.notNull().references('quadrant_sets.version'))
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('zone', 'text')
    .addColumn('alcaldia', 'text')
    .addColumn('geometry', 'text')
    .addPrimaryKeyConstraint('sectors_pk', ['set_version', 'id'])
    .execute();

  // Contacts are keyed by quadrant id, not version: a redrawn city keeps its units' phones.
  await db.schema.createTable('quadrant_contacts')
    .addColumn('quadrant_id', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('phone', 'text', (c) => c.notNull())
    .addColumn('label', 'text')
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_by', 'text')
    .addPrimaryKeyConstraint('quadrant_contacts_pk', ['quadrant_id', 'position'])
    .execute();

  await db.schema.createTable('crime_stats')
    .addColumn('quadrant_id', 'text', (c) => c.notNull())
    .addColumn('crime', 'text', (c) => c.notNull())
    .addColumn('month', 'text', (c) => c.notNull())
    .addColumn('count', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('crime_stats_pk', ['quadrant_id', 'crime', 'month'])
    .execute();

  await db.schema.createTable('quadrant_population')
    .addColumn('quadrant_id', 'text', (c) => c.primaryKey())
    .addColumn('sector', 'text')
    .addColumn('population', 'integer', (c) => c.notNull())
    .execute();

  await db.schema.createTable('quadrant_threat')
    .addColumn('quadrant_id', 'text', (c) => c.primaryKey())
    .addColumn('level', 'integer', (c) => c.notNull())
    .addColumn('score', 'double precision', (c) => c.notNull())
    .addColumn('assessment', 'text', (c) => c.notNull())
    .addColumn('computed_at', 'bigint', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['quadrant_threat', 'quadrant_population', 'crime_stats', 'quadrant_contacts', 'sectors',
    'quadrants', 'quadrant_sets', 'audit_log', 'auth_tokens', 'users', 'meta']) {
    await db.schema.dropTable(t).execute();
  }
}
