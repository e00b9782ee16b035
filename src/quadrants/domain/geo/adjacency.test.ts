import { describe, expect, it } from 'vitest';
import type { AreaGeometry, Ring } from '../../../kernel/types.js';
import { computeNeighbours, type IndexedArea } from './index.js';
import { capsuleInterval } from './capsule.js';

const M = 1 / 111_195; // one metre of latitude, in degrees (longitude metres differ; the tests only need ≈)
const X0 = -99.2;
const Y0 = 19.4;
const SIDE = 100 * M;

const ring = (x0: number, y0: number, x1: number, y1: number): Ring => [[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]];
const box = (id: string, x0: number, y0: number, x1: number, y1: number): IndexedArea => ({
  id, geometry: { type: 'Polygon', coordinates: [ring(X0 + x0, Y0 + y0, X0 + x1, Y0 + y1)] } as AreaGeometry,
});

describe('computeNeighbours', () => {
  it('links a 3×3 block by its shared edges, not by its corners', () => {
    const cells = Array.from({ length: 9 }, (_, k) => {
      const [i, j] = [k % 3, Math.floor(k / 3)];
      return box(`c${i}${j}`, i * SIDE, j * SIDE, (i + 1) * SIDE, (j + 1) * SIDE);
    });
    const byId = Object.fromEntries(computeNeighbours(cells).map((n, k) => [cells[k]!.id, n]));
    expect(byId.c11).toEqual(['c01', 'c10', 'c12', 'c21']);
    expect(byId.c00).toEqual(['c01', 'c10']);
    expect(byId.c22).toEqual(['c12', 'c21']);
  });

  it('bridges gaps and overlaps within the tolerance, not beyond', () => {
    const a = box('a', 0, 0, SIDE, SIDE);
    const gap1m = box('b', SIDE + 1 * M, 0, 2 * SIDE, SIDE);
    const overlap2m = box('c', 0, SIDE - 2 * M, SIDE, 2 * SIDE);
    const gap6m = box('d', -SIDE, 0, -6 * M, SIDE);
    const result = computeNeighbours([a, gap1m, overlap2m, gap6m]);
    expect(result[0]).toEqual(['b', 'c']);
    expect(result[3]).toEqual([]);
    expect(computeNeighbours([a, gap6m], 8)[0]).toEqual(['d']);
  });

  it('needs about 10 m of shared boundary', () => {
    const a = box('a', 0, 0, SIDE, SIDE);
    // Shares 2 m of a's east edge; with the 3 m tolerance at each end about 8 m of a's
    // boundary counts (5 m of the east edge, 3 m of the north edge): still a corner touch.
    const short = box('s', SIDE, SIDE - 2 * M, 2 * SIDE, 2 * SIDE);
    const long = box('l', -SIDE, SIDE - 15 * M, 0, 2 * SIDE); // shares 15 m of a's west edge
    expect(computeNeighbours([a, short, long])[0]).toEqual(['l']);
  });

  it('is symmetric and sorted', () => {
    const areas = [box('z', 0, 0, SIDE, SIDE), box('a', SIDE, 0, 2 * SIDE, SIDE), box('m', 0, SIDE, SIDE, 2 * SIDE)];
    const n = computeNeighbours(areas);
    expect(n).toEqual([['a', 'm'], ['z'], ['z']]);
  });
});

describe('capsuleInterval', () => {
  const q = { ax: 0, ay: 0, bx: 10, by: 0 };
  it('is the stretch of a segment within r of another', () => {
    // 1 above q, r = 2: within reach for x ∈ [−√3, 10 + √3] of the line from −10 to 30
    const [t0, t1] = capsuleInterval({ ax: -10, ay: 1, bx: 30, by: 1 }, q, 2)!;
    expect(t0).toBeCloseTo((10 - Math.sqrt(3)) / 40, 12);
    expect(t1).toBeCloseTo((20 + Math.sqrt(3)) / 40, 12);
    expect(capsuleInterval({ ax: 0, ay: 5, bx: 10, by: 5 }, q, 2)).toBeNull();
    expect(capsuleInterval({ ax: 5, ay: -5, bx: 5, by: 5 }, q, 1)).toEqual([0.4, 0.6]);
  });
});
