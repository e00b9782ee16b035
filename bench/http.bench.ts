// HTTP benchmark: GET /api/v1/locate (varying points) against GET /health (the trivial
// endpoint) on the same server process in the same run. The issue's goal: locate sustains at
// least 0.8× the trivial endpoint's requests per second. The goal is measured where citizens
// are — points inside the city's quadrants; points outside (answered with the nearest quadrant
// and its distance, a slower path) are measured as a second target and reported beside it. The targets
// are measured in interleaved 2 s slices so background load on a shared machine hits them
// alike. The server runs in a child process; bench/lib/raw-load.ts drives it from this one. Reports
// only: a slow figure never fails the run, but a run that measured errors (non-2xx,
// connection errors) or wrong answers is invalid and throws.
//
//   npx tsx bench/http.bench.ts          (or: npm run bench -- http)
//   BENCH_HTTP_DURATION=8 BENCH_HTTP_WARMUP=2 BENCH_HTTP_CONNECTIONS=50 BENCH_SEED=1
//   BENCH_CPU_PROF=var/profiles   → writes a .cpuprofile of the server (open in Chrome DevTools)
import { cpus } from 'node:os';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { mergeLoads, runLoad, type LoadResult } from './lib/load.js';
import { mulberry32, uniform } from './lib/prng.js';
import { BenchInvalidError, benchMain, row, type BenchRow } from './lib/report.js';
import { startServerProcess, type ServerProcess } from './lib/server.js';
import { envNumber } from './lib/env.js';
import { machineBusy } from './lib/machine.js';
import { round2 } from './lib/stats.js';

const SUITE = 'http';
const GOAL = 0.8;

/** The city's bounding box: 80% of the points are drawn inside it (not all of it has quadrants). */
const CITY = { minLon: -99.33, maxLon: -98.95, minLat: 19.05, maxLat: 19.59 };
/** Where the outside points are drawn from (minus the city box). */
const AROUND = { minLon: -99.8, maxLon: -98.5, minLat: 18.8, maxLat: 19.9 };
const INSIDE_SHARE = 0.8;
const POINTS = 4096;
/** Length of one interleaved measurement slice. */
const SLICE_SECONDS = 2;

export interface HttpBenchOptions {
  durationSeconds?: number;
  warmupSeconds?: number;
  connections?: number;
  seed?: number;
  /** Directory for a V8 CPU profile of the server process. */
  cpuProfileDir?: string;
  log?: (line: string) => void;
}

interface Point { lat: number; lon: number; inside: boolean }

export function locatePoints(seed: number, count = POINTS): Point[] {
  const rng = mulberry32(seed);
  const points: Point[] = [];
  while (points.length < count) {
    if (rng() < INSIDE_SHARE) {
      points.push({ lon: uniform(rng, CITY.minLon, CITY.maxLon), lat: uniform(rng, CITY.minLat, CITY.maxLat), inside: true });
    } else {
      const lon = uniform(rng, AROUND.minLon, AROUND.maxLon);
      const lat = uniform(rng, AROUND.minLat, AROUND.maxLat);
      if (lon >= CITY.minLon && lon <= CITY.maxLon && lat >= CITY.minLat && lat <= CITY.maxLat) continue;
      points.push({ lon, lat, inside: false });
    }
  }
  return points;
}

const locatePath = (p: Point) => `/api/v1/locate?lat=${p.lat.toFixed(6)}&lon=${p.lon.toFixed(6)}`;

interface LocateBody {
  quadrant: { id: string } | null;
  nearest: { id: string; distanceMeters: number } | null;
}

interface Checked {
  /** Paths of the points that fell inside a quadrant. */
  hits: string[];
  /** Paths of the points outside every quadrant (the server answers with the nearest one). */
  misses: string[];
}

/**
 * Before any load: every point of the list answers 200 with a quadrant or, outside them all,
 * the nearest one; the Zócalo is in a quadrant. Otherwise the run would measure errors.
 */
async function checkAnswers(server: ServerProcess, points: Point[]): Promise<Checked> {
  const center = await fetch(`${server.url}/api/v1/locate?lat=19.4326&lon=-99.1332`);
  const centerBody = (await center.json()) as LocateBody;
  if (center.status !== 200 || !centerBody.quadrant?.id) {
    throw new Error(`locate of the Zócalo did not return a quadrant (HTTP ${center.status}): ${JSON.stringify(centerBody).slice(0, 300)}`);
  }
  const hits: string[] = [];
  const misses: string[] = [];
  let next = 0;
  const worker = async () => {
    while (next < points.length) {
      const p = points[next++]!;
      const path = locatePath(p);
      const res = await fetch(`${server.url}${path}`);
      const text = await res.text();
      if (res.status !== 200) throw new Error(`locate ${path} → HTTP ${res.status}: ${text.slice(0, 300)}`);
      const body = JSON.parse(text) as LocateBody;
      if (body.quadrant?.id) hits.push(path);
      else if (body.nearest?.id) misses.push(path);
      else throw new Error(`locate ${path} gave neither a quadrant nor the nearest one: ${text.slice(0, 300)}`);
      if (!p.inside && body.quadrant) throw new Error(`locate ${path} is outside the city box but got quadrant ${body.quadrant.id}`);
    }
  };
  await Promise.all(Array.from({ length: 16 }, worker));
  if (hits.length === 0) throw new Error('no point fell in a quadrant');
  return { hits, misses };
}

