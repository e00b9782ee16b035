// The limiter on both engines: counts survive a new limiter (a restart), two limiters on one
// database share the allowance (two instances), windows slide, and pruning removes dead rows.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableEngines } from '../../tests/support/engines.js';
import { openStorage, type Storage } from '../storage/index.js';
import { ManualClock } from '../kernel/index.js';
import { RateLimiter } from './limiter.js';

const engines = await availableEngines();

describe.each(engines)('rate limits on $name', (engine) => {
  let storage: Storage;
  let cleanup: () => Promise<void>;
  const clock = new ManualClock(Date.UTC(2026, 11, 3, 12, 0, 0));
  const limit = { scope: 'test.alerts', max: 3, windowMs: 60_000 };

  beforeAll(async () => {
    const fresh = await engine.fresh();
    cleanup = fresh.cleanup;
    storage = await openStorage({ databaseUrl: fresh.config.databaseUrl, dataDir: fresh.config.dataDir, schema: fresh.config.databaseSchema });
  });
  afterAll(async () => { await storage?.close(); await cleanup?.(); });

  it('is over past max, per key, and a second limiter on the same database sees the same counts', async () => {
    const a = new RateLimiter(storage.db, clock);
    const b = new RateLimiter(storage.db, clock);
    const results = [await a.hit(limit, 'k1'), await b.hit(limit, 'k1'), await a.hit(limit, 'k1'), await b.hit(limit, 'k1')];
    expect(results.map((r) => r.over)).toEqual([false, false, false, true]);
    expect(results.map((r) => r.count)).toEqual([1, 2, 3, 4]);
    expect((await a.hit(limit, 'k2')).over).toBe(false);
    expect((await new RateLimiter(storage.db, clock).peek(limit, 'k1')).count).toBe(4); // "after a restart"
  });

  it('counts concurrent hits exactly (one atomic upsert each)', async () => {
    const l = new RateLimiter(storage.db, clock);
    const hits = await Promise.all(Array.from({ length: 40 }, () => l.hit({ ...limit, max: 100 }, 'burst')));
    expect(hits.map((h) => h.count).sort((x, y) => x - y)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
  });

  it('slides: the previous window fades out, and a key is forgotten after two windows', async () => {
    const l = new RateLimiter(storage.db, clock);
    clock.set(new Date(Date.UTC(2026, 11, 3, 13, 0, 0)));
    for (let i = 0; i < 4; i++) await l.hit(limit, 'slide');
    clock.advance(60_000); // next window: the 4 weigh fully at its start
    expect((await l.peek(limit, 'slide')).over).toBe(true);
    clock.advance(30_000); // half-way: 4 × 0.5 = 2
    expect(await l.peek(limit, 'slide')).toMatchObject({ count: 2, over: false });
    expect((await l.hit(limit, 'slide')).count).toBe(3);
    clock.advance(120_000);
    expect((await l.peek(limit, 'slide')).count).toBe(0);
  });

  it('prunes rows whose windows are both over, and nothing else', async () => {
    const l = new RateLimiter(storage.db, clock);
    clock.advance(3600_000);
    await l.hit(limit, 'fresh');
    const before = await storage.db.selectFrom('rate_counters').select('key').execute();
    expect(before.length).toBeGreaterThan(1);
    expect(await l.prune()).toBe(before.length - 1);
    expect((await storage.db.selectFrom('rate_counters').select('key').execute()).map((r) => r.key)).toEqual(['fresh']);
  });

  it('reports growing delays after failures, from the last one', async () => {
    const l = new RateLimiter(storage.db, clock);
    const failures = { scope: 'test.login', max: 1000, windowMs: 3600_000 };
    const policy = { free: 2, baseMs: 1000, maxMs: 8000 };
    expect(await l.backoff(failures, 'acct', policy)).toEqual({ failures: 0, waitMs: 0 });
    for (let i = 0; i < 4; i++) await l.hit(failures, 'acct');
    expect(await l.backoff(failures, 'acct', policy)).toEqual({ failures: 4, waitMs: 2000 });
    clock.advance(1500);
    expect(await l.backoff(failures, 'acct', policy)).toEqual({ failures: 4, waitMs: 500 });
    await l.reset(failures, 'acct');
    expect(await l.backoff(failures, 'acct', policy)).toEqual({ failures: 0, waitMs: 0 });
  });
});
