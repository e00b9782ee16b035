import type { Ring } from '../../../kernel/index.js';
import type { IndexedArea } from './types.js';
import { polygonsOf } from './pip.js';

/**
 * All areas as flat typed arrays: one polygon part per MultiPolygon member.
 * An edge is named by the index of its start vertex `v` (it runs v → v+1); every ring is
 * stored closed, so the last vertex of a ring starts no edge.
 */
export interface FlatParts {
  /** x0, y0, x1, y1, … (lon, lat). */
  readonly coords: Float64Array;
  /** Ring r spans vertices ringStart[r] .. ringStart[r+1]-1. */
  readonly ringStart: Int32Array;
  /** Part p spans rings partRing[p] .. partRing[p+1]-1. */
  readonly partRing: Int32Array;
  /** Index (into the areas array) of the area part p belongs to. Non-decreasing. */
  readonly partArea: Int32Array;
  /** minX, minY, maxX, maxY per part. */
  readonly partBBox: Float64Array;
}

export function flattenAreas(areas: readonly IndexedArea[]): FlatParts {
  const parts = areas.flatMap((a, areaIndex) => polygonsOf(a.geometry).map((rings) => ({ areaIndex, rings })));
  const rings = parts.flatMap((p) => p.rings.map(closedRing));
  const coords = new Float64Array(rings.reduce((n, r) => n + r.length * 2, 0));
  const ringStart = new Int32Array(rings.length + 1);
  let v = 0;
  rings.forEach((ring, r) => {
    ringStart[r] = v;
    for (const pos of ring) {
      coords[2 * v] = pos[0] as number;
      coords[2 * v + 1] = pos[1] as number;
      v++;
    }
  });
  ringStart[rings.length] = v;
  const partRing = new Int32Array(parts.length + 1);
  parts.forEach((p, i) => (partRing[i + 1] = (partRing[i] as number) + p.rings.length));
  const flat = { coords, ringStart, partRing, partArea: Int32Array.from(parts, (p) => p.areaIndex) };
  return { ...flat, partBBox: partBBoxes(flat) };
}

function closedRing(ring: Ring): Ring {
  const first = ring[0];
  const last = ring[ring.length - 1];
  if (!first || !last) return ring;
  return first[0] === last[0] && first[1] === last[1] ? ring : [...ring, first];
}

/** Calls fn(v) for the start vertex of every edge of part p. */
export function forEachEdge(flat: Omit<FlatParts, 'partBBox'>, p: number, fn: (v: number) => void): void {
  for (let r = flat.partRing[p] as number; r < (flat.partRing[p + 1] as number); r++) {
    const end = (flat.ringStart[r + 1] as number) - 1;
    for (let v = flat.ringStart[r] as number; v < end; v++) fn(v);
  }
}

function partBBoxes(flat: Omit<FlatParts, 'partBBox'>): Float64Array {
  const n = flat.partArea.length;
  const out = new Float64Array(n * 4);
  for (let p = 0; p < n; p++) {
    const b = [Infinity, Infinity, -Infinity, -Infinity];
    forEachEdge(flat, p, (v) => growBBox(b, flat.coords[2 * v] as number, flat.coords[2 * v + 1] as number));
    out.set(b, p * 4);
  }
  return out;
}

export function growBBox(b: number[], x: number, y: number): void {
  if (x < (b[0] as number)) b[0] = x;
  if (y < (b[1] as number)) b[1] = y;
  if (x > (b[2] as number)) b[2] = x;
  if (y > (b[3] as number)) b[3] = y;
}

/** Total number of parts. */
export const partCount = (flat: FlatParts): number => flat.partArea.length;
