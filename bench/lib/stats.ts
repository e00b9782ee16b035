// Percentiles of a sample, the same way bench/lib/load.ts computes them (nearest rank, floor).

export interface Percentiles { count: number; p50: number; p90: number; p99: number; max: number; mean: number }

export function percentiles(values: ArrayLike<number>): Percentiles {
  const sorted = Float64Array.from(values as ArrayLike<number>).sort();
  const n = sorted.length;
  if (n === 0) return { count: 0, p50: NaN, p90: NaN, p99: NaN, max: NaN, mean: NaN };
  const pct = (p: number) => sorted[Math.min(n - 1, Math.floor((p / 100) * n))]!;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += sorted[i]!;
  return { count: n, p50: pct(50), p90: pct(90), p99: pct(99), max: sorted[n - 1]!, mean: sum / n };
}

export function round2(n: number): number { return Math.round(n * 100) / 100; }
