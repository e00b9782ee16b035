// k-nearest available units: UnitPositionIndex (a grid updated in place) against the linear scan
// it must agree with, on 5,000 units placed like a city's and queries at random points in it.
// Every query's answer is compared with the scan's; the run is invalid (exit 1) on any difference.
//
// Units: 80% around a few busy centres, 18% anywhere in the CDMX bbox, 2% in other cities
// (so a query for more units than nearby has to reach far); ~70% available. Moves: each report
// shifts a unit by up to ~60 m (30 km/h for 5 s and GPS jitter), some cross cells.
//
//   npx tsx bench/nearest.bench.ts          (or: npm run bench -- nearest)
//   BENCH_NEAREST_UNITS=5000 BENCH_NEAREST_QUERIES=5000 BENCH_SEED=1
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { UnitPositionIndex, nearestLinear, type NearestHit, type UnitPoint } from '../src/fleet/domain/nearest-units.js';
import { machineBusy } from './lib/machine.js';
import { mulberry32, type Rng } from './lib/prng.js';
import { printTable, row, type BenchRow } from './lib/report.js';
import { envInt } from './lib/env.js';
import { race } from './lib/race.js';

const SUITE = 'nearest';
const CITY = { minLon: -99.33, maxLon: -98.95, minLat: 19.05, maxLat: 19.59 };
/** Centro, Roma/Condesa, Iztapalapa, Azcapotzalco, Coyoacán, Santa Fe, Gustavo A. Madero. */
const CENTRES = [[-99.133, 19.432], [-99.165, 19.415], [-99.06, 19.355], [-99.185, 19.485], [-99.162, 19.35], [-99.26, 19.365], [-99.11, 19.48]] as const;
/** Guadalajara, Monterrey, Puebla, Querétaro. */
const OTHER_CITIES = [[-103.35, 20.67], [-100.31, 25.69], [-98.2, 19.04], [-100.39, 20.59]] as const;
/** The default first, then a sweep. */
const CELLS = [1000, 250, 500, 2000];
const ROUNDS = 7;
/** The scan is ~100× slower: each timed pass answers this many of the queries (all are checked). */
const LINEAR_SAMPLE = 1000;

export interface NearestBenchOptions {
  units?: number;
  queries?: number;
  seed?: number;
  log?: (line: string) => void;
}

interface Workload {
  points: UnitPoint[];
  qLat: Float64Array;
  qLon: Float64Array;
  /** Moves: which unit (index into points) goes where, drawn up front so timing allocates nothing. */
  moveUnit: Int32Array;
  moveLat: Float64Array;
  moveLon: Float64Array;
}

export async function runNearestBench(opts: NearestBenchOptions = {}): Promise<BenchRow[]> {
  const log = opts.log ?? ((line: string) => console.log(line));
  const w = workload(opts.units ?? envInt('BENCH_NEAREST_UNITS', 5000), opts.queries ?? envInt('BENCH_NEAREST_QUERIES', 5000), opts.seed ?? envInt('BENCH_SEED', 1));
  const available = w.points.filter((p) => p.available).length;
  log(`nearest bench: ${w.points.length} units (${available} available), ${w.qLat.length} queries at random points in the city; machine ${(100 * (await machineBusy())).toFixed(0)}% busy before the run`);
  const linear: Query = (lat, lon, k) => nearestLinear(w.points, lat, lon, k);
  const indexes = CELLS.map((cellMeters) => build(w.points, cellMeters));
  const rows = [...queryRows(w, 3, linear, indexes), ...queryRows(w, 10, linear, indexes.slice(0, 1)), moveRow(w)];
  printTable(rows, { title: 'Nearest units — ours: UnitPositionIndex · theirs: linear scan over every unit', theirsLabel: 'linear', out: log });
  const wrong = rows.filter((r) => !r.note?.startsWith('0 of') && r.unit === 'queries/s');
  if (wrong.length > 0) throw new Error(`nearest: answers differ from the linear scan (${wrong.map((r) => r.name.trim()).join('; ')})`);
  return rows;
}

