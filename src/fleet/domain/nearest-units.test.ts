import { describe, expect, it, vi } from 'vitest';
import { DomainError, haversineMeters } from '../../kernel/index.js';
import { UnitPositionIndex, nearestLinear, type NearestHit, type NearestOptions, type UnitPoint } from './nearest-units.js';

/** mulberry32: seeded, so a failure replays. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const CITY = { minLon: -99.33, maxLon: -98.95, minLat: 19.05, maxLat: 19.59 };
const HOTSPOTS = [[-99.133, 19.432], [-99.165, 19.39], [-99.07, 19.36], [-99.2, 19.48], [-99.1, 19.3]] as const;
/** Elsewhere in Mexico and the world: the index must still find them when the city has too few. */
const FAR = [[-103.35, 20.67], [-100.31, 25.69], [-86.85, 21.16], [2.35, 48.86], [179.9999, -16.5], [-179.9999, -16.5], [0, 89.99]] as const;

const randomCityPoint = (r: () => number): [number, number] =>
  [CITY.minLon + r() * (CITY.maxLon - CITY.minLon), CITY.minLat + r() * (CITY.maxLat - CITY.minLat)];

/** Units like a city's: most around a few centres (some parked at the very same spot), some spread out, a few far away. */
function cityUnits(n: number, r: () => number, availableShare = 0.7): UnitPoint[] {
  return Array.from({ length: n }, (_, i) => {
    const roll = r();
    let lon: number, lat: number;
    if (roll < 0.05) [lon, lat] = HOTSPOTS[Math.floor(r() * HOTSPOTS.length)]!; // parked at a station: exact ties
    else if (roll < 0.6) {
      const [cx, cy] = HOTSPOTS[Math.floor(r() * HOTSPOTS.length)]!;
      lon = cx + (r() + r() + r() - 1.5) * 0.03;
      lat = cy + (r() + r() + r() - 1.5) * 0.03;
    } else if (roll < 0.98) [lon, lat] = randomCityPoint(r);
    else [lon, lat] = FAR[Math.floor(r() * FAR.length)]!;
    return { id: `u${(i * 7919) % 100_003}`, lat, lon, available: r() < availableShare };
  });
}

/** Far units drift across the antimeridian too. */
const wrapLon = (lon: number): number => (lon > 180 ? lon - 360 : lon < -180 ? lon + 360 : lon);

function indexOf(points: readonly UnitPoint[], opts?: ConstructorParameters<typeof UnitPositionIndex>[0]): UnitPositionIndex {
  const index = new UnitPositionIndex(opts);
  for (const p of points) index.upsert(p.id, p.lat, p.lon, p.available);
  return index;
}

/**
 * The oracle, written here from the definition and sharing no code with the module under test:
 * every unit's distance by the kernel's haversine, sorted by (distance, id), the first k.
 */
function reference(points: readonly UnitPoint[], lat: number, lon: number, k: number, opts: NearestOptions = {}): NearestHit[] {
  const best: NearestHit[] = []; // sorted by (distance, id), at most k: a full sort per query made this suite 40 s
  const ahead = (a: NearestHit, b: NearestHit) => a.distanceM < b.distanceM || (a.distanceM === b.distanceM && a.id < b.id);
  for (const p of points) {
    if ((!p.available && opts.includeUnavailable !== true) || (opts.filter && !opts.filter(p.id))) continue;
    const hit = { id: p.id, distanceM: haversineMeters(lat, lon, p.lat, p.lon) };
    if (hit.distanceM > (opts.maxDistanceM ?? Infinity)) continue;
    if (best.length >= k && !ahead(hit, best[best.length - 1]!)) continue;
    let i = best.length;
    while (i > 0 && ahead(hit, best[i - 1]!)) i--;
    best.splice(i, 0, hit);
    if (best.length > k) best.pop();
  }
  return best;
}

/** Same units in the same order, at the same distance to a micrometre (the two haversines may differ in the last bit). */
function differs(got: readonly NearestHit[], want: readonly NearestHit[]): boolean {
  return got.length !== want.length || got.some((h, i) => h.id !== want[i]!.id || Math.abs(h.distanceM - want[i]!.distanceM) > 1e-6);
}

