// Abuse limits, counted in the database: they survive a restart and every instance on the same
// database shares them (N instances never give N× the allowance). One row per (limit, key) holds
// this window's count and the previous window's; a hit is one atomic upsert on either engine.
// Keys are whatever the caller counts by — a device id, a keyed hash of a network, a phone
// number's hash — never a raw IP address (see config/secrets.ts).
import { sql } from 'kysely';
import type { Clock } from '../kernel/index.js';
import type { Db } from '../storage/index.js';
import { backoffMs, countsAt, verdict, waitMs, type Backoff, type Limit, type Verdict } from './domain/window.js';

export class RateLimiter {
  constructor(private db: Db, private clock: Clock) {}

  /** Counts one event (or `weight`) for `key` and judges the limit with it included. */
  async hit(limit: Limit, key: string, weight = 1): Promise<Verdict> {
    return (await this.upsert(limit, key, weight)).verdict;
  }

  /**
   * Counts a try, then says how long it should have waited after the try before it, given the
   * tries before it (growing delays). Counting first, in one atomic upsert, is what stops a burst
   * of parallel tries slipping through together: each one sees the others already counted. A try
   * that is refused is taken back with `undo()`, so it neither counts nor moves the time the wait
   * runs from — the Retry-After a client is given stays true.
   */
  async attempt(limit: Limit, key: string, policy: Backoff): Promise<{ tries: number; waitMs: number; undo(): Promise<void> }> {
    const { verdict: v, prevAt, now } = await this.upsert(limit, key, 1);
    const tries = Math.ceil(v.count - 1e-9);
    const undo = () => this.takeBack(limit, key, prevAt);
    if (prevAt === null || tries <= 1) return { tries, waitMs: 0, undo };
    return { tries, waitMs: waitMs(tries - 1, prevAt, now, policy), undo };
  }

  /** Takes one event back (a refused try, a right guess); `restoreAt` puts back the time of the one before. */
  async takeBack(limit: Limit, key: string, restoreAt: number | null = null): Promise<void> {
    await this.db.updateTable('rate_counters')
      .set(restoreAt === null
        ? { count: sql<number>`case when count > 0 then count - 1 else 0 end` }
        : { count: sql<number>`case when count > 0 then count - 1 else 0 end`, updated_at: restoreAt })
      .where('scope', '=', limit.scope).where('key', '=', key).execute();
  }

  private async upsert(limit: Limit, key: string, weight: number): Promise<{ verdict: Verdict; prevAt: number | null; now: number }> {
    const now = this.clock.now().getTime();
    const w = limit.windowMs;
    const start = Math.floor(now / w) * w;
    // SET expressions read the row as it was: roll the window over, or add to it.
    const row = await this.db.insertInto('rate_counters')
      .values({ scope: limit.scope, key, window_start: start, count: weight, prev_count: 0, updated_at: now, prev_at: null, expires_at: start + 2 * w })
      .onConflict((oc) => oc.columns(['scope', 'key']).doUpdateSet({
        prev_count: sql<number>`case when rate_counters.window_start >= excluded.window_start then rate_counters.prev_count
          when rate_counters.window_start = excluded.window_start - ${w} then rate_counters.count else 0 end`,
        count: sql<number>`case when rate_counters.window_start >= excluded.window_start then rate_counters.count + excluded.count else excluded.count end`,
        window_start: sql<number>`case when rate_counters.window_start >= excluded.window_start then rate_counters.window_start else excluded.window_start end`,
        updated_at: sql<number>`excluded.updated_at`,
        prev_at: sql<number>`rate_counters.updated_at`,
        expires_at: sql<number>`case when rate_counters.window_start >= excluded.window_start then rate_counters.expires_at else excluded.expires_at end`,
      }))
      .returning(['window_start', 'count', 'prev_count', 'prev_at'])
      .executeTakeFirstOrThrow();
    return {
      verdict: verdict(limit, { start: Number(row.window_start), count: Number(row.count), prevCount: Number(row.prev_count) }, now),
      prevAt: row.prev_at === null ? null : Number(row.prev_at),
      now,
    };
  }

  /** Judges the limit without counting. */
  async peek(limit: Limit, key: string): Promise<Verdict> {
    const now = this.clock.now().getTime();
    return verdict(limit, countsAt(await this.read(limit.scope, key), now, limit.windowMs), now);
  }

  /**
   * Failures with growing delays: how long `key` must still wait before its next try (0: now).
   * Failures are counted in `limit`'s sliding window, so they are forgotten after it.
   */
  async backoff(limit: Limit, key: string, policy: Backoff): Promise<{ failures: number; waitMs: number }> {
    const now = this.clock.now().getTime();
    const stored = await this.read(limit.scope, key);
    if (!stored) return { failures: 0, waitMs: 0 };
    const v = verdict(limit, countsAt(stored, now, limit.windowMs), now);
    const failures = Math.ceil(v.count - 1e-9);
    return { failures, waitMs: waitMs(failures, stored.updatedAt, now, policy) };
  }

  /** The delay the next failure would impose, for a Retry-After. */
  static delayAfter(failures: number, policy: Backoff): number { return backoffMs(failures, policy); }

  async reset(limit: Limit, key: string): Promise<void> {
    await this.db.deleteFrom('rate_counters').where('scope', '=', limit.scope).where('key', '=', key).execute();
  }

  /** Deletes counters nothing can read any more (both their windows are over). */
  async prune(): Promise<number> {
    const r = await this.db.deleteFrom('rate_counters').where('expires_at', '<', this.clock.now().getTime()).executeTakeFirst();
    return Number(r.numDeletedRows);
  }

  private async read(scope: string, key: string) {
    const r = await this.db.selectFrom('rate_counters').select(['window_start', 'count', 'prev_count', 'updated_at', 'prev_at'])
      .where('scope', '=', scope).where('key', '=', key).executeTakeFirst();
    return r ? {
      windowStart: Number(r.window_start), count: Number(r.count), prevCount: Number(r.prev_count), updatedAt: Number(r.updated_at),
      prevAt: r.prev_at === null ? null : Number(r.prev_at),
    } : null;
  }
}