/** Cycles through a list of request paths. */
function cycle(paths: readonly string[]): () => string {
  let i = 0;
  return () => { const p = paths[i]!; i = i + 1 === paths.length ? 0 : i + 1; return p; };
}

interface Measured {
  load: LoadResult;
  /** Server CPU time over wall time (1 = one core busy the whole run). */
  serverCpu: number | null;
  /** Server CPU time per completed request, µs: unlike req/s, barely moved by other load on the machine. */
  cpuPerRequestUs: number | null;
}

interface Target { name: string; nextPath: () => string }

/**
 * Measures the targets in interleaved slices (A B C A B C …) rather than one after the other,
 * so a change in background load (a shared 2-core machine) hits every target alike and the
 * ratios stay fair. Each target gets `durationSeconds` in all.
 */
async function measureInterleaved(server: ServerProcess, targets: readonly Target[], connections: number, durationSeconds: number): Promise<Measured[]> {
  const slices = Math.max(1, Math.round(durationSeconds / SLICE_SECONDS));
  const sliceSeconds = durationSeconds / slices;
  const parts = targets.map(() => [] as LoadResult[]);
  const cpuMs = targets.map(() => 0 as number | null);
  const wallMs = targets.map(() => 0);
  for (let s = 0; s < slices; s++) {
    for (const [i, t] of targets.entries()) {
      const cpu0 = server.cpuTimeMs();
      const t0 = performance.now();
      parts[i]!.push(await runLoad({ url: server.url, nextPath: t.nextPath, connections, durationSeconds: sliceSeconds }));
      wallMs[i]! += performance.now() - t0;
      const cpu1 = server.cpuTimeMs();
      cpuMs[i] = cpu0 === null || cpu1 === null || cpuMs[i] === null ? null : cpuMs[i]! + (cpu1 - cpu0);
    }
  }
  return targets.map((_, i) => {
    const load = mergeLoads(parts[i]!);
    const cpu = cpuMs[i]!;
    return {
      load,
      serverCpu: cpu === null ? null : cpu / wallMs[i]!,
      cpuPerRequestUs: cpu === null || load.requests === 0 ? null : (cpu * 1000) / load.requests,
    };
  });
}

function describe(name: string, m: Measured): string {
  const l = m.load;
  const cpu = m.serverCpu === null ? '' : `, server CPU ${(m.serverCpu * 100).toFixed(0)}% (${m.cpuPerRequestUs!.toFixed(0)} µs/request)`;
  return `  ${name.padEnd(7)} ${Math.round(l.requestsPerSecond).toLocaleString('en-US')} req/s, p50 ${l.latencyMs.p50.toFixed(2)} ms, p99 ${l.latencyMs.p99.toFixed(2)} ms, `
    + `${Math.round(l.bytesPerSecond / l.requestsPerSecond)} B/response, status ${JSON.stringify(l.statusCodes)}${cpu}`;
}