function expectSameHits(got: readonly NearestHit[], want: readonly NearestHit[]): void {
  expect(differs(got, want) ? got : 'same').toEqual(differs(got, want) ? want : 'same');
}

/**
 * Compares the index with the oracle on `queries` random points. Always asserts: every mismatch is
 * listed, and the number of hits compared is returned so a test can check it compared something.
 */
function expectSameAnswers(index: UnitPositionIndex, points: readonly UnitPoint[], r: () => number, queries: number, opts: NearestOptions = {}): number {
  const mismatches: unknown[] = [];
  let hits = 0;
  for (let q = 0; q < queries; q++) {
    const [lon, lat] = r() < 0.9 ? randomCityPoint(r) : FAR[Math.floor(r() * FAR.length)]!;
    const k = [1, 3, 10][q % 3]!;
    const got = index.nearest(lat, lon, k, opts);
    const want = reference(points, lat, lon, k, opts);
    hits += want.length;
    if (differs(got, want)) mismatches.push({ lat, lon, k, got, want });
  }
  expect(mismatches.slice(0, 3), `${mismatches.length} of ${queries} queries differ`).toEqual([]);
  return hits;
}

/** Hits a run of queries with k cycling through 1, 3, 10 returns when every query finds k units. */
const fullHits = (queries: number) => Array.from({ length: queries }, (_, q) => [1, 3, 10][q % 3]!).reduce((a, b) => a + b, 0);

describe('UnitPositionIndex.nearest equals the linear scan', () => {
  for (const cellMeters of [250, 1000, 5000]) {
    it(`on 3,000 city units and 3,000 queries, k ∈ {1, 3, 10}, cells of ${cellMeters} m`, () => {
      const r = rng(cellMeters);
      const points = cityUnits(3000, r);
      expect(expectSameAnswers(indexOf(points, { cellMeters }), points, r, 3000)).toBe(fullHits(3000));
    });
  }

  for (const [where, originLon] of [['far from the dense window (all cells in the Map)', 100], ['with the dense window across the antimeridian', 179.9]] as const) {
    it(`${where}`, () => {
      const r = rng(originLon);
      const points = cityUnits(1500, r);
      for (let i = 0; i < 300; i++) points.push({ id: `p${i}`, lat: -16.5 + (r() - 0.5) * 2, lon: wrapLon(180 + (r() - 0.5) * 2), available: r() < 0.7 });
      const index = indexOf(points, { originLon, cellMeters: 2000 });
      expect(expectSameAnswers(index, points, r, 900)).toBe(fullHits(900));
      for (let q = 0; q < 300; q++) {
        const [lat, lon] = [-16.5 + (r() - 0.5) * 3, wrapLon(180 + (r() - 0.5) * 3)];
        expectSameHits(index.nearest(lat, lon, 3), reference(points, lat, lon, 3));
      }
    });
  }

  it('across the edges of the dense window (a cross of units ±3° around the origin)', () => {
    const r = rng(31);
    const points: UnitPoint[] = [];
    for (let i = 0; i <= 1200; i++) points.push({ id: `ns${i}`, lat: 16.4 + i * 0.005, lon: -99.13, available: i % 3 !== 0 });
    for (let i = 0; i <= 1280; i++) points.push({ id: `ew${i}`, lat: 19.4, lon: -102.33 + i * 0.005, available: i % 3 !== 0 });
    const index = indexOf(points);
    for (let q = 0; q < 1500; q++) {
      const along = r() < 0.5;
      const lat = along ? 16.4 + r() * 6 : 19.4 + (r() - 0.5) * 0.02;
      const lon = along ? -99.13 + (r() - 0.5) * 0.02 : -102.33 + r() * 6.4;
      expectSameHits(index.nearest(lat, lon, 3), reference(points, lat, lon, 3));
    }
  });

  it('when k exceeds the available units, and on an empty index', () => {
    const r = rng(7);
    expect(new UnitPositionIndex().nearest(19.43, -99.13, 3)).toEqual([]);
    expect(nearestLinear([], 19.43, -99.13, 3)).toEqual([]);
    for (const n of [1, 2, 5, 12]) {
      const points = cityUnits(n, r, 0.5);
      const available = points.filter((p) => p.available).length;
      // Every query gets every available unit, up to k.
      const expected = Array.from({ length: 300 }, (_, q) => Math.min(available, [1, 3, 10][q % 3]!)).reduce((a, b) => a + b, 0);
      expect(expectSameAnswers(indexOf(points), points, r, 300), `${n} units`).toBe(expected);
    }
  });

  it('with maxDistanceM, a filter and includeUnavailable', () => {
    const r = rng(11);
    const points = cityUnits(2000, r);
    const index = indexOf(points);
    expect(expectSameAnswers(index, points, r, 600, { maxDistanceM: 1500 })).toBeGreaterThan(0);
    expect(expectSameAnswers(index, points, r, 600, { filter: (id) => id.endsWith('3') || id.endsWith('7') })).toBe(fullHits(600));
    expect(expectSameAnswers(index, points, r, 600, { includeUnavailable: true, maxDistanceM: 40_000 })).toBeGreaterThan(fullHits(600) / 2);
  });

  it('while units move, change availability, leave and come back', () => {
    const r = rng(23);
    const live = new Map(cityUnits(2000, r).map((p) => [p.id, p]));
    const index = indexOf([...live.values()], { cellMeters: 500 });
    const ids = [...live.keys()];
    for (let round = 0; round < 40; round++) {
      for (let i = 0; i < 400; i++) {
        const id = ids[Math.floor(r() * ids.length)]!;
        const p = live.get(id);
        const roll = r();
        if (!p) { const [lon, lat] = randomCityPoint(r); live.set(id, { id, lat, lon, available: true }); index.upsert(id, lat, lon, true); }
        else if (roll < 0.7) { p.lat = Math.max(-90, Math.min(90, p.lat + (r() - 0.5) * 0.01)); p.lon = wrapLon(p.lon + (r() - 0.5) * 0.01); index.upsert(id, p.lat, p.lon, p.available); }
        else if (roll < 0.9) { p.available = !p.available; index.setAvailable(id, p.available); }
        else { live.delete(id); index.remove(id); }
      }
      expect(index.size).toBe(live.size);
      expect(expectSameAnswers(index, [...live.values()], r, 60)).toBe(fullHits(60));
    }
  });
});

