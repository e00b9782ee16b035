// A database fingerprint cheap enough to take around every single request of a fuzz run: the table
// list is read once, and on PostgreSQL every table's row count and content hash come back in one
// query (a sum of 64-bit row hashes, computed by the server: order-free); on SQLite, read in
// this process, nothing is re-read while the connection's change counter stands still. Same shape as snapshot.ts's fingerprint, so
// changedTables() reads both; compare a fingerprinter's results only with each other.
import { createHash } from 'node:crypto';
import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../../src/storage/index.js';
import type { Fingerprint } from './snapshot.js';

interface SqliteHandle { prepare(sql: string): { raw(on: boolean): { all(): unknown[] } } }

export interface FingerprinterOptions {
  /** Tables left out (e.g. rate_counters: counting a refused attempt is not a change of data). */
  ignore?: string[];
  /** Rows left out: those whose column is LIKE one of the patterns (what background jobs write on their own schedule, audit entries of refusals). */
  ignoreLike?: Record<string, { column: string; patterns: string[] }>;
  /** Tables with more rows than this at the start are only counted (default 5000). */
  hashUpTo?: number;
}

/** `sqlite`: the server's own better-sqlite3 connection (storage.sqlite), read directly when given. */
export async function fingerprinter(db: Db, opts: FingerprinterOptions = {}, sqlite?: SqliteHandle | null): Promise<() => Promise<Fingerprint>> {
  const ignore = new Set(opts.ignore ?? []);
  const all = await db.introspection.getTables();
  const postgres = all.some((t) => t.schema);
  const schema = postgres ? (await sql<{ s: string }>`select current_schema() as s`.execute(db)).rows[0]!.s : undefined;
  const tables = all.filter((t) => !t.isView && !ignore.has(t.name) && (!t.schema || t.schema === schema)).map((t) => t.name).sort();
  const big = new Set<string>();
  for (const name of tables) {
    const n = Number((await sql<{ n: number | string }>`select count(*) as n from ${sql.table(name)}`.execute(db)).rows[0]?.n ?? 0);
    if (n > (opts.hashUpTo ?? 5000)) big.add(name);
  }
  const where = (name: string): RawBuilder<unknown> => {
    const p = opts.ignoreLike?.[name];
    return p ? sql` where not (${sql.join(p.patterns.map((x) => sql`${sql.ref(p.column)} like ${x}`), sql` or `)})` : sql``;
  };

  if (postgres) {
    const parts = tables.map((name) => big.has(name)
      ? sql`select ${name}::text as t, count(*)::bigint as n, null::text as h from ${sql.table(name)}`
      : sql`select ${name}::text as t, count(*)::bigint as n, coalesce(sum(hashtextextended(x::text, 0)), 0)::text as h from ${sql.table(name)} x${where(name)}`);
    const query = sql.join(parts, sql` union all `);
    return async () => {
      const rows = (await sql<{ t: string; n: string; h: string | null }>`${query}`.execute(db)).rows;
      return Object.fromEntries(rows.map((r) => [r.t, { rows: Number(r.n), hash: r.h }]));
    };
  }
  // SQLite runs in this process: read each table's rows as arrays straight from the connection, in
  // rowid order (stable while nothing writes), into one hash — no objects, no sorting.
  const raw = sqlite ?? null;
  const text = (v: unknown) => JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? String(x) : x));
  if (raw) {
    const statements = tables.map((name) => {
      const p = opts.ignoreLike?.[name];
      const filter = p ? ` where not (${p.patterns.map((x) => `"${p.column}" like '${x.replace(/'/g, "''")}'`).join(' or ')})` : '';
      const q = `select ${big.has(name) ? 'count(*)' : '*'} from "${name}"${filter}${big.has(name) ? '' : ' order by rowid'}`;
      return { name, stmt: raw.prepare(q).raw(true) };
    });
    // The server writes through this very connection, so total_changes() moves with every row it
    // inserts, updates or deletes: while it stands still the last fingerprint is still the truth.
    const changes = raw.prepare('select total_changes()').raw(true);
    let last: { at: unknown; fp: Fingerprint } | null = null;
    return async () => {
      const at = (changes.all() as unknown[][])[0]?.[0];
      if (last && last.at === at) return last.fp;
      const out: Fingerprint = {};
      for (const { name, stmt } of statements) {
        const rows = stmt.all() as unknown[][];
        if (big.has(name)) { out[name] = { rows: Number(rows[0]?.[0] ?? 0), hash: null }; continue; }
        const h = createHash('sha1');
        for (const r of rows) h.update(text(r));
        out[name] = { rows: rows.length, hash: h.digest('hex') };
      }
      last = { at, fp: out };
      return out;
    };
  }
  return async () => {
    const out: Fingerprint = {};
    for (const name of tables) {
      if (big.has(name)) {
        out[name] = { rows: Number((await sql<{ n: number }>`select count(*) as n from ${sql.table(name)}`.execute(db)).rows[0]?.n ?? 0), hash: null };
        continue;
      }
      const rows = (await sql<Record<string, unknown>>`select * from ${sql.table(name)}${where(name)}`.execute(db)).rows;
      const lines = rows.map((r) => createHash('sha1').update(text(r)).digest('hex')).sort();
      out[name] = { rows: rows.length, hash: createHash('sha1').update(lines.join('')).digest('hex') };
    }
    return out;
  };
}
