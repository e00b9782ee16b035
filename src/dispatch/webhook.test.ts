// The 911/C5 hand-off against a real receiver on a local port and a real database (SQLite and
// PostgreSQL): escalations raised through the dispatch service, rows claimed and marked by
// OutboxStore, posted by WebhookSender. Network behaviour is timed in real time; back-off and
// leases (the sender's own timing) run on an injected clock.
import { createHmac, randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { availableEngines } from '../../tests/support/engines.js';
import { Receiver, type Hit } from '../../tests/support/receiver.js';
import { freePort } from '../../tests/support/net.js';
import { openStorage, type Storage } from '../storage/index.js';
import { createServices, type Services } from '../services.js';
import { ManualClock, systemClock, type Clock } from '../kernel/index.js';
import type { Config } from '../config/index.js';
import type { Actor } from './ports.js';
import { OutboxStore } from './outbox.js';
import { WebhookSender, wakeOnEscalation, type WebhookOptions } from './webhook.js';

const engines = await availableEngines();
const SECRET = 'c5-shared-secret';
const dispatcher: Actor = { userId: 'dispatcher-1', role: 'dispatcher', unitId: null };
// No quadrant set is loaded, so every alert is outside all quadrants: escalated to 911 at once.
const OUTSIDE = { lat: 19.9, lon: -99.9 };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const validSignature = (h: Hit) => h.headers['x-cuadrante-signature'] === `sha256=${createHmac('sha256', SECRET).update(`${String(h.headers['x-cuadrante-timestamp'])}.${h.body}`).digest('hex')}`;

describe.each(engines)('911 hand-off on $name', (engine) => {
  let storage: Storage;
  let config: Config;
  let cleanup: () => Promise<void>;
  /** Raises escalations on the system clock (network timing tests)… */
  let live: Services;
  /** …or on a clock the test moves (back-off and lease tests). */
  const clock = new ManualClock(Date.now());
  let manual: Services;
  const senders: WebhookSender[] = [];
  const receivers: Receiver[] = [];
  const extraStorages: Storage[] = [];
  const errors: unknown[] = [];
  /** Alert ids start with this, so a receiver can tell alerts apart before the test sees their ids. */
  let idPrefix = 'a';

  beforeAll(async () => {
    const fresh = await engine.fresh();
    cleanup = fresh.cleanup;
    config = { ...fresh.config, webhookUrl: 'http://127.0.0.1:9/c5', webhookSecret: SECRET };
    storage = await openStorage({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, schema: config.databaseSchema });
    live = createServices(storage, config, systemClock, () => `${idPrefix}-${randomUUID()}`);
    manual = createServices(storage, config, clock);
  });
  afterEach(async () => {
    await Promise.all(senders.splice(0).map((s) => s.stop()));
    await Promise.all(receivers.splice(0).map((r) => r.close()));
    // A test's undelivered rows must never reach the next test's receiver.
    await storage.db.updateTable('webhook_outbox').set({ delivered_at: 0, locked_until: null }).where('delivered_at', 'is', null).execute();
    expect(errors.splice(0)).toEqual([]);
  });
  afterAll(async () => {
    for (const s of extraStorages) await s.close();
    await storage?.close();
    await cleanup?.();
  });

  const receiver = async (port = 0) => { const r = await new Receiver().listen(port); receivers.push(r); return r; };
  const sender = (url: string, opts: Partial<WebhookOptions> & { clock: Clock }, on: Storage = storage) => {
    const s = new WebhookSender(new OutboxStore(on.db), { url, secret: SECRET, onError: (e) => errors.push(e), ...opts });
    senders.push(s);
    return s;
  };
  const escalate = async (s: Services) => {
    const at = performance.now();
    const { alert } = await s.dispatch.raise(dispatcher, { ...OUTSIDE, kind: 'robbery' }, null);
    expect(alert.status).toBe('escalated');
    return { id: alert.id, at };
  };
  const outbox = () => new OutboxStore(storage.db);

  it('hands 40 escalations in a second to the receiver, each within a second, signed and with a stable delivery id', async () => {
    const c5 = await receiver();
    const s = sender(c5.url, { clock: systemClock });
    wakeOnEscalation(live.bus, s);
    s.start();
    const raised: { id: string; at: number }[] = [];
    for (let i = 0; i < 40; i++) {
      raised.push(await escalate(live));
      await sleep(25);
    }
    await expect.poll(() => c5.hits.length, { timeout: 5000 }).toBe(40);
    for (const a of raised) {
      const [hit, ...again] = c5.hitsFor(a.id);
      expect(again).toHaveLength(0);
      expect(hit!.at - a.at).toBeLessThan(1000);
      expect(hit!.headers).toMatchObject({ 'x-cuadrante-event': 'escalated', 'x-cuadrante-delivery': `${a.id}:escalated`, 'x-cuadrante-attempt': '1' });
      expect(validSignature(hit!)).toBe(true);
      expect(JSON.parse(hit!.body)).toMatchObject({ event: 'alert.escalated', alertId: a.id });
    }
    await s.idle();
    const row = await outbox().find(raised[0]!.id, 'escalated');
    expect(row).toMatchObject({ attempts: 1, lockedUntil: null });
    expect(row!.deliveredAt).not.toBeNull();
  });

  it('a receiver that never answers some rows delays only those: the rest arrive within a second, the silent ones are cut at the deadline and retried', async () => {
    const c5 = await receiver();
    c5.answer = (h) => (h.alertId.startsWith('silent-') ? 'silent' : 204);
    const s = sender(c5.url, { clock: systemClock, deadlineMs: 1000, retryBaseMs: 200 });
    wakeOnEscalation(live.bus, s);
    s.start();
    const silent = new Set<string>();
    idPrefix = 'silent';
    for (let i = 0; i < 5; i++) silent.add((await escalate(live)).id);
    idPrefix = 'a';
    const others: { id: string; at: number }[] = [];
    for (let i = 0; i < 30; i++) {
      others.push(await escalate(live));
      await sleep(25);
    }
    await expect.poll(() => others.every((a) => c5.hitsFor(a.id).length === 1), { timeout: 5000 }).toBe(true);
    for (const a of others) expect(c5.hitsFor(a.id)[0]!.at - a.at).toBeLessThan(1000);
    // The silent rows were cut off at their deadline and tried again, under the same id.
    await expect.poll(() => [...silent].every((id) => c5.hitsFor(id).length >= 2), { timeout: 5000 }).toBe(true);
    for (const id of silent) {
      expect(new Set(c5.hitsFor(id).map((h) => h.delivery))).toEqual(new Set([`${id}:escalated`]));
      const row = await outbox().find(id, 'escalated');
      expect(row?.deliveredAt).toBeNull();
    }
    expect(s.inFlightCount).toBeLessThanOrEqual(s.concurrency);
  });

  it('retries a refused or reset hand-off after its own back-off, with the same delivery id, while new escalations go at once; the receiver processes each id once', async () => {
    const c5 = await receiver();
    const troubled = new Set<string>();
    // The receiver processes each request, but the first answer is lost (500), the second is a reset.
    c5.answer = (h) => (!troubled.has(h.alertId) || h.attempt >= 3 ? 204 : h.attempt === 1 ? 500 : 'reset');
    const s = sender(c5.url, { clock, autoRun: false, retryBaseMs: 500, random: () => 1 });
    wakeOnEscalation(manual.bus, s);
    for (let i = 0; i < 3; i++) troubled.add((await escalate(manual)).id);
    await s.kick();
    await s.idle();
    const t = clock.now().getTime();
    for (const id of troubled) {
      expect(c5.hitsFor(id)).toHaveLength(1);
      expect(await outbox().find(id, 'escalated')).toMatchObject({ attempts: 1, lastError: 'HTTP 500', nextAttemptAt: t + 500, deliveredAt: null, lockedUntil: null });
    }
    // A new escalation is not held up behind the three waiting for their retry.
    const fresh = await escalate(manual);
    await s.idle();
    expect(c5.hitsFor(fresh.id)).toHaveLength(1);
    expect((await outbox().find(fresh.id, 'escalated'))?.deliveredAt).toBe(t);

    clock.advance(499);
    await s.poll();
    await s.idle();
    expect(c5.hits).toHaveLength(4); // not due yet
    clock.advance(1);
    await s.poll();
    await s.idle();
    for (const id of troubled) {
      expect(c5.hitsFor(id)).toHaveLength(2);
      expect(await outbox().find(id, 'escalated')).toMatchObject({ attempts: 2, nextAttemptAt: t + 500 + 1000, deliveredAt: null });
    }
    clock.advance(1000);
    await s.poll();
    await s.idle();
    for (const id of troubled) {
      const hits = c5.hitsFor(id);
      expect(hits.map((h) => h.attempt)).toEqual([1, 2, 3]);
      expect(new Set(hits.map((h) => h.delivery))).toEqual(new Set([`${id}:escalated`]));
      expect(hits.every(validSignature)).toBe(true);
      expect((await outbox().find(id, 'escalated'))?.deliveredAt).toBe(t + 1500);
    }
    // De-duplicating on the delivery id, the receiver handled each hand-off exactly once.
    expect(c5.hits).toHaveLength(10);
    expect(c5.processed.size).toBe(4);
  });

  it('keeps at most `concurrency` requests open, and rows being retried never take the slots new escalations need', async () => {
    const c5 = await receiver();
    const troubled = new Set<string>();
    c5.answer = (h) => (troubled.has(h.alertId) ? 'silent' : 204);
    const s = sender(c5.url, { clock, autoRun: false, concurrency: 4, retrySlots: 2, deadlineMs: 1000, random: () => 1 });
    // The receiver answers others, so it is not taken to be down (that is the next test's case).
    await escalate(manual);
    await s.kick();
    await s.idle();
    c5.hits.length = 0;
    for (let i = 0; i < 6; i++) troubled.add((await escalate(manual)).id);
    await s.kick();
    await expect.poll(() => c5.hits.length).toBe(4);
    await sleep(200);
    expect([c5.hits.length, c5.openNow]).toEqual([4, 4]); // the other two wait in the table
    await s.idle(); // the first four run to their deadline, then the last two get the freed slots
    expect(c5.hits).toHaveLength(6);
    for (const id of troubled) expect((await outbox().find(id, 'escalated'))?.lastError).toBe('no answer within 1000 ms');

    clock.advance(500);
    await s.poll(); // the six are due again, but retries may hold only two slots
    await expect.poll(() => c5.hits.length).toBe(8);
    c5.maxOpen = c5.openNow;
    const healthy: string[] = [];
    for (let i = 0; i < 3; i++) healthy.push((await escalate(manual)).id);
    await s.kick();
    await expect.poll(() => healthy.every((id) => c5.hitsFor(id).length === 1)).toBe(true);
    // All three went through the two free slots while both retries were still open.
    expect(c5.openNow).toBe(2);
    expect(c5.maxOpen).toBeLessThanOrEqual(4);
    for (const id of healthy) await expect.poll(async () => (await outbox().find(id, 'escalated'))?.deliveredAt).not.toBeNull();
  });

  it('a lease keeps a second sender (another instance on the same database) off rows the first is posting', async () => {
    const other = await openStorage({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, schema: config.databaseSchema });
    extraStorages.push(other);
    const c5 = await receiver();
    c5.answer = () => 'silent';
    const a = sender(c5.url, { clock, autoRun: false });
    const b = sender(c5.url, { clock, autoRun: false }, other);
    const held: string[] = [];
    for (let i = 0; i < 10; i++) held.push((await escalate(manual)).id);
    await a.kick();
    await expect.poll(() => c5.hits.length).toBe(10);
    await b.poll();
    await b.kick();
    await sleep(100);
    expect(b.counters.claimed).toBe(0);
    expect(c5.hits).toHaveLength(10);
    c5.answerPending(204);
    await a.idle();
    for (const id of held) expect((await outbox().find(id, 'escalated'))?.deliveredAt).not.toBeNull();

    // Both senders claiming at the same moment: every row is posted once, never twice at a time.
    c5.answer = () => ({ status: 204, afterMs: 50 });
    const raced: string[] = [];
    for (let i = 0; i < 30; i++) raced.push((await escalate(manual)).id);
    await Promise.all([a.poll(), b.poll(), a.kick(), b.kick()]);
    await Promise.all([a.idle(), b.idle()]);
    for (const id of raced) {
      expect(c5.hitsFor(id)).toHaveLength(1);
      expect(c5.hitsFor(id)[0]!.concurrent).toBe(1);
    }
    expect(a.counters.claimed + b.counters.claimed).toBe(40);
    expect(a.counters.delivered + b.counters.delivered).toBe(40);
  });

  it("takes over a crashed sender's rows once its lease expires, and the old sender cannot undo the new one's lease", async () => {
    const c5 = await receiver();
    const [first, second] = [(await escalate(manual)).id, (await escalate(manual)).id];
    // The first attempt of each is left hanging; the second attempt of `second` too.
    c5.answer = (h) => (h.attempt === 1 || (h.alertId === second && h.attempt === 2) ? 'silent' : 204);
    // The lease (on the injected clock) is what matters here; the real-time deadline outlasts the test.
    const crashed = sender(c5.url, { clock, autoRun: false, deadlineMs: 5000, leaseMs: 10_000 });
    const next = sender(c5.url, { clock, autoRun: false, deadlineMs: 5000, leaseMs: 10_000 });
    await crashed.kick();
    await expect.poll(() => c5.hits.length).toBe(2);
    clock.advance(9_999);
    await next.poll();
    await sleep(50);
    expect(next.counters.claimed).toBe(0); // the lease still holds
    clock.advance(2);
    await next.poll();
    await expect.poll(() => c5.hits.length).toBe(4);
    await expect.poll(async () => (await outbox().find(first, 'escalated'))?.deliveredAt).not.toBeNull();
    for (const id of [first, second]) {
      expect(c5.hitsFor(id).map((h) => [h.attempt, h.delivery])).toEqual([[1, `${id}:escalated`], [2, `${id}:escalated`]]);
    }
    // The crashed sender's old requests end now; giving its rows back must not touch the new lease.
    const before = await outbox().find(second, 'escalated');
    expect(before?.lockedUntil).toBe(clock.now().getTime() + 10_000);
    await crashed.stop();
    expect(await outbox().find(second, 'escalated')).toMatchObject({ lockedUntil: before!.lockedUntil, deliveredAt: null });
    expect(await outbox().find(first, 'escalated')).toMatchObject({ attempts: 2, lockedUntil: null });
    c5.answerPending(204);
    await next.idle();
    expect((await outbox().find(second, 'escalated'))?.deliveredAt).not.toBeNull();
    expect(c5.processed.size).toBe(2);
  });

  it('stores escalations while the receiver is down and delivers them when it is back', async () => {
    const port = await freePort();
    const s = sender(`http://127.0.0.1:${port}/c5`, { clock, autoRun: false, retryBaseMs: 500, random: () => 1 });
    wakeOnEscalation(manual.bus, s);
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await escalate(manual)).id);
    await s.idle();
    for (const id of ids) {
      expect((await manual.dispatchStore.findAlert(id))?.status).toBe('escalated');
      const row = await outbox().find(id, 'escalated');
      expect(row).toMatchObject({ attempts: 1, deliveredAt: null, lockedUntil: null });
      expect(row?.lastError).toMatch(/ECONNREFUSED/);
    }
    const c5 = await receiver(port);
    clock.advance(500);
    await s.poll();
    await s.idle();
    expect(c5.hits.map((h) => h.alertId).sort()).toEqual([...ids].sort());
    for (const id of ids) expect((await outbox().find(id, 'escalated'))?.deliveredAt).toBe(clock.now().getTime());
  });

  it('an outage never becomes a storm: retries go one probe at a time, new escalations are still tried at once, and the first success lets the backlog go', async () => {
    const port = await freePort();
    const s = sender(`http://127.0.0.1:${port}/c5`, { clock, autoRun: false, retryBaseMs: 500, random: () => 1 });
    wakeOnEscalation(manual.bus, s);
    const ids: string[] = [];
    for (let i = 0; i < 12; i++) ids.push((await escalate(manual)).id);
    await s.idle();
    const attempts = async () => {
      let n = 0;
      for (const id of ids) n += (await outbox().find(id, 'escalated'))?.attempts ?? 0;
      return n;
    };
    expect(await attempts()).toBe(12); // every escalation tried once, at once
    clock.advance(1000); // all twelve are due again…
    await s.poll();
    await s.idle();
    expect(await attempts()).toBe(13); // …but the receiver looks down: one probe
    await s.poll();
    await s.idle();
    expect(await attempts()).toBe(13);
    ids.push((await escalate(manual)).id); // a new escalation is not held back by the outage
    await s.idle();
    expect(await attempts()).toBe(14);

    const c5 = await receiver(port);
    clock.advance(10_000); // the next probe's time
    await s.poll();
    await s.idle();
    expect(c5.hits.map((h) => h.alertId).sort()).toEqual([...ids].sort());
    for (const id of ids) expect((await outbox().find(id, 'escalated'))?.deliveredAt).not.toBeNull();
  });
});
