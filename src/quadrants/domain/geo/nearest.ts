import type { Meters } from '../../../kernel/types.js';
import { forEachEdge, partCount, type FlatParts } from './flatten.js';
import { METERS_PER_DEG_LAT, metersPerDegLon, pointSegmentDist2 } from './planar.js';

/**
 * Nearest part boundary to (lon, lat), in metres on an equirectangular projection centred
 * on the point. Parts are visited by their bbox distance, a lower bound of the true
 * distance, so the loop stops as soon as no remaining bbox can beat the best so far.
 */
export function nearestPart(flat: FlatParts, lon: number, lat: number): { index: number; distance: Meters } | null {
  const kx = metersPerDegLon(lat);
  const bounds = bboxLowerBounds(flat, lon, lat, kx);
  const order = bounds.map((_, p) => p).sort((a, b) => (bounds[a] as number) - (bounds[b] as number) || a - b);
  let best = Infinity;
  let bestArea = -1;
  for (const p of order) {
    if ((bounds[p] as number) > best) break;
    const d = Math.sqrt(partDist2(flat, p, lon, lat, kx));
    const area = flat.partArea[p] as number;
    if (d < best || (d === best && area < bestArea)) [best, bestArea] = [d, area];
  }
  return bestArea < 0 ? null : { index: bestArea, distance: best as Meters };
}

function bboxLowerBounds(flat: FlatParts, lon: number, lat: number, kx: number): number[] {
  const b = flat.partBBox;
  return Array.from({ length: partCount(flat) }, (_, p) => {
    const dx = Math.max((b[4 * p] as number) - lon, 0, lon - (b[4 * p + 2] as number)) * kx;
    const dy = Math.max((b[4 * p + 1] as number) - lat, 0, lat - (b[4 * p + 3] as number)) * METERS_PER_DEG_LAT;
    return Math.hypot(dx, dy);
  });
}

/** Squared metres from the point to the closest edge of part p (any ring: holes count). */
function partDist2(flat: FlatParts, p: number, lon: number, lat: number, kx: number): number {
  const c = flat.coords;
  const ky = METERS_PER_DEG_LAT;
  let best = Infinity;
  forEachEdge(flat, p, (v) => {
    const ax = ((c[2 * v] as number) - lon) * kx;
    const ay = ((c[2 * v + 1] as number) - lat) * ky;
    const bx = ((c[2 * v + 2] as number) - lon) * kx;
    const by = ((c[2 * v + 3] as number) - lat) * ky;
    best = Math.min(best, pointSegmentDist2(0, 0, ax, ay, bx, by));
  });
  return best;
}
