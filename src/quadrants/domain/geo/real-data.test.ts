// Property and sanity checks on the shipped data: the 847 CDMX police quadrants.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { AreaGeometry, BBox, Ring } from '../../../kernel/types.js';
import {
  QuadrantIndex, bboxOf, computeNeighbours, geodesicArea, interiorPoint, pointInGeometry, simplifyGeometry, type IndexedArea,
} from './index.js';
import { boundaryClearance } from './interior-point.js';
import { mulberry32 } from '../../../../tests/support/prng.js';

const file = new URL('../../../../data/cdmx/cuadrantes.geojson', import.meta.url);
interface Feature { properties: { cuadrante: string }; geometry: AreaGeometry }
const areas: IndexedArea[] = (JSON.parse(readFileSync(file, 'utf8')) as { features: Feature[] }).features
  .map((f) => ({ id: f.properties.cuadrante, geometry: f.geometry }));
const boxes: BBox[] = areas.map((a) => bboxOf(a.geometry));

/** Reference: lowest index containing the point, via a bbox prefilter and pointInGeometry. */
function bruteForce(x: number, y: number): number {
  return areas.findIndex((a, i) => {
    const b = boxes[i]!;
    return x >= b[0] && x <= b[2] && y >= b[1] && y <= b[3] && pointInGeometry(x, y, a.geometry);
  });
}

const outerRings = (g: AreaGeometry): Ring[] => (g.type === 'Polygon' ? [g.coordinates[0]!] : g.coordinates.map((p) => p[0]!));

it('loads all 847 quadrants', () => {
  expect(areas.length).toBe(847);
  expect(new Set(areas.map((a) => a.id)).size).toBe(847);
});

describe('QuadrantIndex.locate on the real quadrants', () => {
  const random = mulberry32(2024);
  const points: [number, number][] = [];
  let expected: number[] = [];
  beforeAll(() => {
    const all = boxes.reduce((b, q) => [Math.min(b[0], q[0]), Math.min(b[1], q[1]), Math.max(b[2], q[2]), Math.max(b[3], q[3])], [180, 90, -180, -90]);
    // 60k uniform over the city's bbox (margin included), 30k near boundaries, 10k on vertices
    for (let k = 0; k < 60_000; k++) points.push([all[0] - 0.01 + random() * (all[2] - all[0] + 0.02), all[1] - 0.01 + random() * (all[3] - all[1] + 0.02)]);
    const vertices = areas.flatMap((a) => outerRings(a.geometry).flat()) as [number, number][];
    for (let k = 0; k < 30_000; k++) {
      const [x, y] = vertices[Math.floor(random() * vertices.length)]!;
      points.push([x + (random() - 0.5) * 2e-4, y + (random() - 0.5) * 2e-4]);
    }
    for (let k = 0; k < 10_000; k++) points.push(vertices[Math.floor(random() * vertices.length)]!);
    expected = points.map(([x, y]) => bruteForce(x, y));
  });

  it.each([undefined, 0.0025, 0.0007])('agrees with brute force on 100k points (cellDeg %s)', (cellDeg) => {
    const index = QuadrantIndex.build(areas, cellDeg ? { cellDeg } : {});
    const mismatches = points.filter(([x, y], k) => index.locate(x, y) !== expected[k]);
    expect(mismatches).toEqual([]);
  });

  it('puts every vertex shared by several quadrants in the lowest-indexed of them', () => {
    const index = QuadrantIndex.build(areas);
    const owners = new Map<string, number[]>();
    areas.forEach((a, i) => outerRings(a.geometry).flat().forEach((p) => owners.set(p.join(), [...new Set([...(owners.get(p.join()) ?? []), i])])));
    const shared = [...owners].filter(([, o]) => o.length >= 2);
    expect(shared.length).toBeGreaterThan(1000);
    for (const [key, owner] of shared) {
      const [x, y] = key.split(',').map(Number) as [number, number];
      expect(index.locate(x, y)).toBe(bruteForce(x, y));
      expect(index.locate(x, y)).toBeLessThanOrEqual(Math.min(...owner));
    }
  });
});

