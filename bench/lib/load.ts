// Closed-loop HTTP load for the benchmarks, and the result shape they share. The requests come
// from raw-load.ts (node:net, pre-built request bytes): autocannon, used before, needs ~33–45 µs
// of CPU a request here — on 2 cores shared with the server it capped a do-nothing server at
// 22,000–30,000 req/s and charged big responses (a 1.6 KB quadrant card) more than small ones, so
// it measured itself, not the server.
import { runRawRequests } from './raw-load.js';

export interface LoadOptions {
  url: string;
  /** Next request path (with query string); called once per request. */
  nextPath: () => string;
  connections: number;
  durationSeconds: number;
}

export interface LoadResult {
  requests: number;
  durationSeconds: number;
  requestsPerSecond: number;
  latencyMs: { p50: number; p90: number; p99: number; max: number; mean: number };
  /** Responses by status code. */
  statusCodes: Record<string, number>;
  non2xx: number;
  /** Connection errors, timeouts included. */
  errors: number;
  timeouts: number;
  bytesPerSecond: number;
  /** Every response time, ms, ascending. */
  latencies: Float64Array;
}

export function runLoad(opts: LoadOptions): Promise<LoadResult> {
  return runRawRequests({ url: opts.url, method: 'GET', nextPath: opts.nextPath, connections: opts.connections, durationSeconds: opts.durationSeconds });
}

export function latencyStats(sorted: Float64Array): LoadResult['latencyMs'] {
  const n = sorted.length;
  if (n === 0) return { p50: NaN, p90: NaN, p99: NaN, max: NaN, mean: NaN };
  const pct = (p: number) => sorted[Math.min(n - 1, Math.floor((p / 100) * n))]!;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += sorted[i]!;
  return { p50: pct(50), p90: pct(90), p99: pct(99), max: sorted[n - 1]!, mean: sum / n };
}

/** One result from several runs against the same target (e.g. slices interleaved with others). */
export function mergeLoads(parts: readonly LoadResult[]): LoadResult {
  const requests = parts.reduce((n, p) => n + p.requests, 0);
  const durationSeconds = parts.reduce((n, p) => n + p.durationSeconds, 0);
  const bytes = parts.reduce((n, p) => n + p.bytesPerSecond * p.durationSeconds, 0);
  const all = new Float64Array(parts.reduce((n, p) => n + p.latencies.length, 0));
  let at = 0;
  for (const p of parts) { all.set(p.latencies, at); at += p.latencies.length; }
  all.sort();
  const statusCodes: Record<string, number> = {};
  for (const p of parts) for (const [code, c] of Object.entries(p.statusCodes)) statusCodes[code] = (statusCodes[code] ?? 0) + c;
  return {
    requests, durationSeconds,
    requestsPerSecond: durationSeconds > 0 ? requests / durationSeconds : 0,
    latencyMs: latencyStats(all),
    statusCodes,
    non2xx: parts.reduce((n, p) => n + p.non2xx, 0),
    errors: parts.reduce((n, p) => n + p.errors, 0),
    timeouts: parts.reduce((n, p) => n + p.timeouts, 0),
    bytesPerSecond: durationSeconds > 0 ? bytes / durationSeconds : 0,
    latencies: all,
  };
}