export async function runHttpBench(opts: HttpBenchOptions = {}): Promise<BenchRow[]> {
  const durationSeconds = opts.durationSeconds ?? envNumber('BENCH_HTTP_DURATION') ?? 8;
  const warmupSeconds = opts.warmupSeconds ?? envNumber('BENCH_HTTP_WARMUP') ?? 2;
  const connections = Math.round(opts.connections ?? envNumber('BENCH_HTTP_CONNECTIONS') ?? 50);
  const seed = opts.seed ?? envNumber('BENCH_SEED') ?? 20_240_601;
  const cpuProfileDir = opts.cpuProfileDir ?? (process.env.BENCH_CPU_PROF ? resolve(process.env.BENCH_CPU_PROF) : undefined);
  const log = opts.log ?? ((line: string) => console.log(line));

  const points = locatePoints(seed);
  const nextHealth = () => '/health';

  const busy = await machineBusy();
  if (busy > 0.2) {
    log(`http: note — other processes keep ${(busy * 100).toFixed(0)}% of the ${cpus().length} cores busy: figures will be low and noisy`);
  }
  log(`http: starting the server (child process${cpuProfileDir ? `, CPU profile → ${cpuProfileDir}` : ''})…`);
  const server = await startServerProcess(cpuProfileDir ? { cpuProfileDir } : {});
  try {
    log(`http: server ready at ${server.url} in ${(server.startupMs / 1000).toFixed(1)} s (pid ${server.pid})`);
    const checked = await checkAnswers(server, points);
    const hitShare = checked.hits.length / points.length;
    log(`http: all ${points.length} points answer 200; ${(hitShare * 100).toFixed(0)}% fall in a quadrant, the rest get the nearest one`);
    const nextLocate = cycle(points.map(locatePath));

    log(`http: warming up ${warmupSeconds} s per endpoint, then ${durationSeconds} s each in interleaved ${SLICE_SECONDS} s slices, `
      + `${connections} connections, pipelining 1`);
    await runLoad({ url: server.url, nextPath: nextHealth, connections, durationSeconds: warmupSeconds });
    await runLoad({ url: server.url, nextPath: nextLocate, connections, durationSeconds: warmupSeconds });
    const [health, locate, missesOnly] = await measureInterleaved(server, [
      { name: '/health', nextPath: nextHealth },
      { name: 'locate', nextPath: cycle(checked.hits) },
      { name: 'outside', nextPath: cycle(checked.misses) },
    ], connections, durationSeconds) as [Measured, Measured, Measured];
    log(describe('/health', health));
    log(describe('locate', locate));
    log(describe('outside', missesOnly));

    const h = health.load;
    const l = locate.load;
    const hl = missesOnly.load;
    const verdict = (r: number) => (r >= GOAL ? 'met' : 'NOT met');
    const capacity = (m: Measured) => (m.cpuPerRequestUs === null ? null : Math.round(1e6 / m.cpuPerRequestUs));
    const size = (r: LoadResult) => Math.round(r.bytesPerSecond / r.requestsPerSecond);
    const rows: BenchRow[] = [
      row(SUITE, 'locate req/s (points in the city)', Math.round(l.requestsPerSecond), Math.round(h.requestsPerSecond), 'req/s',
        `goal ≥ ${GOAL.toFixed(2)}×: ${verdict(l.requestsPerSecond / h.requestsPerSecond)}`),
    ];
    const capL = capacity(locate);
    const capH = capacity(health);
    const capHits = capacity(missesOnly);
    if (capL !== null && capH !== null) {
      rows.push(row(SUITE, 'locate req/s per server core', capL, capH, 'req/s',
        `1 s ÷ server CPU per request; steadier on a busy machine; goal: ${verdict(capL / capH)}`));
    }
    rows.push(
      row(SUITE, 'latency p50', round2(l.latencyMs.p50), round2(h.latencyMs.p50), 'ms', 'lower is better'),
      row(SUITE, 'latency p99', round2(l.latencyMs.p99), round2(h.latencyMs.p99), 'ms', 'lower is better'),
      row(SUITE, 'response size', size(l), size(h), 'B', 'body + headers'),
      { suite: SUITE, name: 'non-2xx responses', ours: l.non2xx + hl.non2xx, theirs: h.non2xx, unit: 'count', ratio: null, note: 'must be 0' },
      { suite: SUITE, name: 'connection errors', ours: l.errors + hl.errors, theirs: h.errors, unit: 'count', ratio: null, note: 'must be 0' },
      { suite: SUITE, name: 'answers checked before load', ours: points.length, theirs: null, unit: 'points', ratio: null,
        note: `all 200; ${checked.hits.length} in a quadrant, ${checked.misses.length} outside got the nearest` },
      row(SUITE, 'locate req/s (points outside the city)', Math.round(hl.requestsPerSecond), Math.round(h.requestsPerSecond), 'req/s',
        'nearest quadrant + distance: a scan of bbox bounds, then a few boundaries'),
    );
    if (capHits !== null && capH !== null) {
      rows.push(row(SUITE, 'diag: same, per server core', capHits, capH, 'req/s', ''));
    }
    if (locate.serverCpu !== null && health.serverCpu !== null) {
      rows.push(row(SUITE, 'diag: server CPU busy', Math.round(locate.serverCpu * 100), Math.round(health.serverCpu * 100), '% core',
        health.serverCpu < 0.9 ? '/health under 90%: the load generator, not the server, set its req/s' : 'one thread: ~100% = server-bound'));
    }

    const problems: string[] = [];
    const runs = { locate: l, 'locate (outside)': hl, '/health': h };
    for (const [name, r] of Object.entries(runs)) {
      if (r.non2xx > 0) problems.push(`${name}: non-2xx responses ${JSON.stringify(r.statusCodes)}`);
      if (r.errors > 0) problems.push(`${name}: ${r.errors} connection errors (${r.timeouts} timeouts)`);
      if (r.requests === 0) problems.push(`${name}: no request completed`);
    }
    if (problems.length > 0) throw new BenchInvalidError(`http benchmark invalid: ${problems.join('; ')}`, rows);
    return rows;
  } finally {
    await server.stop();
    if (cpuProfileDir) log(`http: server CPU profile written to ${cpuProfileDir}`);
  }
}

const title = 'HTTP — ours: GET /api/v1/locate (varying points) · theirs: GET /health (trivial endpoint), same server, same run';

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) void benchMain(runHttpBench, { title, theirsLabel: '/health' });
