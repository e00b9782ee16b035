import { haversineMeters, lngLat, type AreaGeometry, type BBox, type LngLat, type Meters, type Ring } from '../../../kernel/index.js';
import { growBBox } from './flatten.js';
import { polygonsOf } from './pip.js';
import { RAD } from './planar.js';

/** WGS84 equatorial radius: the sphere turf/area (and d3-geo's area) uses, so areas match theirs. */
const AREA_RADIUS_M = 6378137;

/** Great-circle distance (haversine) on the mean-radius sphere. */
export function distanceMeters(a: LngLat, b: LngLat): Meters {
  return haversineMeters(a[1], a[0], b[1], b[0]) as Meters;
}

/**
 * Signed spherical-excess area of a ring in m² (Chamberlain & Duquette, the formula in
 * turf/area): Σ (λ[i+1] − λ[i−1]) · sin φ[i] · R² / 2.
 */
export function ringArea(ring: Ring): number {
  const n = distinctLength(ring);
  if (n < 3) return 0;
  let total = 0;
  for (let i = 0; i < n; i++) {
    const lower = ring[(i + n - 1) % n] as number[];
    const middle = ring[i] as number[];
    const upper = ring[(i + 1) % n] as number[];
    total += ((upper[0] as number) - (lower[0] as number)) * RAD * Math.sin((middle[1] as number) * RAD);
  }
  return (total * AREA_RADIUS_M * AREA_RADIUS_M) / 2;
}

/** Area in m²: outer rings minus holes, summed over MultiPolygon parts. */
export function geodesicArea(g: AreaGeometry): number {
  return polygonsOf(g).reduce((sum, rings) => sum + polygonArea(rings), 0);
}

function polygonArea(rings: readonly Ring[]): number {
  return rings.reduce((sum, ring, i) => sum + (i === 0 ? 1 : -1) * Math.abs(ringArea(ring)), 0);
}

export function bboxOf(g: AreaGeometry): BBox {
  const b = [Infinity, Infinity, -Infinity, -Infinity];
  for (const rings of polygonsOf(g)) {
    for (const pos of rings[0] ?? []) growBBox(b, pos[0] as number, pos[1] as number);
  }
  return b as unknown as BBox;
}

/** Closed boxes: touching edges or corners intersect. */
export function bboxIntersects(a: BBox, b: BBox): boolean {
  return a[0] <= b[2] && b[0] <= a[2] && a[1] <= b[3] && b[1] <= a[3];
}

/**
 * Area-weighted (planar) centroid, holes subtracted. Computed relative to the first vertex
 * so that the shoelace products stay small and precise. Rounded to 1e-7° (~1 cm).
 * A degenerate geometry (zero area) falls back to the mean of its outer-ring vertices.
 */
export function centroid(g: AreaGeometry): LngLat {
  const first = polygonsOf(g)[0]?.[0]?.[0];
  if (!first) return lngLat(NaN, NaN);
  const [ox, oy] = first as [number, number];
  let a = 0, sx = 0, sy = 0;
  for (const rings of polygonsOf(g)) {
    rings.forEach((ring, i) => {
      const m = ringMoments(ring, ox, oy);
      const sign = Math.sign(m.a) * (i === 0 ? 1 : -1); // orientation-independent: outer adds, holes subtract
      a += sign * m.a;
      sx += sign * m.sx;
      sy += sign * m.sy;
    });
  }
  if (a === 0) return vertexMean(g);
  return lngLat(round7(ox + sx / (3 * a)), round7(oy + sy / (3 * a)));
}

/** Twice the signed area and the first moments (×6 / 2) of a ring, relative to (ox, oy). */
function ringMoments(ring: Ring, ox: number, oy: number): { a: number; sx: number; sy: number } {
  const n = distinctLength(ring);
  let a = 0, sx = 0, sy = 0;
  for (let i = 0; i < n; i++) {
    const x1 = (ring[i]![0] as number) - ox, y1 = (ring[i]![1] as number) - oy;
    const x2 = (ring[(i + 1) % n]![0] as number) - ox, y2 = (ring[(i + 1) % n]![1] as number) - oy;
    const cross = x1 * y2 - x2 * y1;
    a += cross;
    sx += (x1 + x2) * cross;
    sy += (y1 + y2) * cross;
  }
  return { a, sx, sy };
}

function vertexMean(g: AreaGeometry): LngLat {
  const outer = polygonsOf(g).flatMap((rings) => rings[0] ?? []);
  const sum = outer.reduce((s, p) => [s[0]! + (p[0] as number), s[1]! + (p[1] as number)], [0, 0]);
  return lngLat(round7(sum[0]! / outer.length), round7(sum[1]! / outer.length));
}

/** Positions in the ring without the closing repeat (GeoJSON rings should repeat it; tolerate those that do not). */
function distinctLength(ring: Ring): number {
  const first = ring[0];
  const last = ring[ring.length - 1];
  return first && last && ring.length > 1 && first[0] === last[0] && first[1] === last[1] ? ring.length - 1 : ring.length;
}

const round7 = (x: number): number => Math.round(x * 1e7) / 1e7;
