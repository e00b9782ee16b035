import { describe, expect, it } from 'vitest';
import { lngLat, type AreaGeometry, type Ring } from '../../../kernel/types.js';
import { QuadrantIndex, distanceMeters, type IndexedArea } from './index.js';

const X0 = -99.25;
const Y0 = 19.375;
const S = 1 / 256; // ≈ 434 m of latitude

const ring = (x0: number, y0: number, x1: number, y1: number): Ring => [[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]];
const areas = (...geoms: AreaGeometry[]): IndexedArea[] => geoms.map((geometry, i) => ({ id: `a${i}`, geometry }));

/** By hand: metres per degree on the 6371008.8 m sphere, longitude shrunk by cos(latitude). */
const metresPerDegLat = (6371008.8 * Math.PI) / 180; // 111195.08 m
const metresPerDegLon = (lat: number) => metresPerDegLat * Math.cos((lat * Math.PI) / 180);

describe('QuadrantIndex.nearest', () => {
  const square = { type: 'Polygon', coordinates: [ring(X0, Y0, X0 + S, Y0 + S)] } as AreaGeometry;

  it('measures the perpendicular distance to the nearest edge in metres', () => {
    const lat = Y0 + S / 2;
    const result = QuadrantIndex.build(areas(square)).nearest(X0 + 2 * S, lat);
    // one S of longitude east of the square's east edge: 0.00390625° × 104 871 m/° ≈ 409.7 m
    expect(result?.index).toBe(0);
    expect(result?.distance).toBeCloseTo(S * metresPerDegLon(lat), 6);
    expect(result?.distance).toBeCloseTo(409.7, 0);
    // and the great-circle distance to the foot of the perpendicular agrees within 0.1%
    const haversine = distanceMeters(lngLat(X0 + 2 * S, lat), lngLat(X0 + S, lat));
    expect(Math.abs((result?.distance ?? 0) - haversine) / haversine).toBeLessThan(1e-3);
  });

  it('measures to the corner when the point is diagonal from it', () => {
    const result = QuadrantIndex.build(areas(square)).nearest(X0 - S, Y0 - S);
    const expected = Math.hypot(S * metresPerDegLon(Y0 - S), S * metresPerDegLat);
    expect(result?.distance).toBeCloseTo(expected, 3);
  });

  it('picks the area whose nearest part is closest, MultiPolygons included', () => {
    const far = { type: 'Polygon', coordinates: [ring(X0 + 10 * S, Y0, X0 + 11 * S, Y0 + S)] } as AreaGeometry;
    const multi = { type: 'MultiPolygon', coordinates: [[ring(X0 + 20 * S, Y0, X0 + 21 * S, Y0 + S)], [ring(X0, Y0, X0 + S, Y0 + S)]] } as AreaGeometry;
    const result = QuadrantIndex.build(areas(far, multi)).nearest(X0 + 3 * S, Y0 + S / 2);
    expect(result?.index).toBe(1);
    expect(result?.distance).toBeCloseTo(2 * S * metresPerDegLon(Y0 + S / 2), 6);
  });

  it('measures from a hole to the hole\'s edge', () => {
    const donut = { type: 'Polygon', coordinates: [ring(X0, Y0, X0 + 4 * S, Y0 + 4 * S), ring(X0 + S, Y0 + S, X0 + 3 * S, Y0 + 3 * S)] } as AreaGeometry;
    const result = QuadrantIndex.build(areas(donut)).nearest(X0 + 2 * S, Y0 + 1.5 * S);
    expect(result?.distance).toBeCloseTo(0.5 * S * metresPerDegLat, 6);
  });

  it('gives distance 0 inside an area and null on an empty index', () => {
    expect(QuadrantIndex.build(areas(square)).nearest(X0 + S / 2, Y0 + S / 2)).toEqual({ index: 0, distance: 0 });
    expect(QuadrantIndex.build([]).nearest(X0, Y0)).toBeNull();
  });
});
