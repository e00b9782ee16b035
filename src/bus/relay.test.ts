// The relay against a real JetStream: order, marking sent, NATS outages, two relays on one database.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';
import { availableEngines } from '../../tests/support/engines.js';
import { natsUnavailable, natsUrl, startOwnNatsServer, uniqueStream, type OwnNatsServer } from '../../tests/support/nats.js';
import { openStorage, type Storage } from '../storage/index.js';
import { deleteStream, EventOutbox, NatsBus, type BusEvent, type DeliveredEvent, type NatsSettings } from './index.js';

const engines = await availableEngines();
const natsReason = await natsUnavailable();
if (natsReason) console.warn(`⚠ skipping the relay suite: ${natsReason}`);

const ev = (chain: string, n: number): BusEvent => ({ id: randomUUID(), subject: `chain.${chain}`, payload: { chain, n }, at: Date.now() });
const settings = (servers: string): NatsSettings => ({ servers: [servers], ...uniqueStream(), replicas: 1, maxAgeMs: 3600_000, duplicateWindowMs: 120_000 });
const fastRelay = { pollMs: 200, backoffMs: { initial: 50, max: 400 } };

async function until(what: string, ok: () => boolean | Promise<boolean>, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await ok())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Everything in the stream, read through the bus's own subscriber. */
function collect(bus: NatsBus): DeliveredEvent[] {
  const got: DeliveredEvent[] = [];
  bus.subscribe({ from: { seq: 1 }, handler: (e) => { got.push(e); } });
  return got;
}

