// Branded types for values that are easy to mix up. A bare [number, number] invites
// lat/lon swaps, the classic map bug; a LngLat can only be made through lngLat().
declare const brand: unique symbol;
export type Brand<T, B extends string> = T & { readonly [brand]: B };

/** GeoJSON order: longitude first. */
export type LngLat = Brand<readonly [lon: number, lat: number], 'LngLat'>;
export type Meters = Brand<number, 'Meters'>;
export type QuadrantId = Brand<string, 'QuadrantId'>;
export type UserId = Brand<string, 'UserId'>;
export type E164 = Brand<string, 'E164'>;

export const lngLat = (lon: number, lat: number): LngLat => [lon, lat] as unknown as LngLat;
export const meters = (n: number): Meters => n as Meters;
export const quadrantId = (s: string): QuadrantId => s as QuadrantId;

export const isValidLat = (lat: number): boolean => Number.isFinite(lat) && lat >= -90 && lat <= 90;
export const isValidLon = (lon: number): boolean => Number.isFinite(lon) && lon >= -180 && lon <= 180;

/** [minLon, minLat, maxLon, maxLat] */
export type BBox = readonly [minLon: number, minLat: number, maxLon: number, maxLat: number];

// Minimal GeoJSON types: only what Cuadrante reads and writes.
export type Position = number[];
export type Ring = Position[];
export interface PolygonGeometry { type: 'Polygon'; coordinates: Ring[] }
export interface MultiPolygonGeometry { type: 'MultiPolygon'; coordinates: Ring[][] }
export type AreaGeometry = PolygonGeometry | MultiPolygonGeometry;

export const EARTH_RADIUS_M = 6_371_008.8;

/** Great-circle distance in metres (haversine), for code that holds plain numbers. */
export function haversineMeters(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const rad = Math.PI / 180;
  const dLat = (lat2 - lat1) * rad;
  const dLon = (lon2 - lon1) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}
