import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqliteEngine } from '../../tests/support/engines.js';
import { openStorage, type Storage } from '../storage/index.js';
import { ManualClock } from '../kernel/index.js';
import { RateLimiter } from './limiter.js';
import { GuessThrottle } from './guesses.js';

describe('guess throttle', () => {
  let storage: Storage;
  let cleanup: () => Promise<void>;
  const clock = new ManualClock(Date.UTC(2026, 11, 3, 12, 0, 0));
  beforeAll(async () => {
    const fresh = await sqliteEngine.fresh();
    cleanup = fresh.cleanup;
    storage = await openStorage({ databaseUrl: null, dataDir: fresh.config.dataDir });
  });
  afterAll(async () => { await storage?.close(); await cleanup?.(); });

  const throttle = () => new GuessThrottle(new RateLimiter(storage.db, clock), {
    name: 'test', windowMs: 3600_000,
    target: { free: 3, baseMs: 1000, maxMs: 60_000 },
    network: { free: 10, baseMs: 1000, maxMs: 30_000 },
  });

  it('lets the first failures through, then makes each try wait longer, up to a cap', async () => {
    const g = throttle();
    for (let i = 0; i < 3; i++) { await g.check('acct', 'net-a'); await g.failed('acct', 'net-a'); }
    await g.check('acct', 'net-a'); // 3 failures: still free
    await g.failed('acct', 'net-a');
    await expect(g.check('acct', 'net-a')).rejects.toMatchObject({ code: 'RATE_LIMITED', params: { seconds: 1 } });
    clock.advance(1000);
    await g.check('acct', 'net-a');
    await g.failed('acct', 'net-a');
    await expect(g.check('acct', 'net-a')).rejects.toMatchObject({ params: { seconds: 2 } });
    for (let i = 0; i < 20; i++) { clock.advance(60_000); await g.failed('acct', 'net-a'); }
    await expect(g.check('acct', 'net-a')).rejects.toMatchObject({ params: { seconds: 60 } }); // capped: never a lockout
    clock.advance(60_000);
    await g.check('acct', null);
  });

  it("keeps targets apart, counts the network across targets, and a success clears only the target", async () => {
    const g = throttle();
    for (let i = 0; i < 11; i++) await g.failed(`victim-${i}`, 'net-b'); // a sweep over many accounts
    await g.check('victim-0', null);
    await expect(g.check('someone-else', 'net-b')).rejects.toMatchObject({ code: 'RATE_LIMITED' });
    await g.check('someone-else', 'net-c');
    for (let i = 0; i < 5; i++) await g.failed('mine', 'net-c');
    await g.succeeded('mine');
    await g.check('mine', 'net-c');
  });

  it('counts each try before the secret is checked, so a parallel burst cannot slip through', async () => {
    const g = throttle();
    const results = await Promise.allSettled(Array.from({ length: 20 }, () => g.attempt('burst', 'net-d')));
    // 3 failures are free, so the first 4 tries pass at once; the 5th comes right after the 4th: it waits.
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(4);
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(refused.every((r) => (r.reason as { code: string }).code === 'RATE_LIMITED')).toBe(true);
  });

  it('does not count a refused try: after the Retry-After it goes through', async () => {
    const g = throttle();
    for (let i = 0; i < 4; i++) await g.attempt('slow', 'net-e');
    const refused = await g.attempt('slow', 'net-e').catch((e: { params: { seconds: number } }) => e);
    expect(refused).toMatchObject({ code: 'RATE_LIMITED', params: { seconds: 1 } });
    // Hammering while refused neither grows the wait nor moves the time it runs from.
    for (let i = 0; i < 5; i++) await expect(g.attempt('slow', 'net-e')).rejects.toMatchObject({ params: { seconds: 1 } });
    clock.advance(1000);
    await g.attempt('slow', 'net-e');
    await g.succeeded('slow', 'net-e');
    await g.attempt('slow', 'net-e');
  });

  it("gives a right guess's try back to the network, so honest users on a shared network spend nothing", async () => {
    const g = throttle();
    for (let i = 0; i < 30; i++) { await g.attempt(`honest-${i}`, 'net-f'); await g.succeeded(`honest-${i}`, 'net-f'); }
    for (let i = 0; i < 11; i++) await g.attempt(`guess-${i}`, 'net-f'); // 10 network failures are free, the 11th try too
    await expect(g.attempt('guess-x', 'net-f')).rejects.toMatchObject({ code: 'RATE_LIMITED' });
  });
});
