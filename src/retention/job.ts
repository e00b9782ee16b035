// The retention job: every period in config.retentionDays (plus position history) enforced at
// start-up and then hourly, on the injected clock. Each context owns the SQL over its tables
// (src/<context>/retention.ts); this composes them into one run:
// - bounded batches (`batchSize` rows a statement, looping), yielding to the event loop between
//   them, so a first run on a large database never holds one long transaction nor stalls alerts;
// - safe from several instances at once: every statement removes or reduces each row once, and
//   counts come from the rows a statement itself changed, so the instances' counts add up;
// - open work is never touched: open alerts (however old), live tokens, pending check-ins, SMS the
//   sender may still retry and undelivered 911 hand-offs are outside every condition;
// - one audit entry per run (`retention.run`) with counts per kind only, no personal data.
import type { Clock } from '../kernel/index.js';
import type { AuditLog } from '../audit/index.js';
import type { RetentionDays } from '../config/index.js';
import type { DispatchRetention } from '../dispatch/index.js';
import { reducedLocation } from '../dispatch/index.js';
import { quadrantPointKey, type QuadrantPoints } from '../quadrants/index.js';
import type { ExtortionRetention } from '../extortion/index.js';
import type { FamilyRetention } from '../family/index.js';
import type { NotifyRetention } from '../notify/index.js';
import type { AccountsRetention } from '../accounts/index.js';
import type { AuditRetention } from '../audit/index.js';
import type { TrackingRetention } from '../tracking/index.js';

export const RETENTION_KINDS = [
  'alertLocations', 'alertEvents', 'alerts', 'alertPages', 'webhookOutbox', 'extortionReports',
  'notifications', 'checkins', 'tokens', 'positions', 'rateCounters', 'audit',
] as const;
export type RetentionKind = (typeof RETENTION_KINDS)[number];

export interface RetentionPeriods extends RetentionDays {
  /** Position history (CUADRANTE_POSITION_RETENTION_DAYS). */
  positions: number;
}

export interface RetentionRun {
  /** The injected clock's time the cutoffs were computed from. */
  at: string;
  /** Rows deleted per kind (alertLocations: alerts reduced to their quadrant). */
  counts: Record<RetentionKind, number>;
  /** Statements run per step (a step stops at the first batch that is not full). */
  batches: Partial<Record<RetentionKind, number>>;
  /** The longest single batch, ms (how long one statement held the database). */
  maxBatchMs: number;
  ms: number;
  /** Steps that failed this run (the rest still ran; the next run retries). */
  failed: RetentionKind[];
}

export interface RetentionDeps {
  clock: Clock;
  audit: AuditLog;
  periods: RetentionPeriods;
  dispatch: DispatchRetention;
  quadrants: QuadrantPoints;
  extortion: ExtortionRetention;
  family: FamilyRetention;
  notify: NotifyRetention;
  accounts: AccountsRetention;
  auditLog: AuditRetention;
  tracking: TrackingRetention;
  /** Deletes rate counters past both their windows (RateLimiter.prune). */
  pruneRateCounters: () => Promise<number>;
  /** True when no SMS provider is configured: queued messages can never be sent. */
  smsUndeliverable: () => boolean;
  /** Called after a run deleted extortion reports: the in-memory reputations must be recomputed. */
  reportsPurged: () => Promise<void>;
  /** Rows per statement (default 5,000). */
  batchSize?: number;
}

const DAY = 24 * 3600_000;
const HOUR = 3600_000;
const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

/** One bounded statement: what it counted per kind, and whether a full batch was found (run again). */
type Batch = { counts: Partial<Record<RetentionKind, number>>; full: boolean };

export class RetentionJob {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<RetentionRun> | null = null;
  private stopping = false;
  private log: (run: RetentionRun) => void = () => undefined;
  private onError: (err: unknown) => void = () => undefined;

  constructor(private deps: RetentionDeps) {}

  get batchSize(): number { return this.deps.batchSize ?? 5000; }

  /** Runs now, then every `intervalMs` (hourly); a run still going when the next is due is not doubled. */
  start(opts: { intervalMs?: number; log?: (run: RetentionRun) => void; onError?: (err: unknown) => void } = {}): void {
    if (opts.log) this.log = opts.log;
    if (opts.onError) this.onError = opts.onError;
    this.stopping = false;
    const go = () => { if (!this.running) this.run().catch(this.onError); };
    this.timer = setInterval(go, opts.intervalMs ?? HOUR);
    this.timer.unref();
    go();
  }

