// Publishes the outbox to JetStream. One loop per instance; every instance's relay publishes the
// oldest unsent rows it sees, in `seq` order, with the event id as Nats-Msg-Id.
//
// Several relays on one PostgreSQL database need no lease between them: a relay that reads an event
// also reads every event committed before it (a snapshot that sees a commit sees all earlier ones),
// and it publishes what it read in order. So an event that causally follows another (its transaction
// read the other's committed change, e.g. the next version of an alert) is always published after it,
// by whichever relay comes first; a row two relays both publish is dropped by JetStream as a
// duplicate (msgID inside duplicate_window), and consumers are idempotent beyond it. No row is lost:
// a row is marked sent only after its ack, and an instance that died with unsent rows leaves them to
// the next relay's poll. (A lease would have one instance publish every instance's events, adding its
// poll or a cross-instance wake-up to every event's path, and stalling them for the lease's length
// when its holder dies.)
//
// Publishes are pipelined: up to `inFlight` wait for their acks at once, acks are awaited in order and
// only the acknowledged prefix is marked sent; after a failure the relay backs off (exponentially,
// capped) and starts again from the first unacknowledged row.
import type { Db } from '../storage/index.js';
import { EventOutbox, type OutboxRow } from './outbox.js';
import { silentLog, type BusLog } from './types.js';

/** Publishes one row with its event id as de-duplication id; rejects when the server did not store it. */
export type Publish = (row: OutboxRow) => Promise<{ duplicate: boolean }>;

export interface RelayOptions {
  db: Db;
  publish: Publish;
  now?: () => number;
  log?: BusLog;
  /** Rows read per round (default 512). */
  batch?: number;
  /** Publishes awaiting their ack at once (default 256). */
  inFlight?: number;
  /** Safety-net poll when nobody kicks (default 1000 ms): rows of an instance that died, missed kicks. */
  pollMs?: number;
  /** Backoff after a failed round: first delay and cap (defaults 100 ms, 10 s). */
  backoffMs?: { initial: number; max: number };
  /** Before a retry: re-ensure the stream (it may have been deleted), when given. */
  beforeRetry?: () => Promise<void>;
  /** Sent rows older than this are deleted (default 1 h), checked every `pruneEveryMs` (default 60 s). */
  retentionMs?: number;
  pruneEveryMs?: number;
}

export interface RelayStats {
  /** Rows published and marked sent by this relay (duplicates included). */
  published: number;
  /** …of which JetStream had already stored (another relay, or a re-send after a lost ack). */
  duplicates: number;
  /** Failed rounds in a row (0 when the last round succeeded). */
  failures: number;
  /** Unsent rows seen by the last read. */
  backlog: number;
  lastError: string | null;
}

export class Relay {
  private readonly outbox: EventOutbox;
  private readonly o: Required<Omit<RelayOptions, 'beforeRetry'>> & Pick<RelayOptions, 'beforeRetry'>;
  private running: Promise<void> | null = null;
  private stopping = false;
  private kicked = false;
  private wake: (() => void) | null = null;
  private lastPrune = 0;
  /** Ends the current round's wait for acks (see connectionChanged). */
  private cut: ((err: Error) => void) | null = null;
  private readonly s: RelayStats = { published: 0, duplicates: 0, failures: 0, backlog: 0, lastError: null };

  constructor(opts: RelayOptions) {
    this.o = {
      now: Date.now, log: silentLog, batch: 512, inFlight: 256, pollMs: 1000, backoffMs: { initial: 100, max: 10_000 },
      retentionMs: 3600_000, pruneEveryMs: 60_000, ...opts,
    };
    this.outbox = new EventOutbox(opts.db);
  }

  start(): this {
    this.running ??= this.loop();
    return this;
  }

  /** A commit happened: publish now (unless backing off after a failure — the retry comes on its own). */
  kick(): void {
    this.kicked = true;
    if (this.s.failures === 0) this.wake?.();
  }

