// The per-instance subscription against a real JetStream: resuming, bad messages, lost consumers,
// server restarts, and what a slow handler leaves queued.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { natsUnavailable, natsUrl, startOwnNatsServer, uniqueStream, type OwnNatsServer } from '../../tests/support/nats.js';
import { deleteStream, ensureStream, NatsSubscription, type BusEvent, type DeliveredEvent, type NatsSettings } from './index.js';
import { encodeEvent } from './codec.js';

const reason = await natsUnavailable();
if (reason) console.warn(`⚠ skipping the subscriber suite: ${reason}`);

async function until(what: string, ok: () => boolean, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
const ev = (n: number, subject = 'unit.changed'): BusEvent => ({ id: randomUUID(), subject, payload: { n }, at: 1000 + n });

describe.skipIf(reason !== null)('event subscriber', () => {
  let nc: NatsConnection;
  let s: NatsSettings;
  const subs: NatsSubscription[] = [];
  const servers: OwnNatsServer[] = [];
  const warnings: { message: string; detail?: Record<string, unknown> }[] = [];
  const log = { warn: (message: string, detail?: Record<string, unknown>) => { warnings.push({ message, ...(detail ? { detail } : {}) }); } };

  const publish = async (conn: NatsConnection, events: BusEvent[], settings = s) => {
    const js = jetstream(conn);
    await Promise.all(events.map((e) => js.publish(`${settings.subjectPrefix}.${e.subject}`, encodeEvent(e), { msgID: e.id })));
  };
  const subscribe = (o: Partial<ConstructorParameters<typeof NatsSubscription>[0]> & { got: DeliveredEvent[] }, conn = nc, settings = s) => {
    const sub = new NatsSubscription({ nc: conn, stream: settings.stream, subjectPrefix: settings.subjectPrefix, log, from: 'new', handler: (e) => { o.got.push(e); }, ...o });
    subs.push(sub);
    return sub;
  };

  beforeAll(async () => { nc = await connect({ servers: natsUrl }); });
  afterEach(async () => {
    await Promise.all(subs.splice(0).map((x) => x.stop()));
    await deleteStream(nc, s.stream);
    await Promise.all(servers.splice(0).map((x) => x.dispose()));
    warnings.length = 0;
  });
  afterAll(async () => { await nc?.close(); });
  const fresh = async (servers = [natsUrl], conn = nc) => {
    s = { servers, ...uniqueStream(), replicas: 1, maxAgeMs: 3600_000, duplicateWindowMs: 60_000 };
    await ensureStream(conn, s);
    return s;
  };

  /** A private server (to restart or pause), a connection and a stream on it; all of it gone afterwards. */
  const withOwnServer = async (
    body: (server: OwnNatsServer, own: NatsConnection, settings: NatsSettings) => Promise<void>,
    /** Run first in the cleanup (a paused server must be resumed before anything can close). */
    before: (server: OwnNatsServer) => void = () => undefined,
  ) => {
    const server = await startOwnNatsServer();
    servers.push(server);
    const own = await connect({ servers: server.url, maxReconnectAttempts: -1, reconnectTimeWait: 100 });
    const settings = await fresh([server.url], own);
    try {
      await body(server, own, settings);
    } finally {
      before(server);
      await Promise.all(subs.splice(0).map((x) => x.stop()));
      await deleteStream(own, settings.stream).catch(() => undefined);
      await own.close();
      s = { ...s, stream: `${settings.stream}_gone` };
    }
  };

  it('resumes from a sequence, or takes only new events', async () => {
    await fresh();
    const first = Array.from({ length: 20 }, (_, i) => ev(i));
    await publish(nc, first);
    const resumed: DeliveredEvent[] = [];
    const fresh2: DeliveredEvent[] = [];
    subscribe({ from: { seq: 11 }, got: resumed });
    const onlyNew = subscribe({ from: 'new', got: fresh2 });
    await until('seq 11..20', () => resumed.length >= 10);
    await new Promise((r) => setTimeout(r, 200)); // the "new" subscription is in place
    const later = [ev(20), ev(21)];
    await publish(nc, later);
    await until('the later two on both', () => resumed.length >= 12 && fresh2.length >= 2);
    expect(resumed.map((e) => e.seq)).toEqual(Array.from({ length: 12 }, (_, i) => 11 + i));
    expect(resumed.map((e) => e.id)).toEqual([...first.slice(10), ...later].map((e) => e.id));
    expect(fresh2.map((e) => [e.seq, e.id])).toEqual([[21, later[0]!.id], [22, later[1]!.id]]);
    expect(onlyNew.lastSeq).toBe(22);
  });

  it('logs and skips malformed, mislabelled and unknown events and a failing handler, and goes on', async () => {
    await fresh();
    const js = jetstream(nc);
    const good1 = ev(1);
    const boom = ev(2);
    const good2 = ev(3);
    await publish(nc, [good1]);
    await js.publish(`${s.subjectPrefix}.unit.changed`, new TextEncoder().encode('{not json'));
    await js.publish(`${s.subjectPrefix}.unit.changed`, new TextEncoder().encode('[1,2]'));
    await js.publish(`${s.subjectPrefix}.unit.changed`, encodeEvent({ ...ev(9), subject: 'alert.changed' })); // body says another subject
    await publish(nc, [ev(4, 'future.kind')]);
    await publish(nc, [boom]);
    await publish(nc, [good2]);
    const got: DeliveredEvent[] = [];
    subscribe({
      from: { seq: 1 }, got, known: (subject) => subject === 'unit.changed',
      handler: (e) => { if (e.id === boom.id) throw new Error('handler bug'); got.push(e); },
    });
    await until('the second good event', () => got.length >= 2);
    expect(got.map((e) => e.id)).toEqual([good1.id, good2.id]);
    expect(warnings.map((w) => [w.message, w.detail?.reason ?? w.detail?.subject])).toEqual([
      ['event bus: malformed event skipped', 'not JSON'],
      ['event bus: malformed event skipped', 'not an object'],
      ['event bus: malformed event skipped', 'subject does not match the message subject'],
      ['event bus: unknown event skipped', 'future.kind'],
      ['event bus: handler failed, event skipped', `${s.subjectPrefix}.unit.changed`],
    ]);
  });

  it('reports a gap when asked for events the stream no longer holds, and starts at the oldest it has', async () => {
    await fresh();
    await publish(nc, Array.from({ length: 10 }, (_, i) => ev(i)));
    const jsm = await jetstreamManager(nc);
    await jsm.streams.purge(s.stream, { seq: 8 }); // keeps 8..10, as retention would
    const gaps: { requested: number; first: number }[] = [];
    const got: DeliveredEvent[] = [];
    subscribe({ from: { seq: 3 }, got, onGap: (g) => gaps.push(g) });
    await until('8..10', () => got.length >= 3);
    expect(gaps).toEqual([{ requested: 3, first: 8 }]);
    expect(got.map((e) => e.seq)).toEqual([8, 9, 10]);
  });

  it('recreates itself when its consumer is deleted under it, and after the server restarts', async () => {
    await withOwnServer(async (server, own, settings) => {
      const got: DeliveredEvent[] = [];
      subscribe({ from: 'new', got }, own, settings);
      await new Promise((r) => setTimeout(r, 300));
      await publish(own, [ev(1), ev(2)], settings);
      await until('first two', () => got.length >= 2);

      const jsm = await jetstreamManager(own);
      for await (const c of jsm.consumers.list(settings.stream)) await jsm.consumers.delete(settings.stream, c.name);
      let t0 = Date.now();
      await publish(own, [ev(3)], settings);
      await until('the event after the consumer was deleted', () => got.length >= 3, 20_000);
      console.log(`consumer deleted: next event delivered after ${Date.now() - t0} ms`);

      await server.kill();
      await server.start();
      await until('reconnected', () => !own.isClosed() && own.info !== undefined);
      await new Promise((r) => setTimeout(r, 500));
      t0 = Date.now();
      await publish(own, [ev(4), ev(5)], settings);
      await until('the events after the restart', () => got.length >= 5, 20_000);
      console.log(`server restarted: next events delivered after ${Date.now() - t0} ms`);
      expect(got.map((e) => (e.payload as { n: number }).n)).toEqual([1, 2, 3, 4, 5]);
      expect(got.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
    });
  }, 60_000);

  it('recovers from a server that stopped answering without closing the connection (missed heartbeats)', async () => {
    await withOwnServer(async (server, own, settings) => {
      const got: DeliveredEvent[] = [];
      const sub = subscribe({ from: 'new', got, expiresMs: 2000 }, own, settings);
      await new Promise((r) => setTimeout(r, 300));
      await publish(own, [ev(1)], settings);
      await until('the first event', () => got.length >= 1);
      server.pause();
      await new Promise((r) => setTimeout(r, 6000)); // > 3 heartbeats of 1 s
      server.resume();
      const t0 = Date.now();
      await publish(own, [ev(2)], settings);
      await until('the event after the pause', () => got.length >= 2, 20_000);
      console.log(`paused server: next event delivered ${Date.now() - t0} ms after it answered again; consumers created: ${sub.created}`);
      expect(got.map((e) => e.seq)).toEqual([1, 2]);
    }, (server) => server.resume());
  }, 60_000);

  it('a slow handler holds a bounded number of events, not the backlog', async () => {
    await fresh();
    const backlog = Array.from({ length: 5000 }, (_, i) => ev(i));
    for (let i = 0; i < backlog.length; i += 500) await publish(nc, backlog.slice(i, i + 500));
    let handled = 0;
    const sub = subscribe({
      from: { seq: 1 }, got: [], maxBuffered: 100,
      handler: async () => { handled++; await new Promise((r) => setTimeout(r, 1)); },
    });
    await until('600 handled slowly', () => handled >= 600, 30_000);
    console.log(`slow handler: ${handled} of 5000 handled, at most ${sub.peakBuffered} waiting in the client (batch 100)`);
    expect(sub.peakBuffered).toBeLessThanOrEqual(200);
    expect(sub.peakBuffered).toBeGreaterThan(0);
  }, 60_000);
});
