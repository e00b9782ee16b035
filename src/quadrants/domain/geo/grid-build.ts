import { forEachEdge, growBBox, partCount, type FlatParts } from './flatten.js';
import { cellSpan, layoutFor, rasterizeSegment, type GridLayout } from './grid-layout.js';
import { packRecords, RowBuckets, type CellLists } from './grid-records.js';

/**
 * The packed grid. `cells[i]` is an area index (the whole cell lies strictly inside that
 * area), -1 (the whole cell is outside every area), or -2 - o for a boundary cell whose
 * record starts at offset o of `data`:
 *
 *   candidateCount, then per candidate polygon part, in ascending area order:
 *     area, rayCode (EAST or WEST), chainCount,
 *     then per chain of consecutive edges: from, to — a slice of `coords` (x, y pairs).
 *
 * Chains point into the shared coordinate array rather than copying it: measured on the
 * real quadrants, the smaller footprint (less than half the bytes) was ~1.5× faster than
 * the better locality of coordinates copied into each record.
 */
export interface GridData extends GridLayout {
  readonly cells: Int32Array;
  readonly data: Int32Array;
  readonly coords: Float64Array;
}

/** 64 Mi cells (256 MB of Int32): far beyond any sensible city grid, so surely a unit mistake. */
const MAX_CELLS = 1 << 26;

export function buildGrid(flat: FlatParts, cell: number): GridData {
  const layout = layoutFor(allPartsBBox(flat), cell);
  if (layout.nx * layout.ny > MAX_CELLS) throw new RangeError(`cellDeg ${cell} makes a ${layout.nx}×${layout.ny} grid; use a larger cell`);
  const touching = touchingParts(flat, layout);
  const rows = new RowBuckets(flat, layout);
  const { cells, containing } = classifyCells(flat, layout, touching, rows);
  return { ...layout, cells, data: packRecords(flat, layout, rows, cells, touching, containing), coords: flat.coords };
}

function allPartsBBox(flat: FlatParts): number[] {
  const b = [Infinity, Infinity, -Infinity, -Infinity];
  for (let i = 0; i < flat.partBBox.length; i += 4) {
    growBBox(b, flat.partBBox[i] as number, flat.partBBox[i + 1] as number);
    growBBox(b, flat.partBBox[i + 2] as number, flat.partBBox[i + 3] as number);
  }
  return b;
}

/** For each cell, the parts with at least one edge touching it (ascending, no repeats). */
function touchingParts(flat: FlatParts, g: GridLayout): CellLists {
  const touching: CellLists = new Array(g.nx * g.ny);
  const c = flat.coords;
  for (let p = 0; p < partCount(flat); p++) {
    forEachEdge(flat, p, (v) => {
      rasterizeSegment(g, c[2 * v] as number, c[2 * v + 1] as number, c[2 * v + 2] as number, c[2 * v + 3] as number, (cx, cy) => {
        const list = (touching[cy * g.nx + cx] ??= []);
        if (list[list.length - 1] !== p) list.push(p);
      });
    });
  }
  return touching;
}

/**
 * Cells no edge touches are decided once here by their centre: such a cell is wholly inside
 * or wholly outside each part. Parts that wholly contain a *boundary* cell (only possible
 * when areas overlap) become extra candidates of that cell. Centres are classified a row at
 * a time with a scanline; the centre of an untouched cell is half a cell from any edge, so
 * this needs none of the exactness of the look-up itself.
 */
function classifyCells(flat: FlatParts, g: GridLayout, touching: CellLists, rows: RowBuckets) {
  const cells = new Int32Array(g.nx * g.ny).fill(-1);
  const containing: CellLists = new Array(g.nx * g.ny);
  for (let p = 0; p < partCount(flat); p++) {
    const area = flat.partArea[p] as number;
    forEachInsideCentre(flat, g, p, rows, (i) => {
      const busy = touching[i];
      if (busy?.includes(p)) return;
      if (busy) (containing[i] ??= []).push(p);
      else if (cells[i] === -1) cells[i] = area; // parts arrive in ascending area order: lowest wins
    });
  }
  return { cells, containing };
}

/** Calls fn(cellIndex) for every cell whose centre lies inside part p (even-odd scanline per row). */
function forEachInsideCentre(flat: FlatParts, g: GridLayout, p: number, rows: RowBuckets, fn: (i: number) => void): void {
  const b = flat.partBBox;
  const [r0, r1] = cellSpan(g.minY, g.cell, g.ny, b[4 * p + 1] as number, b[4 * p + 3] as number);
  for (let cy = r0; cy <= r1; cy++) {
    const xs = scanlineCrossings(flat.coords, rows.get(p, cy), g.minY + (cy + 0.5) * g.cell);
    for (let k = 0; k + 1 < xs.length; k += 2) {
      const c0 = Math.max(0, Math.ceil(((xs[k] as number) - g.minX) / g.cell - 0.5));
      const c1 = Math.min(g.nx - 1, Math.floor(((xs[k + 1] as number) - g.minX) / g.cell - 0.5));
      for (let cx = c0; cx <= c1; cx++) fn(cy * g.nx + cx);
    }
  }
}

/** Sorted x where the line at latitude y crosses the given edges (half-open rule). */
function scanlineCrossings(c: Float64Array, edges: readonly number[], y: number): number[] {
  const xs: number[] = [];
  for (const v of edges) {
    const [x1, y1, x2, y2] = [c[2 * v] as number, c[2 * v + 1] as number, c[2 * v + 2] as number, c[2 * v + 3] as number];
    if ((y1 > y) !== (y2 > y)) xs.push(x1 + ((y - y1) * (x2 - x1)) / (y2 - y1));
  }
  return xs.sort((a, b) => a - b);
}