  /**
   * The connection was re-established: acks of publishes sent on the old socket will never come (the
   * client would wait out their timeout). Stop waiting for them and publish again at once; what did
   * land is dropped by JetStream as a duplicate.
   */
  connectionChanged(): void {
    this.cut?.(new Interrupted());
    this.s.failures = 0;
    this.kick();
  }

  stats(): RelayStats { return { ...this.s }; }

  /** Stops now: the round in progress marks what was acknowledged so far, the rest stays unsent for the next start. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.wake?.();
    this.cut?.(new Interrupted()); // no waiting out publish timeouts: unacknowledged rows stay unsent
    await this.running;
    this.running = null;
  }

  private async loop(): Promise<void> {
    while (!this.stopping) {
      let delay = this.o.pollMs;
      this.kicked = false;
      try {
        if (this.s.failures > 0) await this.o.beforeRetry?.();
        const full = await this.round();
        this.s.failures = 0;
        this.s.lastError = null;
        await this.prune();
        if (full || this.kicked) continue; // more rows wait, or a commit came in meanwhile
      } catch (err) {
        if (err instanceof Interrupted) continue;
        this.s.failures++;
        this.s.lastError = err instanceof Error ? err.message : String(err);
        delay = Math.min(this.o.backoffMs.max, this.o.backoffMs.initial * 2 ** (this.s.failures - 1));
        // The first failure is worth a line; the rest of an outage would flood the log.
        if (this.s.failures === 1 || this.s.failures % 50 === 0) this.o.log.warn('event relay: publish failed, retrying', { error: this.s.lastError, failures: this.s.failures, backlog: this.s.backlog });
      }
      await this.sleep(delay);
    }
  }

  private sleep(ms: number): Promise<void> {
    if (this.stopping) return Promise.resolve();
    return new Promise((resolve) => {
      const t = setTimeout(done, ms);
      function done() { clearTimeout(t); resolve(); }
      this.wake = () => { this.wake = null; done(); };
    });
  }

  /** One read and its publishes; true when the read was full (more rows may wait). */
  private async round(): Promise<boolean> {
    const rows = await this.outbox.unsent(this.o.batch);
    this.s.backlog = rows.length;
    if (rows.length === 0) return false;
    const acked: number[] = [];
    let duplicates = 0;
    let failure: unknown = null;
    const cut = new Promise<never>((_, reject) => { this.cut = reject; });
    cut.catch(() => undefined);
    const inflight: { row: OutboxRow; ack: Promise<{ duplicate: boolean }> }[] = [];
    const settleOldest = async () => {
      const { row, ack } = inflight.shift()!;
      if (failure !== null) { ack.catch(() => undefined); return; } // re-sent next round; dropped as a duplicate if it did land
      try {
        if ((await Promise.race([ack, cut])).duplicate) duplicates++;
        acked.push(row.seq);
      } catch (err) {
        failure = err;
      }
    };
    for (const row of rows) {
      if (inflight.length >= this.o.inFlight) await settleOldest();
      if (failure !== null || this.stopping) break;
      inflight.push({ row, ack: this.o.publish(row) });
    }
    while (inflight.length > 0) await settleOldest();
    this.cut = null;
    await this.outbox.markSent(acked, this.o.now());
    this.s.published += acked.length;
    this.s.duplicates += duplicates;
    this.s.backlog = rows.length - acked.length;
    if (failure !== null) throw failure;
    return rows.length === this.o.batch;
  }

  private async prune(): Promise<void> {
    const now = this.o.now();
    if (now - this.lastPrune < this.o.pruneEveryMs) return;
    this.lastPrune = now;
    // A bounded delete at a time, so a long backlog of sent rows never holds one big transaction.
    while (!this.stopping && (await this.outbox.pruneSent(now - this.o.retentionMs, 5000)) === 5000);
  }
}

class Interrupted extends Error {
  constructor() { super('connection re-established'); }
}
