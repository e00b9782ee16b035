// Point → quadrant look-up throughput on the shipped 847 CDMX quadrants:
// QuadrantIndex.locate against which-polygon, a naive turf loop and PostGIS (PGlite).
// Every engine answers the same seeded query points; answers are compared with ours.
//
//   npx tsx bench/geo.bench.ts
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import type { Feature, FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import { booleanPointInPolygon } from '@turf/boolean-point-in-polygon';
import { point } from '@turf/helpers';
import type { AreaGeometry, BBox } from '../src/kernel/types.js';
import { QuadrantIndex, bboxOf, pointInGeometry, type IndexedArea } from '../src/quadrants/domain/geo/index.js';
import { mulberry32 } from './lib/prng.js';
import { printTable, row, type BenchRow } from './lib/report.js';

const SUITE = 'geo';

/** One engine's measurement, with how its answers compare with ours. */
export interface EngineResult {
  engine: string;
  /** Query points this engine answered (the slow ones get a prefix of the same list). */
  points: number;
  lookupsPerSec: number;
  nsPerLookup: number;
  /** Our throughput divided by this engine's: how many times faster ours is. */
  oursSpeedup: number;
  buildMs: number;
  /** Points whose answer differs from ours. */
  disagreements: number;
  /** …of which both answers contain the point (the quadrants overlap there). */
  disagreementsInOverlaps: number;
  /** …of which the point is within 1 cm of a quadrant boundary. */
  disagreementsOnBoundary: number;
  /** Separate probe: points exactly on quadrant vertices, where boundary rules show. */
  vertexProbe: { points: number; disagreements: number };
  note: string;
}

export interface GeoBenchOptions {
  points?: number;
  turfPoints?: number;
  postgisPoints?: number;
  vertexPoints?: number;
  seed?: number;
  log?: (line: string) => void;
}

type Fc = FeatureCollection<Polygon | MultiPolygon, { cuadrante: string; _index: number }>;

interface Workload {
  fc: Fc;
  areas: IndexedArea[];
  xs: Float64Array;
  ys: Float64Array;
  /** Exact vertices of the data, for the boundary probe. */
  vertices: { xs: Float64Array; ys: Float64Array };
}

/** Answers points[0..out.length) into out. One call per pass, so the loop inside stays monomorphic. */
type Locate = (xs: Float64Array, ys: Float64Array, out: Int32Array) => void | Promise<void>;

interface Engine {
  name: string;
  points: number;
  passes: number;
  /** Each engine times its own build, so that one-off start-up costs can be left out and said so. */
  build(w: Workload, log: (line: string) => void): Promise<Built>;
}

interface Built {
  locate: Locate;
  buildMs: number;
  note: string;
  close?: () => Promise<void>;
}

interface EngineRun {
  engine: string;
  points: number;
  ns: number;
  buildMs: number;
  answers: Int32Array;
  vertexAnswers: Int32Array;
  note: string;
}

const DATA = new URL('../data/cdmx/cuadrantes.geojson', import.meta.url);
/** Other cell sizes, to show the trade-off behind DEFAULT_CELL_DEG. */
const CELL_SWEEP = [0.0005, 0.0025];

/** Runs the comparison, prints the detailed table and the shared summary, returns the summary rows. */
export async function runGeoBench(options: GeoBenchOptions = {}): Promise<BenchRow[]> {
  const log = options.log ?? ((line: string) => console.log(line));
  const results = await measureEngines(options, log);
  log(formatTable(results));
  const rows = summaryRows(results);
  printTable(rows, { title: 'geo summary', theirsLabel: 'theirs', out: log });
  return rows;
}

/** Every engine on the same points; the first result is ours at the default cell size. */
export async function measureEngines(options: GeoBenchOptions, log: (line: string) => void): Promise<EngineResult[]> {
  const n = options.points ?? 200_000;
  const work = loadWorkload(n, options.vertexPoints ?? 2_000, options.seed ?? 42);
  log(`geo bench: ${work.areas.length} quadrants, ${n} query points (half uniform over the bbox, half inside random quadrants)`);
  const engines = [
    oursEngine(n), ...CELL_SWEEP.map((cellDeg) => oursEngine(n, cellDeg)),
    whichPolygonEngine(n), turfEngine(options.turfPoints ?? 20_000), postgisEngine(options.postgisPoints ?? 20_000),
  ];
  const runs: EngineRun[] = [];
  for (const engine of engines) {
    const run = await runEngine(engine, work, log);
    log(`  ${run.engine.trim()}: ${run.note}`);
    runs.push(run);
  }
  return runs.map((run) => toResult(run, runs[0]!, work));
}

/** The shared BenchRow form: our look-ups/s against each other engine's (the cell sweep stays in the detailed table), plus our build. */
function summaryRows(results: EngineResult[]): BenchRow[] {
  const ours = results[0]!;
  const agreement = (r: EngineResult) =>
    `${r.points} pts, ${r.nsPerLookup.toFixed(0)} ns/lookup; ${r.disagreements} disagree; on vertices ${r.vertexProbe.disagreements}/${r.vertexProbe.points}`;
  return [
    ...results.filter((r) => !r.engine.includes('ours')).map((r) => row(SUITE, `locate vs ${r.engine.trim()}`, ours.lookupsPerSec, r.lookupsPerSec, 'lookups/s', agreement(r))),
    row(SUITE, 'index build', ours.buildMs, null, 'ms', ours.note),
  ];
}

async function runEngine(engine: Engine, w: Workload, log: (line: string) => void): Promise<EngineRun> {
  const { locate, buildMs, note, close } = await engine.build(w, log);
  const answers = new Int32Array(engine.points);
  const [xs, ys] = [w.xs.subarray(0, engine.points), w.ys.subarray(0, engine.points)];
  const ns = await timePasses(engine.points, engine.passes, () => locate(xs, ys, answers));
  const vertexAnswers = new Int32Array(w.vertices.xs.length);
  await locate(w.vertices.xs, w.vertices.ys, vertexAnswers);
  await close?.();
  return { engine: engine.name, points: engine.points, ns, buildMs, answers, vertexAnswers, note };
}

// ---------- workload ----------

function loadWorkload(n: number, vertexCount: number, seed: number): Workload {
  const fc = JSON.parse(readFileSync(DATA, 'utf8')) as Fc;
  fc.features.forEach((f, i) => (f.properties._index = i));
  const areas = fc.features.map((f) => ({ id: f.properties.cuadrante, geometry: f.geometry as AreaGeometry }));
  const random = mulberry32(seed);
  const xs = new Float64Array(n);
  const ys = new Float64Array(n);
  const all = unionBBox(areas.map((a) => bboxOf(a.geometry)));
  for (let i = 0; i < n; i++) {
    const [x, y] = i < n / 2 ? randomIn(all, random) : randomInside(areas[Math.floor(random() * areas.length)]!.geometry, random);
    xs[i] = x;
    ys[i] = y;
  }
  return { fc, areas, xs, ys, vertices: sampleVertices(areas, vertexCount, random) };
}

function sampleVertices(areas: IndexedArea[], n: number, random: () => number): Workload['vertices'] {
  const all = areas.flatMap((a) => (a.geometry.type === 'Polygon' ? [a.geometry.coordinates] : a.geometry.coordinates).flat(2));
  const picks = Array.from({ length: n }, () => all[Math.floor(random() * all.length)]!);
  return { xs: Float64Array.from(picks, (p) => p[0]!), ys: Float64Array.from(picks, (p) => p[1]!) };
}

function unionBBox(boxes: BBox[]): BBox {
  return boxes.reduce((b, q) => [Math.min(b[0], q[0]), Math.min(b[1], q[1]), Math.max(b[2], q[2]), Math.max(b[3], q[3])], [180, 90, -180, -90] as BBox);
}

const randomIn = (b: BBox, random: () => number): [number, number] =>
  [b[0] + random() * (b[2] - b[0]), b[1] + random() * (b[3] - b[1])];

function randomInside(g: AreaGeometry, random: () => number): [number, number] {
  const b = bboxOf(g);
  for (;;) {
    const [x, y] = randomIn(b, random);
    if (pointInGeometry(x, y, g)) return [x, y];
  }
}

// ---------- timing ----------

/**
 * Median ns per look-up over several passes, after one warm-up pass. The median, not the
 * best, because the machine is shared: it is closer to what a server would see.
 */
async function timePasses(n: number, passes: number, pass: () => void | Promise<void>): Promise<number> {
  await pass();
  const times: number[] = [];
  for (let p = 0; p < passes; p++) {
    const t = process.hrtime.bigint();
    await pass();
    times.push(Number(process.hrtime.bigint() - t) / n);
  }
  return median(times);
}

function timed<T>(fn: () => T): { value: T; ms: number } {
  const t = performance.now();
  const value = fn();
  return { value, ms: performance.now() - t };
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;

// ---------- engines ----------

function oursEngine(points: number, cellDeg?: number): Engine {
  return {
    name: cellDeg ? `  ours, cell ${cellDeg}°` : 'QuadrantIndex.locate (ours)',
    points,
    passes: 9,
    async build(w) {
      const builds = Array.from({ length: 5 }, () => timed(() => QuadrantIndex.build(w.areas, cellDeg ? { cellDeg } : {})));
      const index = builds[0]!.value;
      const s = index.stats();
      const note = `grid ${s.cols}×${s.rows} cells of ${s.cellDeg}°, ${s.boundaryCells} boundary cells, ${(s.bytes / 1024 / 1024).toFixed(2)} MiB`;
      return { locate: (xs, ys, out) => locateAll(index, xs, ys, out), buildMs: median(builds.map((b) => b.ms)), note: `${note} (build: median of 5)` };
    },
  };
}

function locateAll(index: QuadrantIndex, xs: Float64Array, ys: Float64Array, out: Int32Array): void {
  for (let i = 0; i < out.length; i++) out[i] = index.locate(xs[i]!, ys[i]!);
}

type WhichPolygonQuery = (p: [number, number]) => { _index: number } | null;

function whichPolygonEngine(points: number): Engine {
  return {
    name: 'which-polygon 2.2',
    points,
    passes: 3,
    async build(w) {
      const whichPolygon = createRequire(import.meta.url)('which-polygon') as (fc: Fc) => WhichPolygonQuery;
      const { value: query, ms: buildMs } = timed(() => whichPolygon(w.fc));
      const locate: Locate = (xs, ys, out) => {
        for (let i = 0; i < out.length; i++) out[i] = query([xs[i]!, ys[i]!])?._index ?? -1;
      };
      return { locate, buildMs, note: 'rbush of polygon bboxes + ray casting' };
    },
  };
}

function turfEngine(points: number): Engine {
  return {
    name: '@turf/boolean-point-in-polygon',
    points,
    passes: 3,
    async build(w) {
      const { value: boxes, ms: buildMs } = timed(() => w.areas.map((a) => bboxOf(a.geometry)));
      const features = w.fc.features as Feature<Polygon | MultiPolygon>[];
      const locate: Locate = (xs, ys, out) => {
        for (let i = 0; i < out.length; i++) out[i] = turfLocate(features, boxes, xs[i]!, ys[i]!);
      };
      return { locate, buildMs, note: 'loop over all 847 with a bbox prefilter, first hit' };
    },
  };
}

function turfLocate(features: Feature<Polygon | MultiPolygon>[], boxes: BBox[], x: number, y: number): number {
  const p = point([x, y]);
  for (let k = 0; k < features.length; k++) {
    const b = boxes[k]!;
    if (x >= b[0] && x <= b[2] && y >= b[1] && y <= b[3] && booleanPointInPolygon(p, features[k]!)) return k;
  }
  return -1;
}

const POSTGIS_BATCH = 10_000;

/**
 * PostGIS 3.6 in PGlite (WASM): a GiST-indexed table and one query per 10k points that
 * unnests lon/lat arrays. ST_Intersects is boundary-inclusive and ORDER BY idx LIMIT 1
 * applies our lowest-index rule, so its answers are directly comparable. Build time
 * covers loading the table and the index, not starting PGlite and PostGIS (logged).
 */
function postgisEngine(points: number): Engine {
  return {
    name: 'PostGIS 3.6 (PGlite, GiST)',
    points,
    passes: 1,
    async build(w, log) {
      const pg = await startPostgis(log);
      const t = performance.now();
      await loadQuadrants(pg, w);
      const buildMs = performance.now() - t;
      const locate: Locate = async (xs, ys, out) => {
        for (let from = 0; from < out.length; from += POSTGIS_BATCH) {
          await postgisLocate(pg, xs, ys, from, Math.min(out.length, from + POSTGIS_BATCH), out);
        }
      };
      return { locate, buildMs, note: `ST_Intersects, ${POSTGIS_BATCH} points per query; build = insert + GiST index`, close: () => pg.close() };
    },
  };
}

interface Pg {
  exec(sql: string): Promise<unknown>;
  query<T>(sql: string, params?: unknown[]): Promise<{ rows: T[] }>;
  close(): Promise<void>;
}

async function startPostgis(log: (line: string) => void): Promise<Pg> {
  const { PGlite } = await import('@electric-sql/pglite');
  const { postgis } = await import('@electric-sql/pglite-postgis');
  const t = performance.now();
  const pg = new PGlite({ extensions: { postgis } });
  await pg.exec('CREATE EXTENSION IF NOT EXISTS postgis;');
  log(`  PostGIS: PGlite + extension started in ${(performance.now() - t).toFixed(0)} ms (not counted as build)`);
  return pg;
}

async function loadQuadrants(pg: Pg, w: Workload): Promise<void> {
  await pg.exec('CREATE TABLE quadrants (idx int PRIMARY KEY, geom geometry(Geometry, 4326) NOT NULL);');
  await pg.query(
    `INSERT INTO quadrants SELECT i - 1, ST_SetSRID(ST_GeomFromGeoJSON(g), 4326) FROM unnest($1::text[]) WITH ORDINALITY AS t(g, i)`,
    [w.areas.map((a) => JSON.stringify(a.geometry))],
  );
  await pg.exec('CREATE INDEX quadrants_geom ON quadrants USING gist (geom); ANALYZE quadrants;');
}

async function postgisLocate(pg: Pg, xs: Float64Array, ys: Float64Array, from: number, to: number, out: Int32Array): Promise<void> {
  const { rows } = await pg.query<{ i: number; idx: number | null }>(
    `SELECT p.i::int AS i,
            (SELECT q.idx FROM quadrants q
              WHERE ST_Intersects(q.geom, ST_SetSRID(ST_MakePoint(p.x, p.y), 4326))
              ORDER BY q.idx LIMIT 1) AS idx
       FROM unnest($1::float8[], $2::float8[]) WITH ORDINALITY AS p(x, y, i)`,
    [Array.from(xs.subarray(from, to)), Array.from(ys.subarray(from, to))],
  );
  for (const r of rows) out[from + r.i - 1] = r.idx ?? -1;
}

// ---------- agreement and report ----------

function toResult(run: EngineRun, ours: EngineRun, w: Workload): EngineResult {
  const diff = disagreements(run, ours, w);
  const vertexDiff = run.vertexAnswers.reduce((n, a, i) => n + (a === ours.vertexAnswers[i] ? 0 : 1), 0);
  return {
    engine: run.engine, points: run.points, lookupsPerSec: 1e9 / run.ns, nsPerLookup: run.ns,
    oursSpeedup: run.ns / ours.ns, buildMs: run.buildMs, ...diff,
    vertexProbe: { points: run.vertexAnswers.length, disagreements: vertexDiff }, note: run.note,
  };
}

function disagreements(run: EngineRun, ours: EngineRun, w: Workload) {
  let total = 0, inOverlaps = 0, onBoundary = 0;
  for (let i = 0; i < run.points; i++) {
    const [a, b] = [run.answers[i]!, ours.answers[i]!];
    if (a === b) continue;
    total++;
    const [x, y] = [w.xs[i]!, w.ys[i]!];
    const contains = (k: number) => k >= 0 && pointInGeometry(x, y, w.areas[k]!.geometry);
    if (contains(a) && contains(b)) inOverlaps++;
    if (nearBoundary(w, x, y, [a, b])) onBoundary++;
  }
  return { disagreements: total, disagreementsInOverlaps: inOverlaps, disagreementsOnBoundary: onBoundary };
}

/** Within ~1 cm (1e-7°) of either answer's boundary: probe the point's neighbourhood. */
function nearBoundary(w: Workload, x: number, y: number, candidates: number[]): boolean {
  const d = 1e-7;
  return candidates.some((k) => {
    if (k < 0) return false;
    const g = w.areas[k]!.geometry;
    const probes = [[x - d, y], [x + d, y], [x, y - d], [x, y + d]].map(([px, py]) => pointInGeometry(px!, py!, g));
    return probes.some((p) => p !== probes[0]);
  });
}

export function formatTable(rows: EngineResult[]): string {
  const header = ['engine', 'points', 'lookups/s', 'ns/lookup', 'ours ×', 'build ms', 'disagree (overlap / ≤1cm)', 'on vertices'];
  const body = rows.map((r) => [
    r.engine, String(r.points), Math.round(r.lookupsPerSec).toLocaleString('en-US'), r.nsPerLookup.toFixed(1),
    r.oursSpeedup.toFixed(1), r.buildMs.toFixed(0), `${r.disagreements} (${r.disagreementsInOverlaps} / ${r.disagreementsOnBoundary})`,
    `${r.vertexProbe.disagreements}/${r.vertexProbe.points}`,
  ]);
  const widths = header.map((h, c) => Math.max(h.length, ...body.map((row) => row[c]!.length)));
  const line = (cells: string[]) => cells.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ');
  return [line(header), widths.map((n) => '-'.repeat(n)).join('  '), ...body.map(line)].join('\n');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await runGeoBench();
}
