import { lngLat, type AreaGeometry, type LngLat, type Ring } from '../../../kernel/index.js';
import { centroid } from './measure.js';
import { pointInGeometry, polygonsOf } from './pip.js';
import { metersPerDegLon, pointSegmentDist2, METERS_PER_DEG_LAT } from './planar.js';

/** Horizontal scanlines tried per polygon part; more only buys a slightly better-centred label. */
const SCANLINES = 16;
/** A micrometre: anything closer to an edge could test as "on the boundary" in doubles. */
const MIN_CLEARANCE_M = 1e-6;

/**
 * A point strictly inside the geometry (never on its boundary, never in a hole), placed
 * well away from the boundary so it suits a map label. Candidates are the centroid and the
 * midpoints of the inside stretches of a few scanlines; the one farthest from the boundary
 * wins. Not rounded: rounding to the data's own precision could land it on a vertex.
 */
export function interiorPoint(g: AreaGeometry): LngLat {
  let best: { x: number; y: number; clearance: number } | undefined;
  for (const [x, y] of candidates(g)) {
    if (!pointInGeometry(x, y, g)) continue;
    const clearance = boundaryClearance(g, x, y);
    if (clearance > MIN_CLEARANCE_M && (!best || clearance > best.clearance)) best = { x, y, clearance };
  }
  if (!best) throw new RangeError('interiorPoint: geometry has no interior');
  return lngLat(best.x, best.y);
}

function* candidates(g: AreaGeometry): Generator<[number, number]> {
  const c = centroid(g);
  yield [c[0], c[1]];
  for (const rings of polygonsOf(g)) {
    for (const y of scanlineLevels(rings)) yield* insideMidpoints(rings, y);
  }
}

/** Evenly spaced levels across the part, nudged off vertex latitudes so crossings are clean. */
function scanlineLevels(rings: readonly Ring[]): number[] {
  const ys = new Set(rings.flatMap((r) => r.map((p) => p[1] as number)));
  const lo = Math.min(...ys);
  const hi = Math.max(...ys);
  return Array.from({ length: SCANLINES }, (_, k) => {
    let y = lo + ((k + 0.5) / SCANLINES) * (hi - lo);
    while (ys.has(y)) y += (hi - lo) * 1e-9;
    return y;
  });
}

/** Midpoints of the stretches of the line at latitude y that lie inside the part (even-odd). */
function insideMidpoints(rings: readonly Ring[], y: number): [number, number][] {
  const xs: number[] = [];
  for (const ring of rings) {
    for (let i = 0; i + 1 < ring.length; i++) {
      const [x1, y1] = ring[i] as [number, number];
      const [x2, y2] = ring[i + 1] as [number, number];
      if ((y1 > y) !== (y2 > y)) xs.push(x1 + ((y - y1) * (x2 - x1)) / (y2 - y1));
    }
  }
  xs.sort((a, b) => a - b);
  const out: [number, number][] = [];
  for (let i = 0; i + 1 < xs.length; i += 2) out.push([((xs[i] as number) + (xs[i + 1] as number)) / 2, y]);
  return out;
}

/** Metres from (x, y) to the nearest edge of any ring of any part. */
export function boundaryClearance(g: AreaGeometry, x: number, y: number): number {
  const kx = metersPerDegLon(y);
  let best = Infinity;
  for (const ring of polygonsOf(g).flat()) {
    for (let i = 0; i + 1 < ring.length; i++) {
      const [ax, ay] = ring[i] as [number, number];
      const [bx, by] = ring[i + 1] as [number, number];
      const d2 = pointSegmentDist2(0, 0, (ax - x) * kx, (ay - y) * METERS_PER_DEG_LAT, (bx - x) * kx, (by - y) * METERS_PER_DEG_LAT);
      if (d2 < best) best = d2;
    }
  }
  return Math.sqrt(best);
}
