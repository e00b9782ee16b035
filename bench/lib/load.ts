// HTTP load through autocannon's programmatic API (it ships no types; the slice used here is
// typed below). Latencies are recorded from the `response` event at full precision, since
// autocannon's own histogram rounds to whole milliseconds.
import { createRequire } from 'node:module';

export interface AutocannonRequest {
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  setupRequest?: (req: AutocannonRequest, context: Record<string, unknown>) => AutocannonRequest | null | undefined;
}

interface AutocannonOptions {
  url: string;
  connections?: number;
  pipelining?: number;
  duration?: number;
  amount?: number;
  timeout?: number;
  requests?: AutocannonRequest[];
}

interface Histogram { average: number; p50: number; p99: number; max: number; total: number }

interface AutocannonResult {
  requests: Histogram;
  latency: Histogram;
  throughput: Histogram;
  duration: number;
  errors: number;
  timeouts: number;
  mismatches: number;
  non2xx: number;
  resets: number;
  statusCodeStats: Record<string, { count: number }>;
}

interface AutocannonInstance {
  on(event: 'response', fn: (client: unknown, statusCode: number, resBytes: number, responseTime: number) => void): void;
  on(event: 'reqError', fn: (err: Error) => void): void;
  stop(): void;
}

type Autocannon = (opts: AutocannonOptions, cb: (err: Error | null, result: AutocannonResult) => void) => AutocannonInstance;

/** autocannon's programmatic API (the HTTP benchmarks' load generator). */
export const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

export interface LoadOptions {
  url: string;
  /** Next request path (with query string); called once per request. */
  nextPath: () => string;
  connections: number;
  pipelining?: number;
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
  let latencies = new Float64Array(1 << 16);
  let n = 0;
  let firstError: Error | null = null;
  return new Promise((ok, fail) => {
    const instance = autocannon({
      url: opts.url,
      connections: opts.connections,
      pipelining: opts.pipelining ?? 1,
      duration: opts.durationSeconds,
      timeout: 10,
      requests: [{
        method: 'GET',
        setupRequest: (req) => { req.path = opts.nextPath(); return req; },
      }],
    }, (err, result) => {
      if (err) { fail(err); return; }
      const statusCodes: Record<string, number> = {};
      for (const [code, s] of Object.entries(result.statusCodeStats)) statusCodes[code] = s.count;
      const requests = result.requests.total;
      const sorted = latencies.slice(0, n).sort();
      if (firstError && result.errors > 0) console.error(`  first connection error: ${firstError.message}`);
      ok({
        requests,
        durationSeconds: result.duration,
        requestsPerSecond: requests / result.duration,
        latencyMs: latencyStats(sorted),
        statusCodes,
        non2xx: result.non2xx,
        errors: result.errors,
        timeouts: result.timeouts,
        bytesPerSecond: result.throughput.total / result.duration,
        latencies: sorted,
      });
    });
    instance.on('response', (_client, _status, _bytes, responseTime) => {
      if (n === latencies.length) {
        const grown = new Float64Array(latencies.length * 2);
        grown.set(latencies);
        latencies = grown;
      }
      latencies[n++] = responseTime;
    });
    instance.on('reqError', (err) => { firstError ??= err; });
  });
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
