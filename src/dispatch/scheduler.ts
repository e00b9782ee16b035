// The in-process alarm clock for escalation deadlines. The deadlines themselves are stored with
// each alert; at start-up and then periodically this re-reads them, so a deadline that passed
// while the process was down (or was set by another instance) still fires — late, never lost.
import type { Clock } from '../kernel/index.js';
import type { DeadlineTimer } from './ports.js';

const MAX_DELAY = 2 ** 31 - 1;

export interface SchedulerOptions {
  clock: Clock;
  fire: (alertId: string) => Promise<void>;
  /** Stored deadlines up to `until` (epoch ms), or all of them when `until` is null. */
  load: (until: number | null) => Promise<{ id: string; at: number }[]>;
  onError: (err: unknown) => void;
  /** How often stored deadlines are re-read (ms). */
  sweepMs: number;
  /** Tests driving a manual clock pass `false` and call runDue() themselves. */
  autoRun?: boolean;
}

export class DeadlineScheduler implements DeadlineTimer {
  private deadlines = new Map<string, number>();
  private timer: NodeJS.Timeout | null = null;
  /** When the armed timer fires (null: none armed). */
  private timerAt: number | null = null;
  private sweeper: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  /** Deadlines armed before start() are only remembered: a process that never starts it (the CLI) sets no timers. */
  private started = false;

  constructor(private opts: SchedulerOptions) {}

  async start(): Promise<void> {
    this.started = true;
    // Everything once at start-up: deadlines that passed while the process was down fire now.
    await this.sweep(null);
    if (this.opts.autoRun === false) return;
    this.sweeper = setInterval(() => { this.sweep().catch(this.opts.onError); }, this.opts.sweepMs);
    this.sweeper.unref();
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    if (this.sweeper) clearInterval(this.sweeper);
    this.timer = null;
    this.timerAt = null;
    this.sweeper = null;
    this.started = false;
  }

  arm(alertId: string, at: number): void {
    this.deadlines.set(alertId, at);
    if (this.timerAt !== null && at >= this.timerAt) return; // the armed timer comes first; runDue reschedules after it
    this.reschedule();
  }

  disarm(alertId: string): void {
    this.deadlines.delete(alertId);
  }

  pending(): number { return this.deadlines.size; }

  /**
   * Re-reads stored deadlines. Periodic sweeps read only those due before the sweep after next:
   * a later one is read by a later sweep, still before it falls due; reading every open alert's
   * deadline every few seconds stalled the event loop (tens of ms with thousands open).
   */
  async sweep(until: number | null = this.opts.clock.now().getTime() + 2 * this.opts.sweepMs): Promise<void> {
    for (const { id, at } of await this.opts.load(until)) this.deadlines.set(id, at);
    await this.runDue();
  }

  /** Fires every deadline that is due now, one at a time (in the order they fell due). */
  runDue(): Promise<void> {
    if (!this.running) {
      this.running = this.fireDue().finally(() => {
        this.running = null;
        this.reschedule();
      });
    }
    return this.running;
  }

  private async fireDue(): Promise<void> {
    await Promise.resolve(); // let runDue publish `running` before any work happens
    const now = this.opts.clock.now().getTime();
    const due = [...this.deadlines].filter(([, at]) => at <= now).sort((a, b) => a[1] - b[1]);
    for (const [id] of due) {
      this.deadlines.delete(id);
      await this.opts.fire(id).catch(this.opts.onError);
    }
  }

  private reschedule(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.timerAt = null;
    if (this.deadlines.size === 0 || this.opts.autoRun === false || !this.started) return;
    let next = Infinity;
    for (const at of this.deadlines.values()) if (at < next) next = at;
    this.timerAt = next;
    const delay = Math.min(MAX_DELAY, Math.max(0, next - this.opts.clock.now().getTime()));
    this.timer = setTimeout(() => { void this.runDue(); }, delay);
    this.timer.unref();
  }
}
