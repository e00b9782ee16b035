import { EAST, WEST } from './edge.js';
import { forEachEdge, type FlatParts } from './flatten.js';
import { cellRect, cellSpan, type GridLayout } from './grid-layout.js';

/** Per cell, a list of polygon parts (build time only). */
export type CellLists = (number[] | undefined)[];

/** Writes every boundary cell's record (layout: GridData) and points its cell at it. */
export function packRecords(flat: FlatParts, g: GridLayout, rows: RowBuckets, cells: Int32Array, touching: CellLists, containing: CellLists): Int32Array {
  const data: number[] = [];
  touching.forEach((list, i) => {
    if (!list) return;
    cells[i] = -2 - data.length;
    const parts = [...new Set([...list, ...(containing[i] ?? [])])].sort((a, b) => a - b);
    const cx = i % g.nx;
    const cy = (i - cx) / g.nx;
    data.push(parts.length);
    for (const p of parts) pushEntry(data, flat, p, stripEdges(flat, cellRect(g, cx, cy), rows.get(p, cy)));
  });
  return Int32Array.from(data);
}

function pushEntry(data: number[], flat: FlatParts, p: number, strip: Strip): void {
  const chains = chainsOf(strip.edges);
  data.push(flat.partArea[p] as number, strip.code, chains.length);
  for (const [first, count] of chains) {
    data.push(2 * first, 2 * (first + count + 1));
  }
}

/**
 * Runs of consecutive edge starts [first, count]: edges v and v+1 share vertex v+1 (they
 * are always in the same ring, as a ring's last vertex starts no edge), so a run of n
 * edges is the slice of its n+1 vertices.
 */
function chainsOf(edges: readonly number[]): [number, number][] {
  const chains: [number, number][] = [];
  for (const v of edges) {
    const last = chains[chains.length - 1];
    if (last && last[0] + last[1] === v) last[1]++;
    else chains.push([v, 1]);
  }
  return chains;
}

interface Strip {
  code: typeof EAST | typeof WEST;
  edges: number[];
}

/**
 * A ray from any point of the cell, cast east, can only meet edges of the cell's row that
 * reach the cell's west side or beyond; cast west, those that reach its east side. Every
 * other edge of the part contributes nothing, so either subset gives the full-ring parity.
 */
function stripEdges(flat: FlatParts, rect: readonly number[], rowEdges: readonly number[]): Strip {
  const c = flat.coords;
  const east = rowEdges.filter((v) => Math.max(c[2 * v] as number, c[2 * v + 2] as number) >= (rect[0] as number));
  const west = rowEdges.filter((v) => Math.min(c[2 * v] as number, c[2 * v + 2] as number) <= (rect[2] as number));
  return west.length < east.length ? { code: WEST, edges: west } : { code: EAST, edges: east };
}

/** Edges of each part grouped by the grid rows their (expanded) y-range overlaps; built on demand. */
export class RowBuckets {
  private readonly byPart = new Map<number, Map<number, number[]>>();
  constructor(private readonly flat: FlatParts, private readonly g: GridLayout) {}

  get(p: number, row: number): readonly number[] {
    let rows = this.byPart.get(p);
    if (!rows) this.byPart.set(p, (rows = this.bucket(p)));
    return rows.get(row) ?? [];
  }

  private bucket(p: number): Map<number, number[]> {
    const rows = new Map<number, number[]>();
    const c = this.flat.coords;
    forEachEdge(this.flat, p, (v) => {
      const y1 = c[2 * v + 1] as number;
      const y2 = c[2 * v + 3] as number;
      const [r0, r1] = cellSpan(this.g.minY, this.g.cell, this.g.ny, Math.min(y1, y2), Math.max(y1, y2));
      for (let r = r0; r <= r1; r++) {
        const list = rows.get(r);
        if (list) list.push(v);
        else rows.set(r, [v]);
      }
    });
    return rows;
  }
}
