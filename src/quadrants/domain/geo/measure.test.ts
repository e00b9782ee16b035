import { describe, expect, it } from 'vitest';
import { lngLat, type AreaGeometry, type Ring } from '../../../kernel/types.js';
import { bboxIntersects, bboxOf, centroid, distanceMeters, geodesicArea } from './index.js';

const ring = (x0: number, y0: number, x1: number, y1: number): Ring => [[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]];
const RAD = Math.PI / 180;

describe('geodesicArea', () => {
  it('matches the closed form for a lon/lat rectangle: R²·Δλ·(sin φ2 − sin φ1)', () => {
    const g: AreaGeometry = { type: 'Polygon', coordinates: [ring(-99.2, 19.4, -99.19, 19.41)] };
    const R = 6378137;
    const exact = R * R * 0.01 * RAD * (Math.sin(19.41 * RAD) - Math.sin(19.4 * RAD));
    expect(exact).toBeCloseTo(1_165_000, -4); // ≈ 1.165 km²: 1.11 km × 1.05 km
    expect(Math.abs(geodesicArea(g) - exact) / exact).toBeLessThan(1e-9);
  });

  it('treats an unclosed ring as closed', () => {
    const closed = ring(-99.2, 19.4, -99.19, 19.41);
    const open: AreaGeometry = { type: 'Polygon', coordinates: [closed.slice(0, 4)] };
    expect(geodesicArea(open)).toBeCloseTo(geodesicArea({ type: 'Polygon', coordinates: [closed] }), 6);
    expect(centroid(open)).toEqual([-99.195, 19.405]);
  });

  it('subtracts holes and adds MultiPolygon parts, whatever the ring orientation', () => {
    const outer = ring(-99.2, 19.4, -99.19, 19.41);
    const hole = ring(-99.198, 19.402, -99.194, 19.406);
    const whole = geodesicArea({ type: 'Polygon', coordinates: [outer] });
    const holeArea = geodesicArea({ type: 'Polygon', coordinates: [hole] });
    const donut = geodesicArea({ type: 'Polygon', coordinates: [[...outer].reverse(), hole] });
    expect(donut).toBeCloseTo(whole - holeArea, 3);
    const multi = geodesicArea({ type: 'MultiPolygon', coordinates: [[outer], [ring(-99.1, 19.4, -99.09, 19.41)]] });
    expect(multi).toBeCloseTo(2 * whole, -1);
  });
});

describe('centroid', () => {
  it('is the middle of a rectangle and moves away from a hole', () => {
    expect(centroid({ type: 'Polygon', coordinates: [ring(-99.2, 19.4, -99.18, 19.42)] })).toEqual([-99.19, 19.41]);
    const withHole = centroid({ type: 'Polygon', coordinates: [ring(-99.2, 19.4, -99.18, 19.42), ring(-99.2, 19.4, -99.19, 19.41)] });
    expect(withHole[0]).toBeGreaterThan(-99.19);
    expect(withHole[1]).toBeGreaterThan(19.41);
  });

  it('weights MultiPolygon parts by area', () => {
    const c = centroid({ type: 'MultiPolygon', coordinates: [[ring(0, 0, 2, 2)], [ring(10, 0, 11, 1)]] });
    // areas 4 and 1, centres (1, 1) and (10.5, 0.5)
    expect(c[0]).toBeCloseTo((4 * 1 + 1 * 10.5) / 5, 6);
    expect(c[1]).toBeCloseTo((4 * 1 + 1 * 0.5) / 5, 6);
  });
});

describe('bboxOf / bboxIntersects', () => {
  it('spans all parts and treats touching boxes as intersecting', () => {
    const b = bboxOf({ type: 'MultiPolygon', coordinates: [[ring(0, 0, 1, 1)], [ring(5, -2, 6, 0)]] });
    expect(b).toEqual([0, -2, 6, 1]);
    expect(bboxIntersects(b, [6, 1, 7, 2])).toBe(true);
    expect(bboxIntersects(b, [6.1, 1, 7, 2])).toBe(false);
  });
});

describe('distanceMeters', () => {
  it('is the haversine distance: one degree of latitude ≈ 111.195 km', () => {
    expect(distanceMeters(lngLat(-99.1, 19), lngLat(-99.1, 20))).toBeCloseTo(111_195.08, 1);
    // Zócalo to the Ángel de la Independencia: about 3.7 km
    expect(distanceMeters(lngLat(-99.1332, 19.4326), lngLat(-99.1677, 19.4270))).toBeCloseTo(3670, -2);
    expect(distanceMeters(lngLat(-99.1, 19.4), lngLat(-99.1, 19.4))).toBe(0);
  });
});
