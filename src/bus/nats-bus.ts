// The bus between instances: outbox rows in the caller's transaction, the relay publishing them to
// JetStream, ordered consumers fanning them out. Returned at once: the connection is made in the
// background, so an instance starts, and commits (the outbox keeps the events), while NATS is down.
import type { NatsConnection } from '@nats-io/transport-node';
import { jetstream } from '@nats-io/jetstream';
import type { Db } from '../storage/index.js';
import { appendEvents } from './outbox.js';
import { Relay, type Publish, type RelayOptions } from './relay.js';
import { connectNats, ensureStream, jetStreamPublisher, type NatsSettings } from './nats.js';
import { NatsSubscription } from './subscriber.js';
import { silentLog, type BusEvent, type BusHealth, type BusLog, type EventBus, type SubscribeOptions, type Subscription } from './types.js';
import { transactWith } from './transact.js';

export interface NatsBusOptions {
  db: Db;
  nats: NatsSettings;
  log?: BusLog;
  /** Relay tuning (tests: a short poll and backoff). */
  relay?: Omit<RelayOptions, 'db' | 'publish' | 'log' | 'beforeRetry'>;
  /** Per subscription: events a slow handler may leave queued (default 256). */
  maxBuffered?: number;
}

export class NatsBus implements EventBus {
  readonly mode = 'nats' as const;
  /** Resolves once connected and the stream exists; rejects only if the bus is closed first. */
  readonly ready: Promise<NatsConnection>;
  private nc: NatsConnection | null = null;
  private publish: Publish | null = null;
  private abandon: (err: Error) => void = () => undefined;
  private readonly abandoned = new Promise<never>((_, reject) => { this.abandon = reject; });
  private readonly relay: Relay;
  private readonly subs = new Set<NatsSubscription>();
  private closed = false;
  private readonly log: BusLog;

  constructor(private readonly o: NatsBusOptions) {
    this.log = o.log ?? silentLog;
    this.abandoned.catch(() => undefined);
    this.ready = Promise.race([this.connect(), this.abandoned]);
    this.ready.catch(() => undefined);
    this.relay = new Relay({
      ...o.relay, db: o.db, log: this.log,
      publish: async (row) => {
        if (!this.publish) await this.ready;
        return this.publish!(row);
      },
      beforeRetry: async () => { if (this.nc && !this.nc.isClosed()) await ensureStream(this.nc, o.nats); },
    });
    // The first round waits for the connection (its publish awaits `ready`), then drains what earlier runs left.
    this.relay.start();
  }

  async record(trx: Db, events: readonly BusEvent[]): Promise<void> {
    await appendEvents(trx, events);
  }

  committed(_events: readonly BusEvent[]): void {
    this.relay.kick();
  }

  transact<T>(db: Db, work: (trx: Db) => Promise<{ value: T; events: readonly BusEvent[] }>): Promise<T> {
    return transactWith(this, db, work);
  }

  subscribe(opts: SubscribeOptions): Subscription {
    const sub = new NatsSubscription({
      ...opts, nc: this.ready, stream: this.o.nats.stream, subjectPrefix: this.o.nats.subjectPrefix, log: this.log,
      ...(this.o.maxBuffered ? { maxBuffered: this.o.maxBuffered } : {}),
    });
    this.subs.add(sub);
    const subs = this.subs;
    return { get lastSeq() { return sub.lastSeq; }, get healthy() { return sub.healthy; }, async stop() { subs.delete(sub); await sub.stop(); } };
  }

  health(): BusHealth {
    const r = this.relay.stats();
    return { mode: 'nats', connected: this.nc !== null && !this.nc.isClosed() && this.connectedNow, backlog: r.backlog, relayFailures: r.failures };
  }

  relayStats() { return this.relay.stats(); }

  async close(): Promise<void> {
    this.closed = true;
    this.abandon(new Error('event bus closed'));
    await this.relay.stop();
    await Promise.all([...this.subs].map((s) => s.stop()));
    this.subs.clear();
    await this.nc?.drain().catch(() => undefined);
  }

  private connectedNow = false;

  private async connect(): Promise<NatsConnection> {
    const nc = await connectNats(this.o.nats);
    if (this.closed) { await nc.close(); throw new Error('event bus closed'); }
    this.nc = nc;
    this.publish = jetStreamPublisher(jetstream(nc), this.o.nats);
    this.connectedNow = true;
    void (async () => {
      for await (const s of nc.status()) {
        if (s.type === 'disconnect') { this.connectedNow = false; this.log.warn('event bus: NATS connection lost, reconnecting', { server: s.server }); }
        if (s.type === 'reconnect') { this.connectedNow = true; this.relay.connectionChanged(); this.log.warn('event bus: NATS reconnected', { server: s.server }); }
      }
    })();
    // Until the stream exists, publishes fail and the relay retries (re-ensuring before each retry).
    await ensureStream(nc, this.o.nats).catch((err: unknown) => this.log.warn('event bus: could not ensure the stream yet', { error: err instanceof Error ? err.message : String(err) }));
    return nc;
  }
}