/** One row per index: its queries/s against the linear scan's, timed in the same rounds, and its agreement. */
function queryRows(w: Workload, k: number, linear: Query, indexes: UnitPositionIndex[]): BenchRow[] {
  const n = w.qLat.length;
  const reference = answerAll(w, k, linear);
  const sample = Math.min(n, LINEAR_SAMPLE);
  const [linearPerSec, ...oursPerSec] = race(ROUNDS, [
    { items: sample, pass: () => answerPrefix(w, k, sample, linear) },
    ...indexes.map((index) => ({ items: n, pass: () => answerPrefix(w, k, n, (lat, lon, kk) => index.nearest(lat, lon, kk)) })),
  ]);
  return indexes.map((index, i) => {
    const cellMeters = CELLS[i]!;
    const wrong = disagreements(answerAll(w, k, (lat, lon, kk) => index.nearest(lat, lon, kk)), reference);
    const label = i === 0 ? `nearest k=${k} (default 1 km cells)` : `  k=${k}, ${cellMeters} m cells`;
    const ours = oursPerSec[i]!;
    const note = `${wrong} of ${n} answers differ; ${usNote(ours)} vs ${usNote(linearPerSec!)}; ${unitsRead(index, w, k).toFixed(1)} distances/query`;
    return row(SUITE, label, ours, linearPerSec!, 'queries/s', note);
  });
}

// ---------- workload ----------

function workload(n: number, queries: number, seed: number): Workload {
  const random = mulberry32(seed);
  const points = Array.from({ length: n }, (_, i): UnitPoint => {
    const [lon, lat] = unitPosition(random);
    return { id: `P-${String(i).padStart(5, '0')}`, lat, lon, available: random() < 0.7 };
  });
  const qLat = new Float64Array(queries);
  const qLon = new Float64Array(queries);
  for (let i = 0; i < queries; i++) [qLon[i], qLat[i]] = inCity(random);
  const moves = n * 20;
  const moveUnit = new Int32Array(moves);
  const moveLat = new Float64Array(moves);
  const moveLon = new Float64Array(moves);
  const at = points.map((p) => [p.lat, p.lon]);
  for (let i = 0; i < moves; i++) {
    const u = Math.floor(random() * n);
    const pos = at[u]!;
    pos[0]! += (random() - 0.5) * 0.0011; // ±60 m north–south
    pos[1]! += (random() - 0.5) * 0.0011;
    [moveUnit[i], moveLat[i], moveLon[i]] = [u, pos[0]!, pos[1]!];
  }
  return { points, qLat, qLon, moveUnit, moveLat, moveLon };
}

function unitPosition(random: Rng): [number, number] {
  const roll = random();
  if (roll < 0.02) return OTHER_CITIES[Math.floor(random() * OTHER_CITIES.length)]!.map((v) => v + (random() - 0.5) * 0.1) as [number, number];
  if (roll < 0.2) return inCity(random);
  const [lon, lat] = CENTRES[Math.floor(random() * CENTRES.length)]!;
  // Sum of three uniforms: a bell about ±3 km wide, cut to the bbox.
  const spread = () => (random() + random() + random() - 1.5) * 0.04;
  return [clamp(lon + spread(), CITY.minLon, CITY.maxLon), clamp(lat + spread(), CITY.minLat, CITY.maxLat)];
}

const inCity = (random: Rng): [number, number] =>
  [CITY.minLon + random() * (CITY.maxLon - CITY.minLon), CITY.minLat + random() * (CITY.maxLat - CITY.minLat)];

const clamp = (v: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, v));

function build(points: readonly UnitPoint[], cellMeters: number): UnitPositionIndex {
  const index = new UnitPositionIndex({ cellMeters });
  for (const p of points) index.upsert(p.id, p.lat, p.lon, p.available);
  return index;
}

