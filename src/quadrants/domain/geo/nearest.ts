import type { Meters } from '../../../kernel/index.js';
import { partCount, type FlatParts } from './flatten.js';
import { METERS_PER_DEG_LAT, metersPerDegLon, pointSegmentDist2 } from './planar.js';

/** Lower bounds per part, reused across calls (the server is single-threaded). */
let scratch = new Float64Array(0);

/**
 * Nearest part boundary to (lon, lat), in metres on an equirectangular projection centred
 * on the point. One pass computes each part's bbox distance (a lower bound of the true
 * distance) and measures the part with the smallest; a second pass measures only the parts
 * whose bound can still beat it. No sort, no allocation but the result.
 */
export function nearestPart(flat: FlatParts, lon: number, lat: number): { index: number; distance: Meters } | null {
  const n = partCount(flat);
  if (n === 0) return null;
  if (scratch.length < n) scratch = new Float64Array(n);
  const lb = scratch;
  const b = flat.partBBox;
  const kx = metersPerDegLon(lat);
  let first = 0;
  let firstLb = Infinity;
  for (let p = 0; p < n; p++) {
    const dx = Math.max((b[4 * p] as number) - lon, 0, lon - (b[4 * p + 2] as number)) * kx;
    const dy = Math.max((b[4 * p + 1] as number) - lat, 0, lat - (b[4 * p + 3] as number)) * METERS_PER_DEG_LAT;
    const d2 = dx * dx + dy * dy;
    lb[p] = d2;
    if (d2 < firstLb) { firstLb = d2; first = p; }
  }
  // True distances (not squares) are compared so ties break as before: lowest area index.
  let best = Math.sqrt(partDist2(flat, first, lon, lat, kx));
  let bestArea = flat.partArea[first] as number;
  for (let p = 0; p < n; p++) {
    // Slack on the squared bound: measuring one part too many is harmless, one too few is not.
    if (p === first || (lb[p] as number) > best * best * (1 + 1e-9)) continue;
    const d = Math.sqrt(partDist2(flat, p, lon, lat, kx));
    const area = flat.partArea[p] as number;
    if (d < best || (d === best && area < bestArea)) { best = d; bestArea = area; }
  }
  return { index: bestArea, distance: best as Meters };
}

/** Squared metres from the point to the closest edge of part p (any ring: holes count). */
function partDist2(flat: FlatParts, p: number, lon: number, lat: number, kx: number): number {
  const c = flat.coords;
  const ky = METERS_PER_DEG_LAT;
  let best = Infinity;
  for (let r = flat.partRing[p] as number; r < (flat.partRing[p + 1] as number); r++) {
    const end = (flat.ringStart[r + 1] as number) - 1;
    for (let v = flat.ringStart[r] as number; v < end; v++) {
      const ax = ((c[2 * v] as number) - lon) * kx;
      const ay = ((c[2 * v + 1] as number) - lat) * ky;
      const bx = ((c[2 * v + 2] as number) - lon) * kx;
      const by = ((c[2 * v + 3] as number) - lat) * ky;
      const d2 = pointSegmentDist2(0, 0, ax, ay, bx, by);
      if (d2 < best) best = d2;
    }
  }
  return best;
}