describe('nearestLinear, the benchmark\'s baseline', () => {
  it('is a sort of every unit by the kernel haversine distance, then id', () => {
    const r = rng(41);
    const points = cityUnits(800, r);
    for (let q = 0; q < 200; q++) {
      const [lon, lat] = randomCityPoint(r);
      const k = [1, 3, 10][q % 3]!;
      const want = points.filter((p) => p.available)
        .map((p) => ({ id: p.id, distanceM: haversineMeters(lat, lon, p.lat, p.lon) }))
        .sort((a, b) => a.distanceM - b.distanceM || (a.id < b.id ? -1 : 1))
        .slice(0, k);
      const got = nearestLinear(points, lat, lon, k);
      expect(got.map((h) => h.id)).toEqual(want.map((h) => h.id));
      got.forEach((h, i) => expect(Math.abs(h.distanceM - want[i]!.distanceM)).toBeLessThan(1e-6));
    }
  });
});

describe('UnitPositionIndex', () => {
  it('gives great-circle metres, ascending, equal distances ordered by id', () => {
    const index = new UnitPositionIndex();
    for (const id of ['c', 'a', 'b']) index.upsert(id, 19.44, -99.13, true);
    index.upsert('near', 19.431, -99.13, true);
    const hits = index.nearest(19.43, -99.13, 4);
    expect(hits.map((h) => h.id)).toEqual(['near', 'a', 'b', 'c']);
    expect(hits[0]!.distanceM).toBeCloseTo(haversineMeters(19.43, -99.13, 19.431, -99.13), 6);
    expect(hits[1]!.distanceM).toBeCloseTo(1111.95, 1);
  });

  it('skips unavailable units unless asked, and applies the filter on top', () => {
    const index = new UnitPositionIndex();
    index.upsert('busy', 19.4301, -99.13, false);
    index.upsert('free', 19.45, -99.13, true);
    index.upsert('other', 19.46, -99.13, true);
    expect(index.nearest(19.43, -99.13, 1).map((h) => h.id)).toEqual(['free']);
    expect(index.nearest(19.43, -99.13, 1, { includeUnavailable: true }).map((h) => h.id)).toEqual(['busy']);
    expect(index.nearest(19.43, -99.13, 1, { filter: (id) => id !== 'free' }).map((h) => h.id)).toEqual(['other']);
    index.setAvailable('busy', true);
    expect(index.nearest(19.43, -99.13, 1).map((h) => h.id)).toEqual(['busy']);
    expect(index.nearest(19.43, -99.13, 3, { maxDistanceM: 2500 }).map((h) => h.id)).toEqual(['busy', 'free']);
  });

  it('moves a unit between cells, and forgets removed units', () => {
    const index = new UnitPositionIndex({ cellMeters: 200 });
    index.upsert('a', 19.43, -99.13, true);
    index.upsert('a', 19.2, -99.0, true);
    expect(index.size).toBe(1);
    expect(index.nearest(19.2, -99.0, 1)).toEqual([{ id: 'a', distanceM: 0 }]);
    index.remove('a');
    index.remove('a');
    index.setAvailable('ghost', true);
    expect(index.size).toBe(0);
    expect(index.nearest(19.2, -99.0, 1)).toEqual([]);
  });

  it('finds neighbours across the antimeridian and over a pole', () => {
    const index = new UnitPositionIndex();
    index.upsert('east', -16.5, 179.9999, true);
    index.upsert('west', -16.5, -179.9999, true);
    index.upsert('far', -16.5, 170, true);
    expect(index.nearest(-16.5, 180, 2).map((h) => h.id).sort()).toEqual(['east', 'west']);
    expect(index.nearest(-16.5, -180, 1)[0]!.distanceM).toBeLessThan(11);
    index.upsert('pole-a', 89.999, 0, true);
    index.upsert('pole-b', 89.999, 180, true);
    expect(index.nearest(89.999, 90, 2).map((h) => h.id)).toEqual(['pole-a', 'pole-b']);
  });

  it('reads only the neighbourhood, not the whole city', () => {
    const r = rng(5);
    const points = cityUnits(5000, r).map((p) => ({ ...p, available: true }));
    const index = indexOf(points);
    let considered = 0;
    const hits = index.nearest(19.432, -99.133, 3, { filter: () => (considered++, true) });
    expectSameHits(hits, reference(points, 19.432, -99.133, 3));
    expect(considered).toBeLessThan(500);
  });

  it('reaches a lone unit across the world without walking every ring of cells to it', () => {
    const index = new UnitPositionIndex({ cellMeters: 250 });
    index.upsert('sydney', -33.87, 151.21, true);
    index.upsert('busy-here', 19.43, -99.13, false);
    // Ring by ring that is ~80,000 rings of 250 m. Counted, not timed: how many cells it looks up.
    const cellLookups = vi.spyOn(UnitPositionIndex.prototype as unknown as { cellAt(row: number, col: number): unknown }, 'cellAt');
    expect(index.nearest(19.43, -99.13, 3).map((h) => h.id)).toEqual(['sydney']);
    expect(cellLookups.mock.calls.length).toBeLessThanOrEqual(9); // the first ring at most, then unit by unit
    cellLookups.mockRestore();
  });

  it('answers a query made from inside a filter (re-entry) correctly', () => {
    const r = rng(9);
    const points = cityUnits(300, r);
    const index = indexOf(points);
    const inner = index.nearest(19.4, -99.1, 2);
    const outer = index.nearest(19.43, -99.13, 3, { filter: (id) => index.nearest(19.4, -99.1, 2).length === inner.length && id !== inner[0]!.id });
    expectSameHits(outer, reference(points, 19.43, -99.13, 3, { filter: (id) => id !== inner[0]!.id }));
  });

  it('rejects invalid coordinates and settings with domain errors', () => {
    const index = new UnitPositionIndex();
    expect(() => index.upsert('a', 91, 0, true)).toThrow(DomainError);
    expect(() => index.upsert('a', 0, Number.NaN, true)).toThrow(DomainError);
    expect(() => index.nearest(0, 181, 1)).toThrow(DomainError);
    expect(() => new UnitPositionIndex({ cellMeters: 0 })).toThrow(DomainError);
    expect(() => new UnitPositionIndex({ originLat: 89 })).toThrow(DomainError);
    expect(() => new UnitPositionIndex({ originLon: 200 })).toThrow(DomainError);
    expect(index.nearest(0, 0, 0)).toEqual([]);
  });
});
