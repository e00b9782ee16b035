import { capsuleInterval, type Segment } from './capsule.js';
import { forEachEdge, partCount, flattenAreas, type FlatParts } from './flatten.js';
import { METERS_PER_DEG_LAT, metersPerDegLon } from './planar.js';
import { buildSegmentGrid, querySegments, segBox, type SegmentGrid } from './segment-grid.js';
import type { IndexedArea } from './types.js';

/** Real quadrant polygons leave slivers and overlaps of a metre or two along shared streets. */
export const DEFAULT_NEIGHBOUR_TOLERANCE_M = 3;
/** Shared boundary needed to be neighbours: more than a corner touch, less than a short block. */
export const MIN_SHARED_BOUNDARY_M = 10;
/** Bucket size of the segment grid: a few typical edge lengths (median edge here is ~60 m). */
const BUCKET_M = 150;

/**
 * Neighbours of each area (ids, sorted), parallel to `areas`. A and B are neighbours when
 * at least MIN_SHARED_BOUNDARY_M of A's boundary lies within `toleranceMeters` of B's
 * boundary, or the other way round — so the relation is symmetric by construction.
 */
export function computeNeighbours(areas: readonly IndexedArea[], toleranceMeters = DEFAULT_NEIGHBOUR_TOLERANCE_M): string[][] {
  const shared = sharedBoundaryLengths(flattenAreas(areas), toleranceMeters);
  const sets = areas.map(() => new Set<string>());
  shared.forEach((byOther, a) => {
    for (const [b, length] of byOther) {
      if (length < MIN_SHARED_BOUNDARY_M) continue;
      sets[a]!.add(areas[b]!.id);
      sets[b]!.add(areas[a]!.id);
    }
  });
  return sets.map((s) => [...s].sort());
}

interface Edges {
  xy: Float64Array; // metres, same vertex indexing as FlatParts.coords
  from: Int32Array; // start vertex of each edge
  area: Int32Array; // area of each edge
}

/** shared[a].get(b): metres of a's boundary lying within tolerance of b's boundary. */
function sharedBoundaryLengths(flat: FlatParts, tolerance: number): Map<number, number>[] {
  const edges = collectEdges(flat);
  const grid = buildSegmentGrid(edges.xy, edges.from, BUCKET_M, tolerance);
  const areaCount = flat.partArea.length ? flat.partArea[flat.partArea.length - 1]! + 1 : 0;
  const shared = Array.from({ length: areaCount }, () => new Map<number, number>());
  const seen = new Int32Array(edges.from.length).fill(-1);
  for (let i = 0; i < edges.from.length; i++) {
    const a = edges.area[i]!;
    for (const [b, metres] of coveredByArea(edges, grid, i, tolerance, seen)) {
      shared[a]!.set(b, (shared[a]!.get(b) ?? 0) + metres);
    }
  }
  return shared;
}

function collectEdges(flat: FlatParts): Edges {
  const b = flat.partBBox;
  const lat0 = b.length ? (Math.min(...b.filter((_, i) => i % 4 === 1)) + Math.max(...b.filter((_, i) => i % 4 === 3))) / 2 : 0;
  const kx = metersPerDegLon(lat0);
  const xy = flat.coords.map((c, i) => (i % 2 === 0 ? c * kx : c * METERS_PER_DEG_LAT));
  const from: number[] = [];
  const area: number[] = [];
  for (let p = 0; p < partCount(flat); p++) {
    forEachEdge(flat, p, (v) => {
      from.push(v);
      area.push(flat.partArea[p]!);
    });
  }
  return { xy, from: Int32Array.from(from), area: Int32Array.from(area) };
}

/**
 * For edge i, the length (m) of it lying within tolerance of each other area's boundary:
 * the union of the capsule intervals of that area's nearby edges, so overlapping
 * neighbours' edges are not counted twice.
 */
function coveredByArea(e: Edges, grid: SegmentGrid, i: number, tolerance: number, seen: Int32Array): Map<number, number> {
  const self = segmentOf(e, i);
  const intervals: [number, number, number][] = [];
  querySegments(grid, segBox(e.xy, e.from[i]!, 0), (j) => {
    if (seen[j] === i || e.area[j] === e.area[i]) return;
    seen[j] = i;
    const t = capsuleInterval(self, segmentOf(e, j), tolerance);
    if (t) intervals.push([e.area[j]!, t[0], t[1]]);
  });
  const length = Math.hypot(self.bx - self.ax, self.by - self.ay);
  return unionLengths(intervals, length);
}

function segmentOf(e: Edges, i: number): Segment {
  const v = 2 * e.from[i]!;
  return { ax: e.xy[v]!, ay: e.xy[v + 1]!, bx: e.xy[v + 2]!, by: e.xy[v + 3]! };
}

/** Per area, total length of the union of its [t0, t1] intervals, scaled by the edge length. */
function unionLengths(intervals: [number, number, number][], length: number): Map<number, number> {
  intervals.sort((x, y) => x[0] - y[0] || x[1] - y[1]);
  const out = new Map<number, number>();
  let k = 0;
  while (k < intervals.length) {
    const area = intervals[k]![0];
    let [, lo, hi] = intervals[k]!;
    let total = 0;
    for (; k < intervals.length && intervals[k]![0] === area; k++) {
      const [, t0, t1] = intervals[k]!;
      if (t0 > hi) [total, lo, hi] = [total + (hi - lo), t0, t1];
      else hi = Math.max(hi, t1);
    }
    out.set(area, (total + hi - lo) * length);
  }
  return out;
}
