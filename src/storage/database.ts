// Opens the configured engine: the embedded SQLite file by default, PostgreSQL when a URL is set.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { CompiledQuery, Kysely, Migrator, PostgresDialect, SqliteDialect, SqliteDriver, sql } from 'kysely';
import type { DatabaseConnection, Driver, SqliteDialectConfig } from 'kysely';
import type { DatabaseIntrospector, DatabaseMetadataOptions, SchemaMetadata, TableMetadata } from 'kysely';
import type { Database } from './schema.js';
import { migrationProvider } from './migrations/index.js';
import { startWalCheckpointer, type WalCheckpointer } from './checkpointer.js';

export type Engine = 'sqlite' | 'postgres';
export type Db = Kysely<Database>;

export interface Storage {
  db: Db;
  engine: Engine;
  /** The embedded engine's own handle, for the one hot path (position history) where Kysely's
   * query building costs more than the insert itself. */
  sqlite?: SQLite.Database;
  /** SQLite with backgroundCheckpoints: the worker that checkpoints the WAL. */
  checkpointer?: WalCheckpointer;
  close(): Promise<void>;
}

export interface StorageOptions {
  databaseUrl: string | null;
  dataDir: string;
  /** PostgreSQL only: the schema to work in (created if missing). */
  schema?: string | null;
  /** SQLite only: run WAL checkpoints in a worker thread instead of inside commits (the server;
   * short-lived commands keep SQLite's own). */
  backgroundCheckpoints?: boolean;
  /** How often the worker checkpoints, ms (default 1000). */
  checkpointIntervalMs?: number;
  onCheckpointError?: (message: string) => void;
}

export async function openStorage(opts: StorageOptions): Promise<Storage> {
  const storage = opts.databaseUrl ? await openPostgres(opts.databaseUrl, opts.schema ?? null) : openSqlite(opts.dataDir);
  await migrate(storage.db, opts.databaseUrl ? opts.schema ?? null : null);
  if (storage.sqlite && opts.backgroundCheckpoints) {
    const checkpointer = startWalCheckpointer(storage.sqlite.name, {
      ...(opts.checkpointIntervalMs ? { intervalMs: opts.checkpointIntervalMs } : {}),
      ...(opts.onCheckpointError ? { onError: opts.onCheckpointError } : {}),
    });
    try {
      await checkpointer.ready;
    } catch (err) {
      await storage.close();
      throw err;
    }
    // Only a safety net now (~400 MB of WAL, should the worker fall behind or die).
    storage.sqlite.pragma('wal_autocheckpoint = 100000');
    const close = storage.close;
    storage.checkpointer = checkpointer;
    storage.close = async () => { await checkpointer.stop(); await close(); };
  }
  return storage;
}

function openSqlite(dataDir: string): Storage {
  mkdirSync(dataDir, { recursive: true });
  const file = new SQLite(join(dataDir, 'cuadrante.db'));
  file.pragma('journal_mode = WAL');
  // NORMAL is durable across application crashes in WAL mode (only an OS crash can lose the last commit).
  file.pragma('synchronous = NORMAL');
  file.pragma('foreign_keys = ON');
  file.pragma('busy_timeout = 5000');
  // Checkpoint every ~80 MB of WAL rather than every ~4 MB: each checkpoint fsyncs and blocks.
  file.pragma('wal_autocheckpoint = 20000');
  const db = new Kysely<Database>({ dialect: new ImmediateSqliteDialect({ database: cachingPrepare(file) }) });
  return { db, engine: 'sqlite', sqlite: file, close: () => db.destroy() };
}

/**
 * Every transaction takes SQLite's write lock when it begins (BEGIN IMMEDIATE), not at its first
 * write. With a second writing connection on the file (tracking's position-history worker), a
 * deferred transaction that reads and then writes fails at once with SQLITE_BUSY(_SNAPSHOT) when
 * the other connection wrote in between — no busy_timeout wait applies to that upgrade. Taking the
 * lock at BEGIN waits like a single statement does, and the transaction then cannot be overtaken.
 */
class ImmediateSqliteDialect extends SqliteDialect {
  constructor(private readonly config: SqliteDialectConfig) { super(config); }
  override createDriver(): Driver { return new ImmediateSqliteDriver(this.config); }
}

class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

/**
 * Kysely's SQLite driver calls prepare() on every query, and compiling SQL is most of the cost of
 * a small query. The SQL text is stable (values are bound as ?), so prepared statements are kept,
 * a bounded number of them, least recently used out first. Safe because every use runs to
 * completion synchronously (all()/run()); kysely's streamQuery (iterate) is not used.
 */
