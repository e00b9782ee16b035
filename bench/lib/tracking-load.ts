// Closed-loop HTTP load for the tracking benchmark, through autocannon like load.ts, with what
// its runLoad does not offer: any method (trackers POST), a fixed number of requests instead of
// a duration (`amount`), and a count of the requests actually written. With `amount` every
// request sent is answered before the run ends — none is cut off in flight, as a duration-bound
// run does when it stops — so the server's row count can be checked against the 200s exactly.
import { autocannon, latencyStats, type LoadResult } from './load.js';

export interface RequestLoadOptions {
  /** Origin, e.g. http://127.0.0.1:5055. */
  url: string;
  method: 'GET' | 'POST' | 'PUT';
  /** Next request path with its query string; called once per request written. */
  nextPath: () => string;
  connections: number;
  /** Exactly this many requests (split over the connections), or… */
  amount?: number;
  /** …as many as fit in this many seconds (the ones in flight at the end are cut off). */
  durationSeconds?: number;
}

export interface RequestLoadResult extends LoadResult {
  /** Requests written to a socket (setupRequest calls). */
  sent: number;
  /** Responses received (any status). */
  answered: number;
}

export function runRequests(opts: RequestLoadOptions): Promise<RequestLoadResult> {
  if ((opts.amount === undefined) === (opts.durationSeconds === undefined)) throw new Error('runRequests: give amount or durationSeconds');
  const amount = opts.amount === undefined ? undefined : Math.max(opts.connections, Math.round(opts.amount));
  let latencies = new Float64Array(1 << 16);
  let n = 0;
  let sent = 0;
  let firstError: Error | null = null;
  return new Promise((ok, fail) => {
    const instance = autocannon({
      url: opts.url,
      connections: opts.connections,
      pipelining: 1,
      ...(amount !== undefined ? { amount } : { duration: opts.durationSeconds! }),
      timeout: 10,
      requests: [{
        method: opts.method,
        // Empty body, like Traccar Client ≤ 8: everything is in the query string.
        setupRequest: (req) => { req.path = opts.nextPath(); sent++; return req; },
      }],
    }, (err, result) => {
      if (err) { fail(err); return; }
      const statusCodes: Record<string, number> = {};
      for (const [code, s] of Object.entries(result.statusCodeStats)) statusCodes[code] = s.count;
      const sorted = latencies.slice(0, n).sort();
      if (firstError && result.errors > 0) console.error(`  first connection error: ${firstError.message}`);
      const requests = result.requests.total;
      ok({
        requests,
        sent,
        answered: n,
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

