import { describe, expect, it } from 'vitest';
import type { AreaGeometry, Ring } from '../../../kernel/types.js';
import { interiorPoint, pointInGeometry } from './index.js';
import { boundaryClearance } from './interior-point.js';

const ring = (x0: number, y0: number, x1: number, y1: number): Ring => [[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]];

const strictlyInside = (g: AreaGeometry): boolean => {
  const [x, y] = interiorPoint(g);
  return pointInGeometry(x, y, g) && boundaryClearance(g, x, y) > 0;
};

describe('interiorPoint', () => {
  it('is strictly inside a U shape whose centroid is outside', () => {
    const u: AreaGeometry = { type: 'Polygon', coordinates: [[[0, 0], [3, 0], [3, 3], [2, 3], [2, 1], [1, 1], [1, 3], [0, 3], [0, 0]]] };
    expect(pointInGeometry(1.5, 1.6, u)).toBe(false); // near the centroid: in the notch
    expect(strictlyInside(u)).toBe(true);
  });

  it('avoids a hole that covers the centroid', () => {
    const donut: AreaGeometry = { type: 'Polygon', coordinates: [ring(0, 0, 10, 10), ring(2, 2, 8, 8)] };
    expect(strictlyInside(donut)).toBe(true);
    const [x, y] = interiorPoint(donut);
    expect(x < 2 || x > 8 || y < 2 || y > 8).toBe(true);
  });

  it('lands in a MultiPolygon part, preferring the roomiest', () => {
    const g: AreaGeometry = { type: 'MultiPolygon', coordinates: [[ring(0, 0, 1, 1)], [ring(5, 5, 9, 9)]] };
    const [x, y] = interiorPoint(g);
    expect(x).toBeGreaterThan(5);
    expect(y).toBeGreaterThan(5);
  });

  it('prefers the centroid of a convex shape', () => {
    expect(interiorPoint({ type: 'Polygon', coordinates: [ring(-99.2, 19.4, -99.18, 19.42)] })).toEqual([-99.19, 19.41]);
  });
});
