import { describe, expect, it } from 'vitest';
import type { AreaGeometry, Ring } from '../../../kernel/types.js';
import { QuadrantIndex, type IndexedArea } from './index.js';
import { pointInGeometry } from './pip.js';
import { mulberry32 } from '../../../../tests/support/prng.js';

// Dyadic coordinates near CDMX, so points "exactly on" an axis-aligned edge really are.
const X0 = -99.25;
const Y0 = 19.375;
const S = 1 / 256;

const ring = (x0: number, y0: number, x1: number, y1: number): Ring => [[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]];
const cellSquare = (i: number, j: number): Ring => ring(X0 + i * S, Y0 + j * S, X0 + (i + 1) * S, Y0 + (j + 1) * S);
const polygon = (...rings: Ring[]): AreaGeometry => ({ type: 'Polygon', coordinates: rings });
const areas = (...geoms: AreaGeometry[]): IndexedArea[] => geoms.map((geometry, i) => ({ id: `a${i}`, geometry }));

/** The reference answer: lowest index whose geometry contains the point (boundary inclusive). */
const bruteForce = (list: readonly IndexedArea[], x: number, y: number): number =>
  list.findIndex((a) => pointInGeometry(x, y, a.geometry));

/** Cell sizes that put the test shapes' edges on, between and far from cell borders. */
const CELL_SIZES = [S / 2, S / 3, 0.001, S, 2.5 * S, 0.01];

/** A 2×2 block: index 0 bottom-left, 1 bottom-right, 2 top-left, 3 top-right. */
const block = areas(polygon(cellSquare(0, 0)), polygon(cellSquare(1, 0)), polygon(cellSquare(0, 1)), polygon(cellSquare(1, 1)));

describe('QuadrantIndex.locate — shared edges and vertices', () => {
  const cases: [string, number, number, number][] = [
    ['edge shared by 0 and 1', X0 + S, Y0 + S / 2, 0],
    ['edge shared by 2 and 3', X0 + S, Y0 + 1.5 * S, 2],
    ['edge shared by 1 and 3', X0 + 1.5 * S, Y0 + S, 1],
    ['vertex shared by all four', X0 + S, Y0 + S, 0],
    ['outer corner of 3 only', X0 + 2 * S, Y0 + 2 * S, 3],
    ['interior of 3', X0 + 1.5 * S, Y0 + 1.5 * S, 3],
  ];
  for (const cellDeg of CELL_SIZES) {
    it.each(cases)(`%s → lowest index (cell ${cellDeg.toFixed(5)})`, (_name, x, y, expected) => {
      const index = QuadrantIndex.build(block, { cellDeg });
      expect(index.locate(x, y)).toBe(expected);
      expect(index.locate(x, y)).toBe(bruteForce(block, x, y));
    });
  }

  it('follows the array order, not the geometry: reversing the areas flips the winner', () => {
    const reversed = [...block].reverse();
    const index = QuadrantIndex.build(reversed);
    expect(index.locate(X0 + S, Y0 + S)).toBe(0); // now the top-right square
    expect(index.locate(X0 + S, Y0 + S / 2)).toBe(2); // square "1" sits at position 2
  });

  it('answers the same for every grid layout along every shared line', () => {
    const indexes = CELL_SIZES.map((cellDeg) => QuadrantIndex.build(block, { cellDeg }));
    for (let k = 0; k <= 64; k++) {
      const t = (k / 32) * S;
      for (const [x, y] of [[X0 + S, Y0 + t], [X0 + t, Y0 + S], [X0, Y0 + t], [X0 + 2 * S, Y0 + t]] as const) {
        const expected = bruteForce(block, x, y);
        expect(expected).toBeGreaterThanOrEqual(0);
        for (const index of indexes) expect(index.locate(x, y)).toBe(expected);
      }
    }
  });
});

