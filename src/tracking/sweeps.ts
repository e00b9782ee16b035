// Sweeps of tracker ids. A tracker is known by its device id alone (Traccar Client 9's default
// is 8 random digits), and an unknown id gets the same 200 as a known one, so the answer tells a
// sweeper nothing — but a blind sweep carrying fake positions or `alarm=sos` still lands on
// every id that happens to be registered. So each source network may try only so many distinct
// unknown ids per window; past that, it is throttled (every request from it, known id or not,
// gets the same 429 for a while) and the sweep is reported: a warning in the server log and an
// audit entry the console's trackers panel shows.
//
// Counting costs known ids nothing: the guard is only told about unknown ids, in memory; the
// shared, persistent count (RateLimiter, in the database, so instances and restarts share it) is
// updated in the background, one upsert per network per flush.
import type { Clock } from '../kernel/index.js';
import type { Limit, RateLimiter } from '../limits/index.js';
import type { AuditLog } from '../audit/index.js';
import type { TrackingBus } from './events.js';

export interface SweepSettings {
  /** Distinct unknown ids one network may send within the window before it is throttled. */
  maxUnknownIds: number;
  windowMs: number;
  /** How often new counts go to the database (ms). */
  flushMs?: number;
  /** The shortest throttle once over the limit (ms). */
  minBlockMs?: number;
}

/** One sweep, as logged and audited: never the network's address, only its keyed hash. */
export interface SweepNotice {
  at: number;
  /** The keyed hash of the source network (src/http/client.ts networkKey). */
  network: string;
  /** Distinct unknown ids counted from it in the window (an estimate across instances). */
  unknownIds: number;
  windowMs: number;
  blockedUntil: number;
}

/** Distinct (network, id) pairs remembered per window; past it the memory starts over (counts only grow). */
const MAX_SEEN = 50_000;

export class TrackerSweepGuard {
  private readonly limit: Limit;
  private readonly flushMs: number;
  private readonly minBlockMs: number;
  /** `${network}\u0000${id}` seen in the current window: an id repeated by one phone counts once. */
  private seen = new Set<string>();
  private seenSince = 0;
  /** Distinct unknown ids per network not yet added to the shared count. */
  private pending = new Map<string, number>();
  /** The shared count per network as last read back, and when. */
  private counted = new Map<string, { count: number; at: number }>();
  /** Throttled networks and until when. */
  private blocked = new Map<string, number>();
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> | null = null;

  constructor(
    private readonly limiter: RateLimiter | null,
    private readonly clock: Clock,
    settings: SweepSettings,
    private readonly onSweep: (notice: SweepNotice) => Promise<void> | void,
    private readonly onError: (err: unknown) => void,
  ) {
    this.limit = { scope: 'tracking.unknown_ids.network', max: settings.maxUnknownIds, windowMs: settings.windowMs };
    this.flushMs = settings.flushMs ?? 1000;
    this.minBlockMs = settings.minBlockMs ?? 60_000;
  }

  /** Seconds the network is still throttled for (0: not throttled). A map look-up on the hot path. */
  throttledFor(network: string): number {
    if (this.blocked.size === 0) return 0;
    const until = this.blocked.get(network);
    if (until === undefined) return 0;
    const left = until - this.clock.now().getTime();
    if (left <= 0) { this.blocked.delete(network); return 0; }
    return Math.ceil(left / 1000);
  }

  /** A request named an id that is not registered. */
  unknown(network: string, deviceId: string): void {
    const now = this.clock.now().getTime();
    if (now - this.seenSince >= this.limit.windowMs || this.seen.size >= MAX_SEEN) { this.seen.clear(); this.seenSince = now; }
    const pair = `${network}\u0000${deviceId}`;
    if (this.seen.has(pair)) return;
    this.seen.add(pair);
    const pending = (this.pending.get(network) ?? 0) + 1;
    this.pending.set(network, pending);
    // Judge at once from what is known locally, so a fast sweep is cut before the next flush.
    const shared = this.counted.get(network);
    const estimate = (shared && now - shared.at < this.limit.windowMs ? shared.count : 0) + pending;
    if (estimate > this.limit.max) this.block(network, estimate, now + this.minBlockMs, now);
    this.timer ??= setTimeout(() => { this.timer = null; void this.flush(); }, this.flushMs);
    this.timer.unref?.();
  }

  /** Adds the pending counts to the shared ones and reads the verdicts back. */
  flush(): Promise<void> {
    if (this.flushing) return this.flushing.then(() => (this.pending.size > 0 ? this.flush() : undefined));
    if (this.timer) { clearTimeout(this.timer); this.timer = null; }
    const batch = this.pending;
    this.pending = new Map();
    this.flushing = (async () => {
      for (const [network, weight] of batch) {
        try {
          const now = this.clock.now().getTime();
          if (!this.limiter) {
            const prior = this.counted.get(network);
            this.counted.set(network, { count: (prior && now - prior.at < this.limit.windowMs ? prior.count : 0) + weight, at: now });
            continue;
          }
          const v = await this.limiter.hit(this.limit, network, weight);
          this.counted.set(network, { count: v.count, at: now });
          if (v.over) this.block(network, v.count, now + Math.max(this.minBlockMs, v.retryAfterS * 1000), now);
        } catch (err) {
          this.onError(err);
        }
      }
      const now = this.clock.now().getTime();
      for (const [network, c] of this.counted) if (c.at < now - this.limit.windowMs) this.counted.delete(network);
      for (const [network, until] of this.blocked) if (until <= now) this.blocked.delete(network);
    })().finally(() => { this.flushing = null; });
    return this.flushing;
  }

  private block(network: string, count: number, until: number, now: number): void {
    const prior = this.blocked.get(network);
    if (prior !== undefined && prior >= until) return;
    this.blocked.set(network, until);
    // One notice per episode: when the network starts being throttled, not on every extension.
    if (prior !== undefined && prior > now) return;
    const notice: SweepNotice = { at: now, network, unknownIds: Math.round(count), windowMs: this.limit.windowMs, blockedUntil: until };
    try {
      const r = this.onSweep(notice);
      if (r) r.catch(this.onError);
    } catch (err) {
      this.onError(err);
    }
  }
}

/** A sweep of tracker ids from one network: audited (the console shows it) and announced (the server logs it). */
export function sweepRecorder(bus: TrackingBus, audit: AuditLog): (notice: SweepNotice) => Promise<void> {
  return async (notice) => {
    bus.emit('sweep', notice);
    await audit.record(null, 'tracker.sweep', notice.network, {
      unknownIds: notice.unknownIds, windowS: Math.round(notice.windowMs / 1000), blockedUntil: new Date(notice.blockedUntil).toISOString(),
    });
  };
}
