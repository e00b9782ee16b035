import type { AreaGeometry, Position, Ring } from '../../../kernel/index.js';
import { polygonsOf } from './pip.js';
import { METERS_PER_DEG_LAT, metersPerDegLon, pointSegmentDist2 } from './planar.js';

/**
 * Douglas–Peucker on every ring, tolerance in metres. Rings stay closed with at least
 * four positions; an outer ring never disappears, a hole is dropped only when it is
 * thinner than the tolerance (it would collapse to a line). Output rounded to 6 decimals
 * (~10 cm), the precision of the source data.
 */
export function simplifyGeometry(g: AreaGeometry, toleranceMeters: number): AreaGeometry {
  const simplifyPolygon = (rings: Ring[]): Ring[] =>
    rings.flatMap((ring, i) => {
      const out = simplifyRing(ring, toleranceMeters, i === 0);
      return out ? [out] : [];
    });
  return g.type === 'Polygon'
    ? { type: 'Polygon', coordinates: simplifyPolygon(g.coordinates) }
    : { type: 'MultiPolygon', coordinates: polygonsOf(g).map(simplifyPolygon) };
}

/** The simplified closed ring, or null when a hole collapses. */
export function simplifyRing(ring: Ring, tolerance: number, isOuter: boolean): Ring | null {
  const pts = openRing(ring.map(round6));
  if (pts.length < 3) return isOuter ? closeRing(pts) : null;
  const xy = project(pts);
  const far = farthestFrom(xy, 0);
  const keep = new Uint8Array(pts.length + 1);
  keep[0] = keep[far] = keep[pts.length] = 1;
  douglasPeucker(xy, 0, far, tolerance, keep);
  douglasPeucker(xy, far, pts.length, tolerance, keep);
  if (countKept(keep, pts.length) < 3) {
    if (!isOuter) return null;
    keep[farthestFromChord(xy, 0, far)] = 1; // keep the outer ring a triangle at worst
  }
  return closeRing(pts.filter((_, i) => keep[i] === 1));
}

const round6 = (p: Position): Position => [Math.round((p[0] as number) * 1e6) / 1e6, Math.round((p[1] as number) * 1e6) / 1e6];

const samePos = (a: Position | undefined, b: Position | undefined): boolean => !!a && !!b && a[0] === b[0] && a[1] === b[1];

/** Drops the closing position and consecutive repeats (rounding can create them). */
function openRing(ring: Ring): Ring {
  const out = ring.filter((p, i) => i === 0 || !samePos(p, ring[i - 1]));
  while (out.length > 1 && samePos(out[0], out[out.length - 1])) out.pop();
  return out;
}

const closeRing = (pts: Ring): Ring => (pts.length ? [...pts, pts[0] as Position] : pts);

/** Metres on a local equirectangular plane; index pts.length repeats vertex 0 to close the loop. */
function project(pts: Ring): Float64Array {
  const kx = metersPerDegLon(pts[0]![1] as number);
  const xy = new Float64Array((pts.length + 1) * 2);
  [...pts, pts[0]!].forEach((p, i) => {
    xy[2 * i] = ((p[0] as number) - (pts[0]![0] as number)) * kx;
    xy[2 * i + 1] = ((p[1] as number) - (pts[0]![1] as number)) * METERS_PER_DEG_LAT;
  });
  return xy;
}

function farthestFrom(xy: Float64Array, i: number): number {
  let best = 0, bestD = -1;
  for (let j = 0; 2 * j < xy.length - 2; j++) {
    const d = ((xy[2 * j] as number) - (xy[2 * i] as number)) ** 2 + ((xy[2 * j + 1] as number) - (xy[2 * i + 1] as number)) ** 2;
    if (d > bestD) [best, bestD] = [j, d];
  }
  return best;
}

/** Index of the vertex strictly between a and b farthest from segment a–b, and its squared distance. */
function farthestBetween(xy: Float64Array, a: number, b: number): [number, number] {
  let best = -1, bestD = -1;
  for (let j = a + 1; j < b; j++) {
    const d = pointSegmentDist2(xy[2 * j]!, xy[2 * j + 1]!, xy[2 * a]!, xy[2 * a + 1]!, xy[2 * b]!, xy[2 * b + 1]!);
    if (d > bestD) [best, bestD] = [j, d];
  }
  return [best, bestD];
}

function farthestFromChord(xy: Float64Array, a: number, b: number): number {
  const [i1, d1] = farthestBetween(xy, a, b);
  const [i2, d2] = farthestBetween(xy, b, xy.length / 2 - 1);
  return d1 >= d2 ? i1 : i2;
}

/** Iterative (no recursion depth limit on long rings). */
function douglasPeucker(xy: Float64Array, first: number, last: number, tolerance: number, keep: Uint8Array): void {
  const stack: [number, number][] = [[first, last]];
  const tol2 = tolerance * tolerance;
  while (stack.length) {
    const [a, b] = stack.pop()!;
    const [i, d2] = farthestBetween(xy, a, b);
    if (i < 0 || d2 <= tol2) continue;
    keep[i] = 1;
    stack.push([a, i], [i, b]);
  }
}

function countKept(keep: Uint8Array, n: number): number {
  let k = 0;
  for (let i = 0; i < n; i++) k += keep[i] as number;
  return k;
}
