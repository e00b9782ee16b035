// What a database holds, as a comparable fingerprint: every table's row count and, for tables of
// ordinary size, a hash of all their rows (order-free). "A refused request changed nothing" is
// then before == after. Bulk reference data (crime statistics: ~70,000 rows) is only counted.
import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../../src/storage/index.js';

export type Fingerprint = Record<string, { rows: number; hash: string | null }>;

export interface FingerprintOptions {
  /** Tables left out (e.g. rate_counters: counting a refused attempt is not a change of data). */
  ignore?: string[];
  /** Tables with more rows than this are only counted (default 5000). */
  hashUpTo?: number;
  /** Rows left out of a table's fingerprint, e.g. what background jobs write on their own schedule. */
  ignoreRows?: Record<string, (row: Record<string, unknown>) => boolean>;
}

/** Works on SQLite and on PostgreSQL (the connection's current schema only). */
export async function fingerprint(db: Db, opts: FingerprintOptions = {}): Promise<Fingerprint> {
  const ignore = new Set(opts.ignore ?? []);
  const hashUpTo = opts.hashUpTo ?? 5000;
  let schema: string | undefined;
  const all = await db.introspection.getTables();
  if (all.some((t) => t.schema)) {
    schema = (await sql<{ s: string }>`select current_schema() as s`.execute(db)).rows[0]?.s;
  }
  const out: Fingerprint = {};
  for (const t of all) {
    if (t.isView || ignore.has(t.name) || (t.schema && t.schema !== schema)) continue;
    const table = sql.table(t.schema ? `${t.schema}.${t.name}` : t.name);
    const skip = opts.ignoreRows?.[t.name];
    let rows = Number((await sql<{ n: number | string }>`select count(*) as n from ${table}`.execute(db)).rows[0]?.n ?? 0);
    let hash: string | null = null;
    if (rows <= hashUpTo || skip) {
      let data = (await sql<Record<string, unknown>>`select * from ${table}`.execute(db)).rows;
      if (skip) data = data.filter((r) => !skip(r));
      rows = data.length;
      const lines = data.map((r) => createHash('sha1').update(JSON.stringify(r, (_k, v) => (typeof v === 'bigint' ? String(v) : v))).digest('hex')).sort();
      hash = createHash('sha1').update(lines.join('')).digest('hex');
    }
    out[t.name] = { rows, hash };
  }
  return out;
}

/** The tables whose fingerprints differ, for an assertion message. */
export function changedTables(before: Fingerprint, after: Fingerprint): string[] {
  const names = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...names].filter((n) => before[n]?.hash !== after[n]?.hash || before[n]?.rows !== after[n]?.rows)
    .map((n) => `${n}: ${before[n]?.rows ?? '∅'} → ${after[n]?.rows ?? '∅'} rows${before[n]?.rows === after[n]?.rows ? ' (contents changed)' : ''}`);
}
