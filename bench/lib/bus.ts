// The event relay's publish rate beside a bare JetStream publish loop (issue 11, item 8), and the
// commit → subscriber latency through outbox, relay and an ordered consumer. For `npm run bench -- cluster`.
import { randomUUID } from 'node:crypto';
import { connect } from '@nats-io/transport-node';
import { jetstream } from '@nats-io/jetstream';
import type { Db } from '../../src/storage/index.js';
import { deleteStream, encodeEvent, ensureStream, NatsBus, type BusEvent, type NatsSettings } from '../../src/bus/index.js';
import { percentiles, type Percentiles } from './stats.js';

export interface RelayBench {
  /** Events/s the relay published: rows already committed, from the first publish to the last marked sent. */
  relayPerSec: number;
  /** Events/s of a bare loop of the same bodies, 256 publishes in flight, no database. */
  barePerSec: number;
  /** commit → handler on an ordered consumer, events committed one per transaction at `rate`/s. */
  latencyMs: Percentiles;
}

export async function benchRelay(opts: { db: Db; servers: string[]; events?: number; rate?: number; latencyEvents?: number }): Promise<RelayBench> {
  const n = opts.events ?? 5000;
  const tag = `${Date.now().toString(36)}_${randomUUID().slice(0, 6)}`;
  const s: NatsSettings = { servers: opts.servers, stream: `BENCH_${tag}`, subjectPrefix: `bench_${tag}`, replicas: 1, maxAgeMs: 3600_000, duplicateWindowMs: 120_000 };
  const nc = await connect({ servers: opts.servers });
  await ensureStream(nc, s);
  const body = { alertId: randomUUID(), status: 'paging', ring: 1, lat: 19.43, lon: -99.13, units: ['u-1', 'u-2'] };
  const mk = (i: number): BusEvent => ({ id: randomUUID(), subject: 'dispatch.alert.changed', payload: { ...body, i }, at: Date.now() });
  try {
    // Bare loop: the ceiling for this server and payload.
    const js = jetstream(nc);
    const bare = Array.from({ length: n }, (_, i) => mk(i));
    let t0 = performance.now();
    for (let i = 0; i < n; i += 256) {
      await Promise.all(bare.slice(i, i + 256).map((e) => js.publish(`${s.subjectPrefix}.bare`, encodeEvent(e), { msgID: e.id })));
    }
    const barePerSec = n / ((performance.now() - t0) / 1000);

    // Relay: the same number of rows, committed first (100 a transaction), then one kick.
    const bus = new NatsBus({ db: opts.db, nats: s, relay: { pollMs: 60_000 } });
    await bus.ready;
    for (let i = 0; i < n; i += 100) await opts.db.transaction().execute((trx) => bus.record(trx, Array.from({ length: 100 }, (_, j) => mk(i + j))));
    t0 = performance.now();
    bus.committed([]);
    while (bus.relayStats().published < n) await new Promise((r) => setTimeout(r, 2));
    const relayPerSec = n / ((performance.now() - t0) / 1000);

    // Latency: one event per transaction at a steady rate, timed to an ordered consumer's handler.
    const sent = new Map<string, number>();
    const lat: number[] = [];
    const m = opts.latencyEvents ?? 1000;
    const sub = bus.subscribe({ from: 'new', filter: 'latency.>', handler: (e) => { const t = sent.get(e.id); if (t !== undefined) lat.push(performance.now() - t); } });
    await new Promise((r) => setTimeout(r, 300));
    const gap = 1000 / (opts.rate ?? 200);
    const start = performance.now();
    for (let i = 0; i < m; i++) {
      const wait = start + i * gap - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      const e = { ...mk(i), subject: 'latency.tick' };
      sent.set(e.id, performance.now());
      await bus.transact(opts.db, async () => ({ value: null, events: [e] }));
    }
    const deadline = Date.now() + 10_000;
    while (lat.length < m && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    await sub.stop();
    await bus.close();
    return { relayPerSec: Math.round(relayPerSec), barePerSec: Math.round(barePerSec), latencyMs: percentiles(lat) };
  } finally {
    await deleteStream(nc, s.stream);
    await nc.close();
  }
}
