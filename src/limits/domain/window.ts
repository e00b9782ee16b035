// Sliding-window counting, pure: each (limit, key) keeps the count of the current fixed window
// and of the one before it; the estimate weighs the previous window by how much of it still lies
// inside the sliding window (the approximation Cloudflare and nginx use: within a few percent of
// an exact log, at one row per key instead of one per event).

export interface Limit {
  /** Stable name of the limit; keys of different limits never collide. */
  scope: string;
  /** Events allowed within any sliding window of windowMs. */
  max: number;
  windowMs: number;
}

/** What is stored for one (limit, key). */
export interface WindowCounts { windowStart: number; count: number; prevCount: number; updatedAt: number }

export interface Verdict {
  /** The sliding estimate, including this event when it was counted. */
  count: number;
  /** True when the estimate exceeds the limit. */
  over: boolean;
  /** Whole seconds until one more event would be within the limit (0 when it already is). */
  retryAfterS: number;
}

export const windowStart = (now: number, windowMs: number): number => Math.floor(now / windowMs) * windowMs;

/** The stored counts as seen at `now`: a window that has since rolled over shifts (or empties). */
export function countsAt(stored: WindowCounts | null, now: number, windowMs: number): { start: number; count: number; prevCount: number } {
  const start = windowStart(now, windowMs);
  if (!stored) return { start, count: 0, prevCount: 0 };
  // Another instance's clock may be slightly ahead: its window is the current one.
  if (stored.windowStart >= start) return { start: stored.windowStart, count: stored.count, prevCount: stored.prevCount };
  if (stored.windowStart === start - windowMs) return { start, count: 0, prevCount: stored.count };
  return { start, count: 0, prevCount: 0 };
}

/** The sliding estimate at `now` from this window's and the previous window's counts. */
export function estimate(count: number, prevCount: number, start: number, now: number, windowMs: number): number {
  const elapsed = Math.min(windowMs, Math.max(0, now - start));
  return count + prevCount * ((windowMs - elapsed) / windowMs);
}

export function verdict(limit: Limit, counts: { start: number; count: number; prevCount: number }, now: number): Verdict {
  const est = estimate(counts.count, counts.prevCount, counts.start, now, limit.windowMs);
  return {
    count: Math.round(est * 1000) / 1000,
    over: est > limit.max,
    retryAfterS: est + 1 > limit.max ? retryAfter(limit, counts, now) : 0,
  };
}

/** Seconds until one more event fits: until estimate + 1 ≤ max. */
function retryAfter(limit: Limit, c: { start: number; count: number; prevCount: number }, now: number): number {
  const w = limit.windowMs;
  const room = limit.max - 1;
  let at: number;
  if (c.count > room) {
    // This window alone is too full: in the next one it is the previous window and decays.
    // count·(1 − t/w) ≤ max − 1  ⇔  t ≥ w·(1 − (max − 1)/count), from the next window's start.
    at = c.start + w + w * Math.max(0, 1 - room / c.count);
  } else {
    // prev·(1 − (t − start)/w) + count ≤ max − 1  ⇔  t ≥ start + w·(1 − (max − 1 − count)/prev)
    at = c.start + w * (1 - (room - c.count) / Math.max(c.prevCount, 1e-9));
  }
  return Math.max(1, Math.ceil((at - now) / 1000));
}

/**
 * Growing delays after failures (sign-in, PINs, code words): the first `free` failures cost
 * nothing, then each one doubles the wait from `baseMs`, never beyond `maxMs` — so a guesser is
 * slowed to a crawl but nobody can lock an account (or a dispatcher) out for good.
 */
export interface Backoff { free: number; baseMs: number; maxMs: number }

export function backoffMs(failures: number, b: Backoff): number {
  if (failures <= b.free) return 0;
  return Math.min(b.maxMs, b.baseMs * 2 ** Math.min(30, failures - b.free - 1));
}

/** Milliseconds still to wait after the last failure (0: try now). */
export function waitMs(failures: number, lastFailureAt: number, now: number, b: Backoff): number {
  return Math.max(0, lastFailureAt + backoffMs(failures, b) - now);
}
