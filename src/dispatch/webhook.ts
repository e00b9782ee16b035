// Hands escalated alerts to a 911/C5 integration from the durable outbox (outbox.ts), signed with
// HMAC-SHA256 over timestamp + body so the receiver can verify it came from us.
//
// Why it looks like this: an escalation must reach the C5 within a second, and nothing one
// receiver does (never answering, answering slowly, resetting, failing) may hold up other alerts.
// - Woken at once (kick) when an escalation commits; a slower poll is the safety net for rows left
//   by a crash or written by another instance.
// - Up to `concurrency` requests in flight, each with its own deadline. Little's law sets the
//   default: requests open = rate × time per request, so 40 escalations/s to a receiver that takes
//   1.5 s need 60 open at once (a sender limited to 16 falls behind any receiver slower than 0.4 s),
//   and 100 = 40/s × the 2.5 s deadline keeps up even with a receiver that holds every request
//   to its deadline.
// - A failed row waits for its own next attempt (growing, jittered back-off) while others go, and
//   rows being retried may hold at most `retrySlots` of the slots, so new escalations always find one.
// - Every attempt of one hand-off carries the same X-Cuadrante-Delivery id (alert id + event): the
//   receiver de-duplicates on it, which with our retries makes delivery exactly-once by id.
// - Rows are claimed with a lease before posting, so two senders never post one row at once.
// - A receiver that looks down (failures in a row, no success for a while) gets retries one at a
//   time, as probes at growing intervals, so an outage never becomes a storm of requests and
//   database writes beside the alert path; new escalations are still tried at once, and the first
//   success lets everything due go.
// - The only queue in memory is the requests in flight; the durable queue is the table.
import { createHmac } from 'node:crypto';
import type { Clock } from '../kernel/index.js';
import type { DispatchBus } from './events.js';
import type { OutboxRow, OutboxStore } from './outbox.js';

export interface WebhookOptions {
  url: string;
  secret: string;
  clock: Clock;
  onError: (err: unknown) => void;
  /** Requests in flight at most (default 100). */
  concurrency?: number;
  /** How many of those rows being retried may hold (default half of `concurrency`). */
  retrySlots?: number;
  /** Each request's deadline, from connect to the end of the answer, ms (default 2500). */
  deadlineMs?: number;
  /** How long a claimed row is ours; longer than any request can last (default 4 × deadline). */
  leaseMs?: number;
  /** The safety-net poll, ms (default 2000). */
  pollMs?: number;
  /** Back-off after the first failure, doubling up to `retryMaxMs` (defaults 500 ms and 30 s). */
  retryBaseMs?: number;
  retryMaxMs?: number;
  /** Tests driving a manual clock pass false: no timers at all; they call kick()/poll() themselves. */
  autoRun?: boolean;
  /** Jitter source (0 ≤ r < 1). */
  random?: () => number;
}

