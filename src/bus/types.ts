// The bus port: what every context sees, whichever transport runs underneath (local.ts in one
// process, the outbox + relay + JetStream between instances).
import type { Db } from '../storage/index.js';

/** One domain event. `subject` is relative to the deployment's prefix: `<context>.<event>`. */
export interface BusEvent<P = unknown> {
  /** A uuid; the JetStream message id (de-duplication) and the consumers' idempotency key. */
  id: string;
  subject: string;
  /** JSON-serialisable: it is stored as JSON and crosses the wire as JSON. */
  payload: P;
  /** When the change happened (epoch ms). */
  at: number;
}

/** An event as a subscriber receives it, with its position in the bus. */
export interface DeliveredEvent<P = unknown> extends BusEvent<P> {
  /** The stream sequence (local bus: its own counter); resume after it with `{ seq: seq + 1 }`. */
  seq: number;
}

/** Where a subscription starts: only events published from now on, or from a sequence (inclusive). */
export type StartAt = 'new' | { seq: number };

export type EventHandler = (event: DeliveredEvent) => void | Promise<void>;

export interface SubscribeOptions {
  from: StartAt;
  /**
   * Called once per event, in order. NATS: the next event waits for its promise. Local: called at
   * commit, synchronously like an EventEmitter listener (not awaited). A throw or rejection is logged
   * and the event skipped.
   */
  handler: EventHandler;
  /** Only these subjects, e.g. `dispatch.>` (one filter: nats-server 2.9 takes a single filter_subject). */
  filter?: string;
  /** Subjects this instance understands; any other is logged and skipped. Default: every subject. */
  known?: (subject: string) => boolean;
  /** `from.seq` is older than the oldest event the bus still holds: the caller must resync from a snapshot. */
  onGap?: (gap: { requested: number; first: number }) => void;
}

export interface Subscription {
  /** The sequence of the last event handed to the handler (0: none yet). */
  readonly lastSeq: number;
  /** Receiving (NATS: a consumer is running; local: always). */
  readonly healthy: boolean;
  stop(): Promise<void>;
}

export interface BusLog {
  warn(message: string, detail?: Record<string, unknown>): void;
}

export const silentLog: BusLog = { warn: () => undefined };

export interface BusHealth {
  mode: 'local' | 'nats';
  /** Local: always; NATS: the connection is up. */
  connected: boolean;
  /** Unsent outbox rows the relay saw on its last read (0 for the local bus). */
  backlog: number;
  /** Consecutive failed publish rounds (the relay is backing off while > 0). */
  relayFailures: number;
}

export interface EventBus {
  readonly mode: 'local' | 'nats';
  /**
   * Records events inside the caller's transaction, after the writes they report (so an event exists
   * iff its change committed, and a transaction that read another's change numbers its events later).
   * NATS: outbox rows. Local: nothing to write.
   */
  record(trx: Db, events: readonly BusEvent[]): Promise<void>;
  /** Call after the transaction committed. NATS: wakes the relay. Local: delivers to subscribers now. */
  committed(events: readonly BusEvent[]): void;
  /** record + committed around one transaction: `work` returns its result and the events it caused. */
  transact<T>(db: Db, work: (trx: Db) => Promise<{ value: T; events: readonly BusEvent[] }>): Promise<T>;
  subscribe(opts: SubscribeOptions): Subscription;
  health(): BusHealth;
  /** Stops the relay and the subscriptions, closes the connection; pending outbox rows stay for the next start. */
  close(): Promise<void>;
}

/**
 * What a context's storage sees of the bus: its changes recorded in their own transaction (an
 * outbox row between instances), then a nudge after the commit. Null on a single instance, where
 * the contexts' in-process events are all there is (src/distribution.ts).
 */
export interface ChangeLog {
  /** Inside the change's transaction, after its writes. */
  record(trx: Db, subject: string, payload: unknown): Promise<void>;
  /** After that transaction committed: publish now rather than at the relay's next poll. */
  committed(): void;
  /** A change whose own write is done (a revoked session): recorded in a transaction of its own. */
  publish(subject: string, payload: unknown): Promise<void>;
}
