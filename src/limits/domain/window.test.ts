import { describe, expect, it } from 'vitest';
import { backoffMs, countsAt, estimate, verdict, waitMs, type Limit } from './window.js';

const limit: Limit = { scope: 't', max: 10, windowMs: 60_000 };

describe('sliding window estimate', () => {
  it('counts the current window whole and the previous one by its overlap', () => {
    expect(estimate(4, 0, 0, 30_000, 60_000)).toBe(4);
    expect(estimate(4, 10, 60_000, 60_000, 60_000)).toBe(14); // just rolled over: all of the previous window overlaps
    expect(estimate(4, 10, 60_000, 90_000, 60_000)).toBe(9);
    expect(estimate(4, 10, 60_000, 120_000, 60_000)).toBe(4);
  });

  it('is over only past max, and says when one more fits', () => {
    const at = (count: number, prevCount: number, now: number) => verdict(limit, { start: 60_000, count, prevCount }, now);
    expect(at(10, 0, 61_000)).toMatchObject({ over: false }); // exactly at the limit is still within it
    const full = at(11, 0, 61_000);
    expect(full.over).toBe(true);
    // 11 in this window: it must decay below 10 once it is the previous window.
    // 11 here: in the next window 11·(1 − t/60 s) + 1 ≤ 10 ⇔ t ≥ 10.9 s, so 59 s + 11 s from now.
    expect(full.retryAfterS).toBe(70);
    expect(verdict(limit, { start: 120_000, count: 0, prevCount: 11 }, 61_000 + 70_000).count).toBeLessThanOrEqual(9);
    const mixed = at(5, 12, 60_000);
    expect(mixed.over).toBe(true);
    // one more fits when 12·(1 − t/60 s) + 5 + 1 ≤ 10 ⇔ t ≥ 40 s
    expect(mixed.retryAfterS).toBe(40);
    expect(verdict(limit, { start: 60_000, count: 6, prevCount: 12 }, 60_000 + mixed.retryAfterS * 1000).over).toBe(false);
    expect(verdict(limit, { start: 60_000, count: 6, prevCount: 12 }, 60_000 + (mixed.retryAfterS - 1) * 1000).over).toBe(true);
    expect(at(3, 0, 61_000).retryAfterS).toBe(0);
  });

  it('shifts stored counts when windows roll over, and forgets older ones', () => {
    const stored = { windowStart: 60_000, count: 7, prevCount: 3, updatedAt: 61_000 };
    expect(countsAt(stored, 70_000, 60_000)).toEqual({ start: 60_000, count: 7, prevCount: 3 });
    expect(countsAt(stored, 130_000, 60_000)).toEqual({ start: 120_000, count: 0, prevCount: 7 });
    expect(countsAt(stored, 190_000, 60_000)).toEqual({ start: 180_000, count: 0, prevCount: 0 });
    // Another instance's clock a little ahead: its window counts as the current one.
    expect(countsAt({ ...stored, windowStart: 120_000 }, 119_000, 60_000)).toEqual({ start: 120_000, count: 7, prevCount: 3 });
  });
});

describe('growing delays', () => {
  const policy = { free: 3, baseMs: 1000, maxMs: 60_000 };
  it('costs nothing for the first failures, then doubles, never past the cap', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 7, 20, 1000].map((n) => backoffMs(n, policy))).toEqual([0, 0, 0, 0, 1000, 2000, 4000, 8000, 60_000, 60_000]);
  });
  it('counts the wait from the last failure', () => {
    expect(waitMs(5, 10_000, 11_500, policy)).toBe(500);
    expect(waitMs(5, 10_000, 12_000, policy)).toBe(0);
    expect(waitMs(2, 10_000, 10_000, policy)).toBe(0);
  });
});