describe('QuadrantIndex.locate — holes, MultiPolygons, outside', () => {
  const outer = ring(X0, Y0, X0 + 4 * S, Y0 + 4 * S);
  const hole = ring(X0 + S, Y0 + S, X0 + 2 * S, Y0 + 2 * S);
  const donut = polygon(outer, hole);
  const inHole: [number, number] = [X0 + 1.5 * S, Y0 + 1.5 * S];

  it('a point in a hole is outside the area', () => {
    const index = QuadrantIndex.build(areas(donut));
    expect(index.locate(...inHole)).toBe(-1);
    expect(index.locate(X0 + 3 * S, Y0 + 3 * S)).toBe(0);
    expect(index.locate(X0 + S, Y0 + 1.5 * S)).toBe(0); // hole boundary is the area's boundary
  });

  it('a point in a hole belongs to the area filling it', () => {
    const list = areas(donut, polygon(hole));
    for (const cellDeg of CELL_SIZES) {
      const index = QuadrantIndex.build(list, { cellDeg });
      expect(index.locate(...inHole)).toBe(1);
      expect(index.locate(X0 + S, Y0 + 1.5 * S)).toBe(0);
    }
  });

  it('finds every part of a MultiPolygon', () => {
    const multi: AreaGeometry = { type: 'MultiPolygon', coordinates: [[cellSquare(0, 0)], [cellSquare(5, 5)]] };
    const index = QuadrantIndex.build(areas(polygon(cellSquare(2, 2)), multi));
    expect(index.locate(X0 + 5.5 * S, Y0 + 5.5 * S)).toBe(1);
    expect(index.locate(X0 + 0.5 * S, Y0 + 0.5 * S)).toBe(1);
    expect(index.locate(X0 + 3.5 * S, Y0 + 3.5 * S)).toBe(-1); // between the parts
  });

  it('returns -1 outside the grid, for NaN, and on an empty index', () => {
    const index = QuadrantIndex.build(block);
    expect(index.locate(X0 - 1, Y0)).toBe(-1);
    expect(index.locate(X0 + S, Y0 + 10)).toBe(-1);
    expect(index.locate(Number.NaN, Y0)).toBe(-1);
    expect(QuadrantIndex.build([]).locate(X0, Y0)).toBe(-1);
    expect(QuadrantIndex.build([]).size).toBe(0);
  });

  it('lets the lowest index win where areas overlap', () => {
    const big = polygon(ring(X0, Y0, X0 + 8 * S, Y0 + 8 * S));
    const small = polygon(cellSquare(3, 3));
    expect(QuadrantIndex.build(areas(small, big)).locate(X0 + 3.5 * S, Y0 + 3.5 * S)).toBe(0);
    expect(QuadrantIndex.build(areas(big, small)).locate(X0 + 3.5 * S, Y0 + 3.5 * S)).toBe(0);
    expect(QuadrantIndex.build(areas(small, big)).locate(X0 + 6.5 * S, Y0 + 6.5 * S)).toBe(1);
  });

  it('rejects a non-positive or absurdly small cell size', () => {
    expect(() => QuadrantIndex.build(block, { cellDeg: 0 })).toThrow(RangeError);
    expect(() => QuadrantIndex.build([{ id: 'world', geometry: polygon(ring(-180, -90, 180, 90)) }], { cellDeg: 1e-5 })).toThrow(RangeError);
  });
});

describe('QuadrantIndex.locate — agrees with brute force on a jittered mesh', () => {
  // Quads of a perturbed lattice share their (slanted) edges exactly, like real quadrants.
  const random = mulberry32(7);
  const n = 8;
  const vertex = Array.from({ length: n + 1 }, (_, i) =>
    Array.from({ length: n + 1 }, (_, j) => [X0 + (i + (random() - 0.5) * 0.6) * S, Y0 + (j + (random() - 0.5) * 0.6) * S]),
  );
  const quad = (i: number, j: number): Ring => {
    const v = (a: number, b: number) => vertex[a]![b]! as number[];
    return [v(i, j), v(i + 1, j), v(i + 1, j + 1), v(i, j + 1), v(i, j)];
  };
  const mesh = areas(...Array.from({ length: n * n }, (_, k) => polygon(quad(k % n, Math.floor(k / n)))));

  it('on random points, on every vertex and on edge midpoints, for several cell sizes', () => {
    const points: [number, number][] = [];
    for (let k = 0; k < 20_000; k++) points.push([X0 + (random() * 1.2 - 0.1) * n * S, Y0 + (random() * 1.2 - 0.1) * n * S]);
    for (const row of vertex) for (const [x, y] of row as [number, number][]) points.push([x, y]);
    for (const a of mesh) {
      const r = (a.geometry.coordinates[0] as Ring).map((p) => p as [number, number]);
      for (let i = 0; i + 1 < r.length; i++) points.push([(r[i]![0] + r[i + 1]![0]) / 2, (r[i]![1] + r[i + 1]![1]) / 2]);
    }
    const expected = points.map(([x, y]) => bruteForce(mesh, x, y));
    for (const cellDeg of CELL_SIZES) {
      const index = QuadrantIndex.build(mesh, { cellDeg });
      const mismatches = points.filter(([x, y], k) => index.locate(x, y) !== expected[k]);
      expect(mismatches).toEqual([]);
    }
  });
});

describe('QuadrantIndex.locate — long areas whose rows need rays cast east and west', () => {
  // Three wide bands stacked on shared zigzag borders: far from a band's ends, a cell's
  // ray must cross many edges one way and few the other, so both directions get used.
  const random = mulberry32(11);
  const width = 24;
  const zigzag = (j: number): number[][] =>
    Array.from({ length: 4 * width + 1 }, (_, k) => [X0 + (k / 4) * S, Y0 + (j + (k % 2 ? 0.4 : 0) + random() * 0.2) * S]);
  const borders = [0, 1, 2, 3].map(zigzag);
  const band = (j: number): AreaGeometry => polygon([...borders[j]!, ...[...borders[j + 1]!].reverse(), borders[j]![0]!]);
  const bands = areas(band(0), band(1), band(2));

  it('matches brute force on random points and on every border vertex', () => {
    const points: [number, number][] = borders.flat().map((p) => p as [number, number]);
    for (let k = 0; k < 20_000; k++) points.push([X0 + (random() * 1.1 - 0.05) * width * S, Y0 + (random() * 3.4 - 0.2) * S]);
    const expected = points.map(([x, y]) => bruteForce(bands, x, y));
    expect(new Set(expected)).toEqual(new Set([-1, 0, 1, 2]));
    for (const cellDeg of CELL_SIZES) {
      const index = QuadrantIndex.build(bands, { cellDeg });
      expect(points.filter(([x, y], k) => index.locate(x, y) !== expected[k])).toEqual([]);
    }
  });
});