describe.skipIf(natsReason !== null).each(engines)('event relay on $name', (engine) => {
  let storage: Storage;
  let cleanup: () => Promise<void>;
  let nc: NatsConnection;
  const buses: NatsBus[] = [];
  const streams: string[] = [];
  const servers: OwnNatsServer[] = [];
  const open = (s: NatsSettings, relay = fastRelay) => {
    const b = new NatsBus({ db: storage.db, nats: s, relay });
    buses.push(b);
    if (s.servers[0] === natsUrl) streams.push(s.stream);
    return b;
  };

  beforeAll(async () => {
    const fresh = await engine.fresh();
    cleanup = fresh.cleanup;
    storage = await openStorage({ databaseUrl: fresh.config.databaseUrl, dataDir: fresh.config.dataDir, schema: fresh.config.databaseSchema });
    nc = await connect({ servers: natsUrl });
  });
  afterEach(async () => {
    await Promise.all(buses.splice(0).map((b) => b.close()));
    await Promise.all(streams.splice(0).map((s) => deleteStream(nc, s)));
    await Promise.all(servers.splice(0).map((s) => s.dispose()));
    await storage.db.deleteFrom('event_outbox').execute();
  });
  afterAll(async () => { await nc?.close(); await storage?.close(); await cleanup?.(); });

  it('publishes every committed event once, in commit order, with the event id as Nats-Msg-Id, and marks it sent', async () => {
    const s = settings(natsUrl);
    const bus = open(s);
    const written: BusEvent[] = [];
    for (let t = 0; t < 20; t++) {
      const events = Array.from({ length: 50 }, (_, i) => ev('a', t * 50 + i));
      await bus.transact(storage.db, async () => ({ value: null, events }));
      written.push(...events);
    }
    const got = collect(bus);
    await until('1000 events at the consumer', () => got.length >= 1000);
    expect(got.map((e) => e.id)).toEqual(written.map((e) => e.id));
    expect(got.map((e) => e.seq)).toEqual(written.map((_, i) => i + 1));
    expect(got[0]).toMatchObject({ subject: 'chain.a', payload: { chain: 'a', n: 0 } });
    await until('all rows marked sent', async () => (await new EventOutbox(storage.db).backlog()) === 0);

    const jsm = await jetstreamManager(nc);
    const info = await jsm.streams.info(s.stream);
    expect(info.config.duplicate_window).toBe(120_000 * 1e6);
    expect(info.config.subjects).toEqual([`${s.subjectPrefix}.>`]);
    const stored = await jsm.streams.getMessage(s.stream, { seq: 7 });
    expect(stored?.header.get('Nats-Msg-Id')).toBe(written[6]!.id);
  });

  it('a rolled-back change publishes nothing', async () => {
    const bus = open(settings(natsUrl));
    const kept = ev('k', 1);
    await expect(bus.transact(storage.db, async () => { await bus.record(storage.db, []); throw new Error('no'); })).rejects.toThrow('no');
    await expect(storage.db.transaction().execute(async (trx) => { await bus.record(trx, [ev('k', 0)]); throw new Error('rolled back'); })).rejects.toThrow();
    await bus.transact(storage.db, async () => ({ value: null, events: [kept] }));
    const got = collect(bus);
    await until('the kept event', () => got.length >= 1);
    await new Promise((r) => setTimeout(r, 300));
    expect(got.map((e) => e.id)).toEqual([kept.id]);
  });

  it('keeps rows while NATS is unreachable and publishes them, once each and in order, when it comes back', async () => {
    const server = await startOwnNatsServer();
    servers.push(server);
    await server.kill(); // nothing listens on its port now
    const bus = open(settings(server.url));
    const outbox = new EventOutbox(storage.db);
    const before = Array.from({ length: 300 }, (_, i) => ev('o', i));
    for (let i = 0; i < before.length; i += 30) await bus.transact(storage.db, async () => ({ value: null, events: before.slice(i, i + 30) }));
    await new Promise((r) => setTimeout(r, 800));
    expect(await outbox.backlog()).toBe(300);

    let t0 = Date.now();
    await server.start();
    await until('the backlog published', async () => (await outbox.backlog()) === 0);
    console.log(`backlog of 300 published ${Date.now() - t0} ms after the server started`);

    // A second outage in the middle of a stream of commits: the server dies and comes back.
    let writing = true;
    const during: BusEvent[] = [];
    const writer = (async () => {
      for (let n = 300; writing; n++) {
        const e = ev('o', n);
        await bus.transact(storage.db, async () => ({ value: null, events: [e] }));
        during.push(e);
        await new Promise((r) => setTimeout(r, 2));
      }
    })();
    await new Promise((r) => setTimeout(r, 300));
    await server.kill();
    await new Promise((r) => setTimeout(r, 700));
    await server.start();
    t0 = Date.now();
    await new Promise((r) => setTimeout(r, 300));
    writing = false;
    await writer;
    await until('everything published', async () => (await outbox.backlog()) === 0, 30_000);
    console.log(`caught up ${Date.now() - t0} ms after the restart; relay: ${JSON.stringify(bus.relayStats())}`);

    const got = collect(bus);
    const all = [...before, ...during];
    await until('every event at the consumer', () => got.length >= all.length, 30_000);
    await new Promise((r) => setTimeout(r, 300));
    expect(got.map((e) => e.id)).toEqual(all.map((e) => e.id)); // none lost, none twice, in order
    expect(bus.relayStats().failures).toBe(0);
  }, 60_000);

  it('closes at once while NATS is unreachable, leaving the rows for the next start', async () => {
    const server = await startOwnNatsServer();
    servers.push(server);
    await server.kill();
    const bus = new NatsBus({ db: storage.db, nats: settings(server.url), relay: fastRelay });
    await bus.transact(storage.db, async () => ({ value: null, events: [ev('z', 1), ev('z', 2)] }));
    expect(bus.health()).toMatchObject({ mode: 'nats', connected: false });
    const t0 = Date.now();
    await bus.close();
    expect(Date.now() - t0).toBeLessThan(1000);
    expect(await new EventOutbox(storage.db).backlog()).toBe(2);
  });

  it('two relays on one database publish causally ordered events in order and lose none', async () => {
    const s = settings(natsUrl);
    const a = open(s);
    const b = open({ ...s, connectionName: 'second' });
    const chains = ['c1', 'c2', 'c3', 'c4'];
    const written: BusEvent[] = [];
    // Each chain's next event is committed after its previous one (as an alert's next version is):
    // whichever instance writes it, and whichever relay is woken.
    await Promise.all(chains.map(async (chain, ci) => {
      for (let n = 0; n < 150; n++) {
        const bus = (n + ci) % 3 === 0 ? b : a;
        const e = ev(chain, n);
        await bus.transact(storage.db, async () => ({ value: null, events: [e] }));
        written.push(e);
      }
    }));
    const got = collect(a);
    await until('600 events', () => got.length >= 600, 20_000);
    await new Promise((r) => setTimeout(r, 500));
    expect(new Set(got.map((e) => e.id)).size).toBe(600);
    expect(got.length).toBe(600);
    for (const chain of chains) {
      const ns = got.filter((e) => (e.payload as { chain: string }).chain === chain).map((e) => (e.payload as { n: number }).n);
      expect(ns).toEqual(Array.from({ length: 150 }, (_, i) => i));
    }
    const [sa, sb] = [a.relayStats(), b.relayStats()];
    console.log(`two relays: ${JSON.stringify(sa)} ${JSON.stringify(sb)}`);
    // Both relays worked, and what they both sent JetStream stored once.
    expect({ stored: sa.published + sb.published - sa.duplicates - sb.duplicates, a: sa, b: sb }).toMatchObject({ stored: 600 });
    await until('all rows marked sent', async () => (await new EventOutbox(storage.db).backlog()) === 0);
  }, 60_000);
});
