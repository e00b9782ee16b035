// The bus of a single instance (CUADRANTE_NATS_URL unset): events go from `committed()` straight to
// the subscribers in this process, as the contexts' EventEmitters always did — no outbox row, no relay.
// An event may be lost only with the process, and then so is every subscriber it could reach (the
// pages and consoles reconnect and load a fresh snapshot); the durable record of what happened is the
// domain's own tables (alert_events…), not the bus.
//
// It keeps the last `replay` events in memory so a subscription can resume from a sequence within
// this process's life, as it would from the stream; older ones are reported as a gap.
import type { Db } from '../storage/index.js';
import { silentLog, type BusEvent, type BusHealth, type BusLog, type DeliveredEvent, type EventBus, type SubscribeOptions, type Subscription } from './types.js';
import { transactWith } from './transact.js';
import { payloadJson } from './codec.js';

interface LocalSub { o: SubscribeOptions; last: number; stopped: boolean; match: (subject: string) => boolean }

export class LocalBus implements EventBus {
  readonly mode = 'local' as const;
  private seq = 0;
  private readonly ring: DeliveredEvent[] = [];
  private readonly subs = new Set<LocalSub>();

  constructor(private readonly opts: { log?: BusLog; replay?: number } = {}) {}

  async record(_trx: Db, events: readonly BusEvent[]): Promise<void> {
    // Nothing to store; refuse now what the NATS bus would refuse at its insert, so both behave alike.
    for (const e of events) payloadJson(e);
  }

  committed(events: readonly BusEvent[]): void {
    for (const e of events) {
      // Through JSON, as over NATS: a handler sees the same plain data whichever bus runs (no Dates,
      // no shared objects the emitter might still change).
      const d: DeliveredEvent = { id: e.id, subject: e.subject, at: e.at, payload: JSON.parse(payloadJson(e)), seq: ++this.seq };
      this.ring.push(d);
      if (this.ring.length > (this.opts.replay ?? 10_000)) this.ring.shift();
      for (const s of this.subs) this.deliver(s, d);
    }
  }

  transact<T>(db: Db, work: (trx: Db) => Promise<{ value: T; events: readonly BusEvent[] }>): Promise<T> {
    return transactWith(this, db, work);
  }

  subscribe(o: SubscribeOptions): Subscription {
    const s: LocalSub = { o, last: 0, stopped: false, match: subjectMatcher(o.filter) };
    if (o.from !== 'new') {
      const first = this.ring[0]?.seq ?? this.seq + 1;
      if (o.from.seq < first && o.from.seq <= this.seq) o.onGap?.({ requested: o.from.seq, first });
      for (const d of this.ring) if (d.seq >= o.from.seq) this.deliver(s, d);
    }
    this.subs.add(s);
    const subs = this.subs;
    return {
      get lastSeq() { return s.last; },
      get healthy() { return !s.stopped; },
      async stop() { s.stopped = true; subs.delete(s); },
    };
  }

  health(): BusHealth { return { mode: 'local', connected: true, backlog: 0, relayFailures: 0 }; }

  async close(): Promise<void> { this.subs.clear(); }

  /** Synchronous, like EventEmitter.emit; an async handler's rejection and any throw are logged, never raised. */
  private deliver(s: LocalSub, d: DeliveredEvent): void {
    if (s.stopped || !s.match(d.subject)) return;
    s.last = d.seq;
    const log = this.opts.log ?? silentLog;
    if (s.o.known && !s.o.known(d.subject)) { log.warn('event bus: unknown event skipped', { seq: d.seq, subject: d.subject, id: d.id }); return; }
    const fail = (err: unknown) => log.warn('event bus: handler failed, event skipped', { seq: d.seq, subject: d.subject, error: err instanceof Error ? err.message : String(err) });
    try {
      const r = s.o.handler(d);
      if (r instanceof Promise) r.catch(fail);
    } catch (err) {
      fail(err);
    }
  }
}

/** NATS subject matching for one filter: `*` one token, `>` the rest. */
export function subjectMatcher(filter: string | undefined): (subject: string) => boolean {
  if (!filter || filter === '>') return () => true;
  const f = filter.split('.');
  return (subject) => {
    const t = subject.split('.');
    for (let i = 0; i < f.length; i++) {
      if (f[i] === '>') return t.length > i;
      if (i >= t.length || (f[i] !== '*' && f[i] !== t[i])) return false;
    }
    return t.length === f.length;
  };
}
