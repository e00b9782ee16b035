import { describe, expect, it } from 'vitest';
import type { AreaGeometry, Ring } from '../../../kernel/types.js';
import { pointInGeometry } from './pip.js';

const ring = (x0: number, y0: number, x1: number, y1: number): Ring => [[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]];
const squareWithHole: AreaGeometry = { type: 'Polygon', coordinates: [ring(0, 0, 10, 10), ring(4, 4, 6, 6)] };

describe('pointInGeometry', () => {
  it.each([
    ['interior', 2, 2, true],
    ['in the hole', 5, 5, false],
    ['outside', 11, 5, false],
    ['on the outer edge', 10, 5, true],
    ['on an outer vertex', 0, 0, true],
    ['on the hole edge (still the polygon boundary)', 4, 5, true],
    ['on a hole vertex', 6, 6, true],
    ['level with a vertex, outside', -1, 0, false],
    ['level with a vertex, inside', 5, 4 - 1e-9, true],
  ])('%s', (_name, x, y, expected) => {
    expect(pointInGeometry(x, y, squareWithHole)).toBe(expected);
  });

  it('does not depend on ring orientation', () => {
    const reversed: AreaGeometry = { type: 'Polygon', coordinates: squareWithHole.coordinates.map((r) => [...r].reverse()) as Ring[] };
    for (const [x, y] of [[2, 2], [5, 5], [10, 5], [4, 5], [11, 5]] as const) {
      expect(pointInGeometry(x, y, reversed)).toBe(pointInGeometry(x, y, squareWithHole));
    }
  });

  it('tests every MultiPolygon part, including an island inside another part\'s hole', () => {
    const multi: AreaGeometry = { type: 'MultiPolygon', coordinates: [squareWithHole.coordinates, [ring(4.5, 4.5, 5.5, 5.5)], [ring(20, 0, 21, 1)]] };
    expect(pointInGeometry(5, 5, multi)).toBe(true);
    expect(pointInGeometry(4.2, 4.2, multi)).toBe(false);
    expect(pointInGeometry(20.5, 0.5, multi)).toBe(true);
    expect(pointInGeometry(15, 0.5, multi)).toBe(false);
  });

  it('accepts an unclosed ring as if closed', () => {
    const open: AreaGeometry = { type: 'Polygon', coordinates: [[[0, 0], [10, 0], [10, 10], [0, 10]]] };
    expect(pointInGeometry(5, 5, open)).toBe(true);
    expect(pointInGeometry(0, 5, open)).toBe(true); // on the implicit closing edge
    expect(pointInGeometry(-1, 5, open)).toBe(false);
  });
});