  /** Stops the schedule and waits for a run in progress to stop at its next batch. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.stopping = true;
    await this.running?.catch(() => undefined);
  }

  run(): Promise<RetentionRun> {
    this.running ??= this.runOnce().finally(() => { this.running = null; });
    return this.running;
  }

  private async runOnce(): Promise<RetentionRun> {
    const started = performance.now();
    const now = this.deps.clock.now().getTime();
    const p = this.deps.periods;
    const before = (days: number) => now - days * DAY;
    const d = this.deps;
    const n = this.batchSize;
    const counts = Object.fromEntries(RETENTION_KINDS.map((k) => [k, 0])) as Record<RetentionKind, number>;
    const batches: Partial<Record<RetentionKind, number>> = {};
    const failed: RetentionKind[] = [];
    let maxBatchMs = 0;

    const single = (kind: RetentionKind, statement: () => Promise<number>) => async (): Promise<Batch> => {
      const c = await statement();
      return { counts: { [kind]: c }, full: c >= n };
    };
    // Order matters: events first (so deleting an alert has few children left), then alerts past
    // their period, then the location of the ones that remain; the audit log last, before this run's entry.
    const steps: [RetentionKind, () => Promise<Batch>][] = [
      ['alertEvents', single('alertEvents', () => d.dispatch.deleteClosedAlertEvents(before(p.alertEvents), n))],
      ['alerts', async () => {
        const r = await d.dispatch.deleteClosedAlerts(before(p.alerts), Math.max(1, Math.floor(n / 5)));
        return { counts: { alerts: r.alerts, alertEvents: r.events, alertPages: r.pages, webhookOutbox: r.outbox }, full: r.selected >= Math.max(1, Math.floor(n / 5)) };
      }],
      ['alertLocations', async () => {
        const exact = await d.dispatch.exactClosedAlerts(before(p.alertLocations), n);
        const keys = exact.flatMap((a) => (a.quadrantId !== null && a.quadrantSetVersion !== null ? [{ version: a.quadrantSetVersion, id: a.quadrantId }] : []));
        const points = await d.quadrants.of(keys);
        const reduced = await d.dispatch.reduce(exact.map((a) => ({
          id: a.id,
          to: reducedLocation(a, a.quadrantId !== null && a.quadrantSetVersion !== null ? points.get(quadrantPointKey(a.quadrantSetVersion, a.quadrantId)) ?? null : null),
        })), now);
        return { counts: { alertLocations: reduced }, full: exact.length >= n };
      }],
      ['webhookOutbox', single('webhookOutbox', () => d.dispatch.deleteDeliveredWebhooks(before(p.webhookOutbox), n))],
      ['extortionReports', single('extortionReports', () => d.extortion.deleteReportsBefore(before(p.extortionReports), n))],
      ['notifications', single('notifications', () => d.notify.deleteFinishedBefore(before(p.notifications), n, d.smsUndeliverable()))],
      ['checkins', single('checkins', () => d.family.deleteCheckinsEndedBefore(before(p.checkins), n))],
      ['tokens', single('tokens', () => d.accounts.deleteTokensEndedBefore(before(p.tokens), n))],
      ['positions', single('positions', () => d.tracking.deletePositionsBefore(before(p.positions), n))],
      // Counters carry their own expiry and stay few (one per active key): RateLimiter.prune as is.
      ['rateCounters', async () => ({ counts: { rateCounters: await d.pruneRateCounters() }, full: false })],
      ['audit', single('audit', () => d.auditLog.deleteBefore(before(p.audit), n))],
    ];

    for (const [kind, step] of steps) {
      try {
        for (;;) {
          if (this.stopping) break;
          const t = performance.now();
          const b = await step();
          maxBatchMs = Math.max(maxBatchMs, performance.now() - t);
          batches[kind] = (batches[kind] ?? 0) + 1;
          for (const [k, c] of Object.entries(b.counts) as [RetentionKind, number][]) counts[k] += c;
          // A full batch that changed nothing: another instance got there first (or a row cannot
          // change); either way, stop rather than select the same rows again.
          if (!b.full || Object.values(b.counts).every((c) => c === 0)) break;
          await tick(); // let alerts and requests in between batches
        }
      } catch (err) {
        failed.push(kind);
        this.onError(err);
      }
      // SQLite answers synchronously: without a macrotask between statements, nothing else would run.
      await tick();
    }
    if (counts.extortionReports > 0) {
      try { await d.reportsPurged(); } catch (err) { this.onError(err); }
    }
    const run: RetentionRun = {
      at: new Date(now).toISOString(), counts, batches, maxBatchMs: round1(maxBatchMs), ms: round1(performance.now() - started), failed,
    };
    await d.audit.record(null, 'retention.run', null, { counts, failed, ms: run.ms });
    this.log(run);
    return run;
  }
}

const round1 = (ms: number) => Math.round(ms * 10) / 10;
