// The one schema difference between the engines, in one place: SQLite numbers rows itself through
// an INTEGER PRIMARY KEY; PostgreSQL needs an identity column. Every migration declares
// auto-numbered ids with autoId(db).
import { SqliteAdapter, type ColumnDefinitionBuilder, type Kysely } from 'kysely';

export function isSqlite(db: Kysely<any>): boolean {
  return db.getExecutor().adapter instanceof SqliteAdapter;
}

/** The column builder callback for an auto-numbered integer primary key on this engine. */
export function autoId(db: Kysely<any>): (c: ColumnDefinitionBuilder) => ColumnDefinitionBuilder {
  const sqlite = isSqlite(db);
  return (c) => (sqlite ? c.primaryKey() : c.primaryKey().generatedByDefaultAsIdentity());
}
