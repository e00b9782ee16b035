// The readiness checks this codebase has so far. The bus adds its own where it is built.
import { sql } from 'kysely';
import type { Storage } from '../storage/index.js';
import type { ReadinessCheck } from './readiness.js';

/**
 * The database answers a cheap query on one of our own tables (on PostgreSQL that also proves our
 * schema is on the search path and a pool connection can be had). 1 s by default: a load balancer
 * probes every few seconds, and a database that slow is not serving alerts either.
 */
export function databaseCheck(storage: Pick<Storage, 'db'>, timeoutMs = 1000): ReadinessCheck {
  return {
    name: 'database', timeoutMs,
    check: async () => { await sql`select 1 from kysely_migration limit 1`.execute(storage.db); },
  };
}