describe('interiorPoint on the real quadrants', () => {
  it('is strictly inside every quadrant, at least 50 m from its boundary', () => {
    for (const a of areas) {
      const [x, y] = interiorPoint(a.geometry);
      expect(pointInGeometry(x, y, a.geometry)).toBe(true);
      expect(boundaryClearance(a.geometry, x, y)).toBeGreaterThan(50);
    }
  });
});

describe('computeNeighbours on the real quadrants', () => {
  let neighbours: string[][] = [];
  let elapsedMs = 0;
  beforeAll(() => {
    const t = performance.now();
    neighbours = computeNeighbours(areas);
    elapsedMs = performance.now() - t;
  });

  it('runs well under 2 s', () => expect(elapsedMs).toBeLessThan(2000));

  it('gives (nearly) every quadrant a neighbour, and a plausible number of them', () => {
    expect(neighbours.filter((n) => n.length === 0).length).toBeLessThanOrEqual(5);
    const sorted = neighbours.map((n) => n.length).sort((a, b) => a - b);
    expect(sorted[sorted.length >> 1]).toBeGreaterThanOrEqual(4);
    expect(sorted[sorted.length - 1]).toBeLessThan(25);
  });

  it('is symmetric, sorted and never lists a quadrant as its own neighbour', () => {
    const index = new Map(areas.map((a, i) => [a.id, i]));
    neighbours.forEach((list, i) => {
      expect(list).toEqual([...list].sort());
      expect(list).not.toContain(areas[i]!.id);
      for (const id of list) expect(neighbours[index.get(id)!]).toContain(areas[i]!.id);
    });
  });

  it('links P-1.4.8 and P-1.4.7, which share a 12-vertex stretch of boundary (checked in the data)', () => {
    const byId = new Map(areas.map((a, i) => [a.id, neighbours[i]!]));
    expect(byId.get('P-1.4.8')).toContain('P-1.4.7');
    expect(byId.get('P-1.4.7')).toContain('P-1.4.8');
  });
});

describe('simplifyGeometry on the real quadrants', () => {
  it('at 10 m removes over a third of the vertices, keeps rings closed and keeps the interior point inside', () => {
    let before = 0;
    let after = 0;
    for (const a of areas) {
      const s = simplifyGeometry(a.geometry, 10);
      const rings = s.type === 'Polygon' ? s.coordinates : s.coordinates.flat();
      for (const r of rings) {
        expect(r.length).toBeGreaterThanOrEqual(4);
        expect(r[0]).toEqual(r[r.length - 1]);
      }
      before += outerRings(a.geometry).flat().length;
      after += outerRings(s).flat().length;
      // DP keeps the boundary within 10 m, and this point is > 50 m from it
      const [x, y] = interiorPoint(a.geometry);
      expect(pointInGeometry(x, y, s)).toBe(true);
    }
    expect(after).toBeLessThan(before * (2 / 3));
  });
});

describe('geodesicArea on the real quadrants', () => {
  it('agrees within 0.5% with a hand computation: shoelace on an equirectangular projection', () => {
    const g = areas[0]!.geometry; // P-1.4.8
    const ring = outerRings(g)[0]!;
    const lat0 = (ring.reduce((s, p) => s + p[1]!, 0) / ring.length) * (Math.PI / 180);
    const k = (6378137 * Math.PI) / 180; // metres per degree on the same sphere as turf/area
    let twice = 0;
    for (let i = 0; i + 1 < ring.length; i++) {
      const [x1, y1] = [ring[i]![0]! * k * Math.cos(lat0), ring[i]![1]! * k];
      const [x2, y2] = [ring[i + 1]![0]! * k * Math.cos(lat0), ring[i + 1]![1]! * k];
      twice += x1 * y2 - x2 * y1;
    }
    const hand = Math.abs(twice) / 2;
    expect(Math.abs(geodesicArea(g) - hand) / hand).toBeLessThan(0.005);
    expect(geodesicArea(g)).toBeCloseTo(359_442, -1); // ≈ 0.36 km²
  });

  it('sums to the urban extent the quadrants cover (≈ 885 km² of CDMX\'s 1,495 km²)', () => {
    const total = areas.reduce((s, a) => s + geodesicArea(a.geometry), 0) / 1e6;
    expect(total).toBeGreaterThan(800);
    expect(total).toBeLessThan(1_495);
  });
});