function cachingPrepare(file: SQLite.Database, max = 256): SQLite.Database {
  const cache = new Map<string, SQLite.Statement>();
  const prepare = file.prepare.bind(file);
  file.prepare = ((source: string) => {
    let stmt = cache.get(source);
    if (stmt) {
      cache.delete(source);
    } else {
      stmt = prepare(source);
      if (cache.size >= max) cache.delete(cache.keys().next().value!);
    }
    cache.set(source, stmt);
    return stmt;
  }) as typeof file.prepare;
  return file;
}

// int8 (bigint) arrives as a string by default; our epoch-ms values fit a double exactly.
const pgTypes = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === 20) return (v: string) => Number(v);
    return pg.types.getTypeParser(oid, format as 'text');
  },
};

async function openPostgres(url: string, schema: string | null): Promise<Storage> {
  if (schema) {
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    try { await admin.query(`create schema if not exists "${schema}"`); } finally { await admin.end(); }
  }
  const pool = new pg.Pool({
    connectionString: url,
    max: 10,
    types: pgTypes as pg.CustomTypesConfig,
    ...(schema ? { options: `-c search_path="${schema}"` } : {}),
  });
  const db = new Kysely<Database>({ dialect: new OwnSchemaPostgresDialect({ pool }) });
  await sql`select 1`.execute(db); // fail fast with a clear error if the server is unreachable
  return { db, engine: 'postgres', close: () => db.destroy() };
}

/**
 * Kysely's PostgreSQL introspector (which its Migrator calls on every start) reads every table of
 * every schema and resolves each by name (pg_get_serial_sequence). When another schema in the same
 * database is dropped meanwhile — another city's, or another test's — that name no longer resolves
 * and our start fails with "relation "<their schema>.sectors" does not exist". So introspection
 * looks only at our own schema (the search_path's first), which nobody else drops under us.
 */
class OwnSchemaPostgresDialect extends PostgresDialect {
  override createIntrospector(db: Kysely<any>): DatabaseIntrospector {
    return new OwnSchemaIntrospector(db);
  }
}

class OwnSchemaIntrospector implements DatabaseIntrospector {
  constructor(private readonly db: Kysely<any>) {}

  async getSchemas(): Promise<SchemaMetadata[]> {
    const { rows } = await sql<{ name: string }>`select nspname as name from pg_catalog.pg_namespace`.execute(this.db);
    return rows;
  }

  async getTables(options: DatabaseMetadataOptions = { withInternalKyselyTables: false }): Promise<TableMetadata[]> {
    const { rows } = await sql<{
      table: string; kind: string; schema: string; column: string; type: string; type_schema: string;
      not_null: boolean; has_default: boolean; comment: string | null; serial: string | null;
    }>`select c.relname as table, c.relkind as kind, ns.nspname as schema, a.attname as column,
         typ.typname as type, dtns.nspname as type_schema, a.attnotnull as not_null, a.atthasdef as has_default,
         col_description(a.attrelid, a.attnum) as comment,
         pg_get_serial_sequence(quote_ident(ns.nspname) || '.' || quote_ident(c.relname), a.attname) as serial
       from pg_catalog.pg_attribute a
       join pg_catalog.pg_class c on a.attrelid = c.oid
       join pg_catalog.pg_namespace ns on c.relnamespace = ns.oid
       join pg_catalog.pg_type typ on a.atttypid = typ.oid
       join pg_catalog.pg_namespace dtns on typ.typnamespace = dtns.oid
       where ns.nspname = current_schema() and c.relkind in ('r', 'v', 'p')
         and a.attnum >= 0 and not a.attisdropped
       order by c.relname, a.attnum`.execute(this.db);
    const tables = new Map<string, TableMetadata>();
    for (const r of rows) {
      if (!options.withInternalKyselyTables && (r.table === 'kysely_migration' || r.table === 'kysely_migration_lock')) continue;
      let table = tables.get(r.table);
      if (!table) tables.set(r.table, (table = { name: r.table, isView: r.kind === 'v', schema: r.schema, columns: [] }));
      table.columns.push({
        name: r.column, dataType: r.type, dataTypeSchema: r.type_schema, isNullable: !r.not_null,
        hasDefaultValue: r.has_default, isAutoIncrementing: r.serial !== null, ...(r.comment ? { comment: r.comment } : {}),
      });
    }
    return [...tables.values()];
  }

  async getMetadata(options?: DatabaseMetadataOptions) {
    return { tables: await this.getTables(options) };
  }
}

export async function migrate(db: Db, schema: string | null = null): Promise<void> {
  // Kysely looks for its bookkeeping tables in every schema; with several Cuadrante schemas in one
  // database (tests, or two cities) it must be told which one is ours.
  const migrator = new Migrator({ db, provider: migrationProvider, ...(schema ? { migrationTableSchema: schema } : {}) });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed) {
    throw new Error(`Migration ${failed?.migrationName ?? ''} failed: ${String(error)}`);
  }
}
