// Local equirectangular projection: at city scale (tens of km) its distance error is far
// below GPS noise, and it keeps segment distances to closed-form arithmetic.

/** Mean Earth radius (IUGG), the value turf and most haversine code use. */
export const EARTH_RADIUS_M = 6371008.8;
export const RAD = Math.PI / 180;
export const METERS_PER_DEG_LAT = EARTH_RADIUS_M * RAD;

/** Metres per degree of longitude at a latitude. */
export const metersPerDegLon = (lat: number): number => METERS_PER_DEG_LAT * Math.cos(lat * RAD);

/** Squared distance from (px,py) to segment (ax,ay)–(bx,by), all in the same planar units. */
export function pointSegmentDist2(px: number, py: number, ax: number, ay: number, bx: number, by: number): number {
  const dx = bx - ax;
  const dy = by - ay;
  const len2 = dx * dx + dy * dy;
  const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / len2));
  const ex = ax + t * dx - px;
  const ey = ay + t * dy - py;
  return ex * ex + ey * ey;
}