// ---------- timing ----------

type Query = (lat: number, lon: number, k: number) => NearestHit[];

/** Keeps the timed loops' results alive, so the JIT cannot drop the work. */
let sink = 0;

function answerPrefix(w: Workload, k: number, count: number, query: Query): void {
  for (let i = 0; i < count; i++) {
    const hits = query(w.qLat[i]!, w.qLon[i]!, k);
    sink += hits.length;
  }
}

function answerAll(w: Workload, k: number, query: Query): NearestHit[][] {
  return Array.from(w.qLat, (lat, i) => query(lat, w.qLon[i]!, k));
}

/** Mean units whose distance a query computes (counted through a pass-all filter, untimed; the filter runs after the cheap latitude reject). */
function unitsRead(index: UnitPositionIndex, w: Workload, k: number): number {
  let read = 0;
  const filter = () => (read++, true);
  for (let i = 0; i < w.qLat.length; i++) index.nearest(w.qLat[i]!, w.qLon[i]!, k, { filter });
  return read / w.qLat.length;
}

/**
 * Moves per second through upsert, against what the linear scan pays for the same report:
 * finding the unit's slot by id and overwriting its coordinates.
 */
function moveRow(w: Workload): BenchRow {
  const index = build(w.points, 1000);
  const ids = w.points.map((p) => p.id);
  const copy = w.points.map((p) => ({ ...p }));
  const slot = new Map(ids.map((id, i) => [id, i]));
  const n = w.moveUnit.length;
  const [ours, theirs] = race(ROUNDS, [
    { items: n, pass: () => { for (let i = 0; i < n; i++) index.upsert(ids[w.moveUnit[i]!]!, w.moveLat[i]!, w.moveLon[i]!, true); } },
    {
      items: n,
      pass: () => {
        for (let i = 0; i < n; i++) {
          const p = copy[slot.get(ids[w.moveUnit[i]!]!)!]!;
          p.lat = w.moveLat[i]!;
          p.lon = w.moveLon[i]!;
          p.available = true;
        }
      },
    },
  ]);
  const note = `${n.toLocaleString('en-US')} reports of ≤ ~60 m, ${(100 * crossings(w, 1000)).toFixed(1)}% into another cell; theirs: id → array slot, overwrite`;
  return row(SUITE, 'upsert (moves)', ours!, theirs!, 'moves/s', note);
}

/** Share of moves that leave their unit's 1 km cell (approximated with the grid's own degrees). */
function crossings(w: Workload, cellMeters: number): number {
  const degLat = cellMeters / 111_195;
  const degLon = degLat / Math.cos((19.4 * Math.PI) / 180);
  const last = w.points.map((p) => [p.lat, p.lon]);
  let crossed = 0;
  for (let i = 0; i < w.moveUnit.length; i++) {
    const pos = last[w.moveUnit[i]!]!;
    if (Math.floor(pos[0]! / degLat) !== Math.floor(w.moveLat[i]! / degLat) || Math.floor(pos[1]! / degLon) !== Math.floor(w.moveLon[i]! / degLon)) crossed++;
    [pos[0], pos[1]] = [w.moveLat[i]!, w.moveLon[i]!];
  }
  return crossed / w.moveUnit.length;
}

// ---------- agreement and report ----------

function disagreements(a: NearestHit[][], b: NearestHit[][]): number {
  let n = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!, y = b[i]!;
    if (x.length !== y.length || x.some((h, j) => h.id !== y[j]!.id || h.distanceM !== y[j]!.distanceM)) n++;
  }
  return n;
}

const usNote = (perSec: number): string => `${(1e6 / perSec).toFixed(perSec > 1e5 ? 2 : 1)} µs/query`;

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  runNearestBench().then(() => { if (sink < 0) console.log(sink); }, (err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exitCode = 1;
  });
}
