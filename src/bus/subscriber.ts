// Per-instance fan-out from JetStream: an ordered consumer (ephemeral, in memory on the server, no
// acks) from a stream sequence or "new only", handing each decoded event to the handler in order.
//
// The client's ordered consumer already recreates itself after a sequence gap, a consumer deleted
// under it, or a reconnect. Around it, this loop recreates the whole subscription from the next
// sequence whenever it ends anyway (the client stops after 30 failed re-creations, a closed
// iterator) or the server stays silent past three heartbeats — the consumer that silently stops is
// the failure to guard against.
//
// Memory: events are pulled in batches of at most `maxBuffered`, and the client queues the request
// for the next batch behind the events already received, so it is sent only once the handler has
// worked through them: a slow handler holds at most ~`maxBuffered` events (plus one batch in
// flight), never the stream's backlog. Measured in subscriber.test.ts.
import type { NatsConnection } from '@nats-io/transport-node';
import { DeliverPolicy, jetstream, type ConsumerMessages, type JetStreamClient, type JetStreamManager, type JsMsg } from '@nats-io/jetstream';
import { decodeEvent } from './codec.js';
import { silentLog, type BusLog, type SubscribeOptions, type Subscription } from './types.js';

export interface NatsSubscriberOptions extends SubscribeOptions {
  /** The connection, or its promise (the subscriber waits for it). */
  nc: NatsConnection | Promise<NatsConnection>;
  stream: string;
  subjectPrefix: string;
  log?: BusLog;
  /** Events pulled per batch, the bound on what a slow handler leaves queued (default 256). */
  maxBuffered?: number;
  /** Pull expiry (default 4 s); the server's idle heartbeat is half of it. */
  expiresMs?: number;
}

export class NatsSubscription implements Subscription {
  private last = 0;
  /** The next stream sequence to deliver: where a recreated consumer starts. */
  private next: number | 'new';
  private stopped = false;
  private current: ConsumerMessages | null = null;
  private wake: (() => void) | null = null;
  private readonly done: Promise<void>;
  private readonly log: BusLog;
  private js: JetStreamClient | null = null;
  private jsm: JetStreamManager | null = null;
  /** The most events ever waiting in the client's queue at once (diagnostics, the memory test). */
  peakBuffered = 0;
  /** Consumers created (the first one and every re-creation by this loop). */
  created = 0;

  constructor(private readonly o: NatsSubscriberOptions) {
    this.next = o.from === 'new' ? 'new' : Math.max(1, o.from.seq);
    this.log = o.log ?? silentLog;
    this.done = this.run();
  }

  get lastSeq(): number { return this.last; }

  /** A consumer is running (false between a failure and its re-creation): what /health/ready asks. */
  get healthy(): boolean { return this.current !== null && !this.stopped; }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    await this.current?.close().catch(() => undefined);
    await this.done;
  }

  private async run(): Promise<void> {
    const nc = await Promise.race([this.o.nc, new Promise<null>((r) => { this.wake = () => r(null); })]).catch(() => null);
    if (!nc) return;
    this.js = jetstream(nc);
    void this.watchConnection(nc);
    let failures = 0;
    while (!this.stopped) {
      try {
        const from = await this.startSeq();
        const consumer = await this.js.consumers.get(this.o.stream, {
          deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: from,
          ...(this.o.filter ? { filter_subjects: `${this.o.subjectPrefix}.${this.o.filter}` } : {}),
        });
        if (this.stopped) break;
        const msgs = await consumer.consume({ max_messages: this.o.maxBuffered ?? 256, expires: this.o.expiresMs ?? 4000 });
        this.current = msgs;
        this.created++;
        void this.watch(msgs);
        for await (const m of msgs) {
          failures = 0;
          this.peakBuffered = Math.max(this.peakBuffered, msgs.getPending());
          await this.deliver(m);
          if (this.stopped) break;
        }
      } catch (err) {
        if (!this.stopped) this.log.warn('event bus: subscription failed, recreating it', { error: err instanceof Error ? err.message : String(err) });
      }
      await this.current?.close().catch(() => undefined);
      this.current = null;
      failures++;
      if (!this.stopped) await this.sleep(Math.min(5000, 250 * 2 ** Math.min(failures - 1, 5)));
    }
  }

  /** Resolves "new" to the stream's next sequence once (so a re-creation misses nothing), and reports events lost to retention. */
  private async startSeq(): Promise<number> {
    this.jsm ??= await this.js!.jetstreamManager();
    const { state } = await this.jsm.streams.info(this.o.stream);
    if (this.next === 'new') this.next = state.last_seq + 1;
    // The stream was recreated from empty (its store wiped, or deleted): waiting for our old
    // sequence would deliver nothing for a long time. Everything since is new to us: a gap.
    if (this.next > state.last_seq + 1) {
      this.o.onGap?.({ requested: this.next, first: Math.max(1, state.first_seq) });
      this.next = Math.max(1, state.first_seq);
    }
    if (this.next < state.first_seq) {
      this.o.onGap?.({ requested: this.next, first: state.first_seq });
      this.next = state.first_seq;
    }
    return this.next;
  }

  /** Missed heartbeats the client's own recovery did not cure: end this consumer, the loop makes another. */
  private async watch(msgs: ConsumerMessages): Promise<void> {
    try {
      for await (const s of msgs.status()) {
        if (s.type === 'heartbeats_missed' && s.count >= 3) {
          this.log.warn('event bus: no heartbeat from the server, recreating the subscription', { stream: this.o.stream });
          await msgs.close().catch(() => undefined);
          return;
        }
        // The client would notice only after two missed heartbeats and a retry of `expires`: seconds.
        if (s.type === 'consumer_deleted') {
          await msgs.close().catch(() => undefined);
          return;
        }
      }
    } catch {
      // the iterator ended with the consumer
    }
  }

  /**
   * After a reconnect the in-memory consumer may be gone (a restarted server, another cluster node):
   * recreate it at once from the next sequence instead of waiting for the client to find out.
   */
  private async watchConnection(nc: NatsConnection): Promise<void> {
    for await (const s of nc.status()) {
      if (this.stopped) return;
      if (s.type === 'reconnect') await this.current?.close().catch(() => undefined);
    }
  }

  private async deliver(m: JsMsg): Promise<void> {
    const prefix = `${this.o.subjectPrefix}.`;
    const subject = m.subject.startsWith(prefix) ? m.subject.slice(prefix.length) : m.subject;
    try {
      const d = decodeEvent(m.data, subject);
      if (!d.ok) {
        this.log.warn('event bus: malformed event skipped', { seq: m.seq, subject: m.subject, reason: d.reason });
      } else if (this.o.known && !this.o.known(d.event.subject)) {
        this.log.warn('event bus: unknown event skipped', { seq: m.seq, subject: d.event.subject, id: d.event.id });
      } else {
        await this.o.handler({ ...d.event, seq: m.seq });
      }
    } catch (err) {
      this.log.warn('event bus: handler failed, event skipped', { seq: m.seq, subject: m.subject, error: err instanceof Error ? err.message : String(err) });
    }
    this.last = m.seq;
    this.next = m.seq + 1;
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(done, ms);
      function done() { clearTimeout(t); resolve(); }
      this.wake = () => { this.wake = null; done(); };
    });
  }
}