export function sign(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** The id every attempt of one hand-off carries: stable across retries, senders and restarts. */
export function deliveryId(row: Pick<OutboxRow, 'alertId' | 'event'>): string {
  return `${row.alertId}:${row.event}`;
}

/** Kicks the sender whenever an escalation (or a change to an escalated alert, such as a held one
 * being confirmed) has committed, so the hand-off never waits for the poll. */
export function wakeOnEscalation(bus: DispatchBus, sender: WebhookSender): () => void {
  const listener = (c: { alert: { escalatedAt: number | null }; events: { type: string }[] }) => {
    if (c.alert.escalatedAt !== null || c.events.some((e) => e.type === 'escalate')) sender.kick();
  };
  bus.on('alert.changed', listener);
  return () => { bus.off('alert.changed', listener); };
}

interface Flight { row: OutboxRow; retry: boolean; ctrl: AbortController; done: Promise<void> }

class Stopping extends Error {}
class DeadlinePassed extends Error {}

/** Failed attempts in a row (no success between) after which the receiver is taken to be down. */
const DOWN_AFTER = 5;
/** …and no success for this long (a receiver that answers others is not down, only some rows fail). */
const DOWN_QUIET_MS = 10_000;
/** The longest wait between probes of a receiver that looks down. */
const PROBE_MAX_MS = 10_000;
/** Bytes of an answer read (so the connection can be reused) before the rest is cut off. */
const MAX_ANSWER_BYTES = 16_384;

export class WebhookSender {
  readonly concurrency: number;
  readonly retrySlots: number;
  readonly deadlineMs: number;
  readonly leaseMs: number;
  private readonly pollMs: number;
  private readonly retryBaseMs: number;
  private readonly retryMaxMs: number;
  private readonly random: () => number;
  private readonly inFlight = new Map<number, Flight>();
  private retriesInFlight = 0;
  /** What the running claim loop still has to do: nothing, fresh rows, or fresh and retried rows. */
  private wanted: 'none' | 'fresh' | 'all' = 'none';
  private running: Promise<void> | null = null;
  /** A claim filled every free slot: there may be more due once one frees. */
  private freshBlocked = false;
  private retryBlocked = false;
  private poller: NodeJS.Timeout | null = null;
  private wake: { at: number; timer: NodeJS.Timeout } | null = null;
  /** Attempts that failed since the last success, and when that was (clock ms): the receiver looks
   * down after DOWN_AFTER failures and DOWN_QUIET_MS without a success… */
  private failuresInARow = 0;
  private lastSuccessAt = Number.NEGATIVE_INFINITY;
  /** …and then retries go as single probes, each no earlier than this (clock ms). */
  private probeAt = 0;
  private stopped = false;
  /** Totals since start, for benchmarks and diagnostics. */
  readonly counters = { delivered: 0, failed: 0, claimed: 0 };

  constructor(private store: OutboxStore, private opts: WebhookOptions) {
    this.concurrency = Math.max(1, opts.concurrency ?? 100);
    this.retrySlots = Math.max(1, Math.min(this.concurrency, opts.retrySlots ?? Math.ceil(this.concurrency / 2)));
    this.deadlineMs = opts.deadlineMs ?? 2500;
    this.leaseMs = Math.max(opts.leaseMs ?? 4 * this.deadlineMs, this.deadlineMs + 1000);
    this.pollMs = opts.pollMs ?? 2000;
    this.retryBaseMs = opts.retryBaseMs ?? 500;
    this.retryMaxMs = opts.retryMaxMs ?? 30_000;
    this.random = opts.random ?? Math.random;
  }

  /** Starts the safety-net poll and sends whatever is due now (rows left from before a restart). */
  start(): void {
    if (this.opts.autoRun !== false) {
      this.poller = setInterval(() => { void this.poll(); }, this.pollMs);
      this.poller.unref();
    }
    void this.poll();
  }

  /** Stops: open requests are cut off and their rows given back (claimable again at once). */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.poller) clearInterval(this.poller);
    if (this.wake) clearTimeout(this.wake.timer);
    this.poller = null;
    this.wake = null;
    await this.running; // a claim under way posts its rows; they are cut off with the rest
    for (const f of this.inFlight.values()) f.ctrl.abort(new Stopping('sender stopping'));
    await Promise.all([...this.inFlight.values()].map((f) => f.done));
  }

  /** An escalation has committed: claim new rows now. Calls in a burst share one claim. */
  kick(): Promise<void> { return this.request('fresh'); }

  /** Claims everything due, retries included (the poll, the retry timer, tests). */
  poll(): Promise<void> { return this.request('all'); }

  /** Resolves once nothing is being claimed or posted (tests and benchmarks). */
  async idle(): Promise<void> {
    for (;;) {
      if (this.running) { await this.running; continue; }
      const open = [...this.inFlight.values()];
      if (open.length === 0) return;
      await Promise.all(open.map((f) => f.done));
    }
  }

  get inFlightCount(): number { return this.inFlight.size; }

  private request(what: 'fresh' | 'all'): Promise<void> {
    if (this.stopped) return Promise.resolve();
    this.wanted = what === 'all' || this.wanted === 'all' ? 'all' : 'fresh';
    this.running ??= this.run();
    return this.running;
  }

  private async run(): Promise<void> {
    await Promise.resolve(); // kicks from the same tick share this claim
    try {
      while (this.wanted !== 'none' && !this.stopped) {
        const all = this.wanted === 'all';
        this.wanted = 'none';
        await this.claimAndPost(all);
      }
    } catch (err) {
      this.opts.onError(err); // the database: the poll tries again
    }
    // No await between the loop's last look at `wanted` and this, so no wake-up is lost.
    this.running = null;
  }

  private async claimAndPost(all: boolean): Promise<void> {
    const now = this.opts.clock.now().getTime();
    const lease = now + this.leaseMs;
    const free = this.concurrency - this.inFlight.size;
    if (free > 0) {
      const rows = await this.store.claim(now, lease, free, 'fresh');
      for (const row of rows) this.post(row, false);
      this.freshBlocked = rows.length === free;
    } else {
      this.freshBlocked = true;
    }
    if (!all) return;
    const slots = Math.min(this.concurrency - this.inFlight.size, this.retrySlots - this.retriesInFlight);
    const down = this.looksDown(now);
    const freeForRetries = down ? (now >= this.probeAt && this.retriesInFlight === 0 && slots > 0 ? 1 : 0) : slots;
    if (freeForRetries > 0) {
      const rows = await this.store.claim(now, lease, freeForRetries, 'retry');
      for (const row of rows) this.post(row, true);
      if (down && rows.length > 0) { this.probeAt = now + this.probeInterval(); this.wakeAt(this.probeAt); }
      this.retryBlocked = !down && rows.length === freeForRetries;
    } else {
      this.retryBlocked = !down; // down: the next probe waits for its time, not for a free slot
      if (down && this.probeAt > now) this.wakeAt(this.probeAt);
    }
    const next = await this.store.nextDueAfter(now);
    if (next !== null) this.wakeAt(next);
  }

  private post(row: OutboxRow, retry: boolean): void {
    const ctrl = new AbortController();
    const flight: Flight = { row, retry, ctrl, done: Promise.resolve() };
    this.inFlight.set(row.id, flight);
    if (retry) this.retriesInFlight++;
    this.counters.claimed++;
    flight.done = this.attempt(row, ctrl).finally(() => {
      this.inFlight.delete(row.id);
      if (retry) this.retriesInFlight--;
      // A slot is free: if the last claim filled them all, more rows may be waiting.
      if (this.retryBlocked) { this.retryBlocked = false; void this.request('all'); }
      else if (this.freshBlocked) { this.freshBlocked = false; void this.request('fresh'); }
    });
  }

  private async attempt(row: OutboxRow, ctrl: AbortController): Promise<void> {
    const deadline = setTimeout(() => ctrl.abort(new DeadlinePassed(`no answer within ${this.deadlineMs} ms`)), this.deadlineMs);
    let outcome: { delivered: true } | { delivered: false; error: string } | 'stopped';
    try {
      const ts = String(Math.floor(this.opts.clock.now().getTime() / 1000));
      const res = await fetch(this.opts.url, {
        method: 'POST', body: row.payload, signal: ctrl.signal,
        // A redirect is a failure, never followed: the signed hand-off goes only where configured.
        redirect: 'manual',
        headers: {
          'content-type': 'application/json', 'x-cuadrante-event': row.event, 'x-cuadrante-delivery': deliveryId(row),
          'x-cuadrante-attempt': String(row.attempts), 'x-cuadrante-timestamp': ts, 'x-cuadrante-signature': sign(this.opts.secret, ts, row.payload),
        },
      });
      await discard(res);
      outcome = res.status >= 200 && res.status < 300 ? { delivered: true } : { delivered: false, error: `HTTP ${res.status}` };
    } catch (err) {
      outcome = ctrl.signal.reason instanceof Stopping ? 'stopped' : { delivered: false, error: describe(err, ctrl.signal) };
    } finally {
      clearTimeout(deadline);
    }
    try {
      const now = this.opts.clock.now().getTime();
      if (outcome === 'stopped') {
        await this.store.release(row);
      } else if (outcome.delivered) {
        await this.store.markDelivered(row, now);
        this.counters.delivered++;
        const wasDown = this.looksDown(now);
        this.failuresInARow = 0;
        this.lastSuccessAt = now;
        this.probeAt = 0;
        if (wasDown) void this.request('all'); // it is back: everything due goes now
      } else {
        const next = now + this.backoff(row.attempts);
        await this.store.markFailed(row, outcome.error, next);
        this.counters.failed++;
        this.failuresInARow++;
        this.wakeAt(next);
      }
    } catch (err) {
      this.opts.onError(err); // the lease runs out and the row is tried again
    }
  }

  /** After the n-th failed attempt: base × 2^(n−1), capped, with half of it random (senders that
   * failed together do not all come back together). */
  private backoff(attempts: number): number {
    const d = Math.min(this.retryMaxMs, this.retryBaseMs * 2 ** Math.max(0, Math.min(30, attempts - 1)));
    return Math.round(d / 2 + (d / 2) * this.random());
  }

  private looksDown(now: number): boolean {
    return this.failuresInARow >= DOWN_AFTER && now - this.lastSuccessAt > DOWN_QUIET_MS;
  }

  /** While the receiver looks down: retryBase × 2^(failures past DOWN_AFTER), at most PROBE_MAX_MS. */
  private probeInterval(): number {
    return Math.min(PROBE_MAX_MS, this.retryMaxMs, this.retryBaseMs * 2 ** Math.min(20, this.failuresInARow - DOWN_AFTER));
  }

  /** One timer, at the earliest retry known; each poll re-reads the next one from the table. */
  private wakeAt(at: number): void {
    if (this.opts.autoRun === false || this.stopped) return;
    if (this.wake && this.wake.at <= at) return;
    if (this.wake) clearTimeout(this.wake.timer);
    const timer = setTimeout(() => { this.wake = null; void this.poll(); }, Math.max(0, at - this.opts.clock.now().getTime()));
    timer.unref();
    this.wake = { at, timer };
  }
}

/** Reads a small answer (so the connection can be reused) and cuts off a large or endless one. */
async function discard(res: Response): Promise<void> {
  const reader = res.body?.getReader();
  if (!reader) return;
  try {
    for (let n = 0; n <= MAX_ANSWER_BYTES;) {
      const { done, value } = await reader.read();
      if (done) return;
      n += value.byteLength;
    }
    await reader.cancel();
  } catch {
    // Cut off by the deadline or a reset after the status arrived: the status is what counts.
  }
}

function describe(err: unknown, signal: AbortSignal): string {
  if (signal.aborted && signal.reason instanceof Error) return signal.reason.message;
  const e = err as { message?: string; cause?: { code?: string; message?: string } };
  return e.cause?.code ?? e.cause?.message ?? e.message ?? String(err);
}
