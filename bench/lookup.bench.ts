// Number look-ups over HTTP against the same server's trivial endpoint (GET /health), in the same
// run: the plain look-up GET /api/v1/numbers/{number} and the k-anonymous range query
// GET /api/v1/numbers/range/{prefix}. The goal: HTTP look-ups ≥ 0.8× the trivial endpoint.
// Targets run in alternating 2 s slices so background load hits them alike. Reports, never asserts;
// a run that measured errors throws.
//
//   npx tsx bench/lookup.bench.ts          (or: npm run bench -- lookup)
import { createHash } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';
import { mergeLoads, runLoad, type LoadResult } from './lib/load.js';
import { mulberry32 } from './lib/prng.js';
import { printTable, row, type BenchRow } from './lib/report.js';
import { startServerProcess } from './lib/server.js';

const SUITE = 'lookup';
const NUMBERS = 400;
const SLICE_S = 2;
const ROUNDS = 4;

export async function runLookupBench(log: (l: string) => void = console.log): Promise<BenchRow[]> {
  const server = await startServerProcess({ env: { CUADRANTE_REPORTS_PER_DEVICE_HOUR: '100000', CUADRANTE_REPORTS_PER_NETWORK_HOUR: '1000000' } });
  try {
    // Seed: reported numbers (some reported several times, anonymously) so look-ups hit real entries.
    const rng = mulberry32(7);
    const numbers = Array.from({ length: NUMBERS }, (_, i) => `+5255${String(10_000_000 + i * 7919).slice(0, 8)}`);
    for (const n of numbers) {
      const reporters = 1 + Math.floor(rng() * 3);
      for (let r = 0; r < reporters; r++) {
        const res = await fetch(`${server.url}/api/v1/extortion/reports`, {
          method: 'POST', headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ number: n, channel: 'call', type: 'virtual_kidnapping' }),
        });
        if (res.status !== 201) throw new Error(`seeding failed: ${res.status} ${await res.text()}`);
      }
    }
    // Half the look-ups are numbers nobody reported (the common case for a citizen's check).
    const lookups = numbers.flatMap((n, i) => [n, `+5281${String(20_000_000 + i * 104_729).slice(0, 8)}`]);
    const prefixes = lookups.map((n) => createHash('sha256').update(n).digest('hex').slice(0, 5));
    const cycle = (paths: string[]) => { let i = 0; return () => paths[i++ % paths.length]!; };
    const targets = {
      health: () => '/health',
      lookup: cycle(lookups.map((n) => `/api/v1/numbers/${encodeURIComponent(n)}`)),
      range: cycle(prefixes.map((p) => `/api/v1/numbers/range/${p}`)),
    };
    log(`lookup: ${NUMBERS} numbers reported; warming up…`);
    for (const next of Object.values(targets)) await runLoad({ url: server.url, nextPath: next, connections: 50, durationSeconds: 1 });
    const parts: Record<keyof typeof targets, LoadResult[]> = { health: [], lookup: [], range: [] };
    for (let round = 0; round < ROUNDS; round++) {
      for (const [name, next] of Object.entries(targets) as [keyof typeof targets, () => string][]) {
        parts[name].push(await runLoad({ url: server.url, nextPath: next, connections: 50, durationSeconds: SLICE_S }));
      }
    }
    const [h, l, r] = [mergeLoads(parts.health), mergeLoads(parts.lookup), mergeLoads(parts.range)];
    const errors = [h, l, r].reduce((n, x) => n + x.non2xx + x.errors, 0);
    if (errors > 0) throw new Error(`lookup benchmark invalid: ${errors} non-2xx or connection errors`);
    const verdict = (x: LoadResult) => (x.requestsPerSecond / h.requestsPerSecond >= 0.8 ? 'met' : 'NOT met');
    return [
      row(SUITE, 'GET /api/v1/numbers/{n} req/s', Math.round(l.requestsPerSecond), Math.round(h.requestsPerSecond), 'req/s', `vs /health; goal ≥ 0.80×: ${verdict(l)}; p99 ${l.latencyMs.p99.toFixed(1)} ms vs ${h.latencyMs.p99.toFixed(1)} ms`),
      row(SUITE, 'GET /api/v1/numbers/range/{prefix} req/s', Math.round(r.requestsPerSecond), Math.round(h.requestsPerSecond), 'req/s', `vs /health; the k-anonymous check; p99 ${r.latencyMs.p99.toFixed(1)} ms`),
    ];
  } finally {
    await server.stop();
  }
}

if (import.meta.url === pathToFileURL(resolve(process.argv[1] ?? '')).href) {
  printTable(await runLookupBench());
}
