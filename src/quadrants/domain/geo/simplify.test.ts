import { describe, expect, it } from 'vitest';
import type { AreaGeometry, Ring } from '../../../kernel/types.js';
import { interiorPoint, pointInGeometry, simplifyGeometry } from './index.js';

const M = 1 / 111_195; // one metre of latitude, in degrees
const ring = (x0: number, y0: number, x1: number, y1: number): Ring => [[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]];

/** A 1 km square whose south edge wobbles ±w metres over many vertices. */
function wobblySquare(w: number): Ring {
  const [x0, y0, side] = [-99.2, 19.4, 1000 * M];
  const south = Array.from({ length: 101 }, (_, k) => [x0 + (k / 100) * side * 1.06, y0 + (k % 2 ? w : -w) * M]);
  return [...south, [x0 + side * 1.06, y0 + side], [x0, y0 + side], south[0]!];
}

const rings = (g: AreaGeometry): Ring[] => (g.type === 'Polygon' ? g.coordinates : g.coordinates.flat());
const closed = (r: Ring) => r.length >= 4 && r[0]![0] === r[r.length - 1]![0] && r[0]![1] === r[r.length - 1]![1];

describe('simplifyGeometry', () => {
  it('drops wobbles smaller than the tolerance and keeps rings closed', () => {
    const g: AreaGeometry = { type: 'Polygon', coordinates: [wobblySquare(1)] };
    const s = simplifyGeometry(g, 5);
    expect(rings(s)[0]!.length).toBeLessThan(10);
    expect(rings(s).every(closed)).toBe(true);
    const p = interiorPoint(g);
    expect(pointInGeometry(p[0], p[1], s)).toBe(true);
  });

  it('keeps wobbles larger than the tolerance', () => {
    const g: AreaGeometry = { type: 'Polygon', coordinates: [wobblySquare(10)] };
    expect(rings(simplifyGeometry(g, 5))[0]!.length).toBe(rings(g)[0]!.length);
  });

  it('rounds to 6 decimals', () => {
    const g: AreaGeometry = { type: 'Polygon', coordinates: [[[-99.12345678, 19.1], [-99.1, 19.1], [-99.1, 19.12345678], [-99.12345678, 19.1]]] };
    expect(rings(simplifyGeometry(g, 1))[0]).toEqual([[-99.123457, 19.1], [-99.1, 19.1], [-99.1, 19.123457], [-99.123457, 19.1]]);
  });

  it('never lets an outer ring collapse: a sliver stays a triangle', () => {
    const sliver: AreaGeometry = { type: 'Polygon', coordinates: [[[-99.2, 19.4], [-99.19, 19.4], [-99.18, 19.4 + 0.5 * M], [-99.19, 19.4 + M], [-99.2, 19.4]]] };
    const r = rings(simplifyGeometry(sliver, 50))[0]!;
    expect(r.length).toBe(4);
    expect(closed(r)).toBe(true);
  });

  it('keeps holes wider than the tolerance and drops those that collapse', () => {
    const outer = ring(-99.2, 19.4, -99.19, 19.41);
    const bigHole = ring(-99.198, 19.402, -99.194, 19.406); // ~400 m across
    const thinHole = ring(-99.193, 19.402, -99.192, 19.402 + 2 * M); // 2 m thin
    const s = simplifyGeometry({ type: 'Polygon', coordinates: [outer, bigHole, thinHole] }, 5);
    expect(rings(s).length).toBe(2);
    expect(rings(s)[1]).toEqual(bigHole);
  });

  it('simplifies every MultiPolygon part', () => {
    const g: AreaGeometry = { type: 'MultiPolygon', coordinates: [[wobblySquare(1)], [ring(-99, 19, -98.99, 19.01)]] };
    const s = simplifyGeometry(g, 5);
    expect(s.type).toBe('MultiPolygon');
    expect(rings(s).map((r) => r.length)).toEqual([5, 5]);
  });
});
