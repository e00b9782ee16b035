// A uniform lon/lat grid and the geometry of its cells. Cells are tested "expanded" by a
// hair (EPS_FRACTION of a cell) so that floating-point disagreements between "which cell
// is this point in" and "which edges touch this cell" can only make a cell look busier
// than it is, never hide an edge from it.

export const EPS_FRACTION = 1e-6;

export interface GridLayout {
  readonly minX: number;
  readonly minY: number;
  readonly cell: number;
  readonly nx: number;
  readonly ny: number;
}

/** Grid over bbox [minX, minY, maxX, maxY], padded half a cell so every area lies strictly inside. */
export function layoutFor(bbox: readonly number[], cell: number): GridLayout {
  const [x0, y0, x1, y1] = bbox as [number, number, number, number];
  if (!(x1 >= x0 && y1 >= y0)) return { minX: 0, minY: 0, cell, nx: 0, ny: 0 };
  const minX = x0 - cell / 2;
  const minY = y0 - cell / 2;
  return { minX, minY, cell, nx: Math.ceil((x1 - minX) / cell) + 1, ny: Math.ceil((y1 - minY) / cell) + 1 };
}

/** Expanded rectangle of cell (cx, cy): [minX, minY, maxX, maxY]. */
export function cellRect(g: GridLayout, cx: number, cy: number): [number, number, number, number] {
  const eps = g.cell * EPS_FRACTION;
  const x = g.minX + cx * g.cell;
  const y = g.minY + cy * g.cell;
  return [x - eps, y - eps, x + g.cell + eps, y + g.cell + eps];
}

/** Column (or row) range [lo, hi] of cells whose expanded extent overlaps [a, b] on one axis. */
export function cellSpan(origin: number, cell: number, n: number, a: number, b: number): [number, number] {
  const eps = cell * EPS_FRACTION;
  const lo = Math.max(0, Math.floor((a - eps - origin) / cell));
  const hi = Math.min(n - 1, Math.floor((b + eps - origin) / cell));
  return [lo, hi];
}

/** Liang–Barsky: does segment (x1,y1)→(x2,y2) touch rectangle r? */
export function segmentTouchesRect(x1: number, y1: number, x2: number, y2: number, r: readonly number[]): boolean {
  const t = { t0: 0, t1: 1 };
  const dx = x2 - x1;
  const dy = y2 - y1;
  return clip(-dx, x1 - (r[0] as number), t) && clip(dx, (r[2] as number) - x1, t)
    && clip(-dy, y1 - (r[1] as number), t) && clip(dy, (r[3] as number) - y1, t);
}

/** Narrows [t0, t1] to where p·t ≤ q; false once it is empty. */
function clip(p: number, q: number, t: { t0: number; t1: number }): boolean {
  if (p === 0) return q >= 0;
  const r = q / p;
  if (p < 0) t.t0 = Math.max(t.t0, r);
  else t.t1 = Math.min(t.t1, r);
  return t.t0 <= t.t1;
}

/** Calls fn(cx, cy) for every cell whose expanded rectangle segment (x1,y1)→(x2,y2) touches. */
export function rasterizeSegment(
  g: GridLayout, x1: number, y1: number, x2: number, y2: number, fn: (cx: number, cy: number) => void,
): void {
  const [c0, c1] = cellSpan(g.minX, g.cell, g.nx, Math.min(x1, x2), Math.max(x1, x2));
  const [r0, r1] = cellSpan(g.minY, g.cell, g.ny, Math.min(y1, y2), Math.max(y1, y2));
  for (let cy = r0; cy <= r1; cy++) {
    for (let cx = c0; cx <= c1; cx++) {
      if (segmentTouchesRect(x1, y1, x2, y2, cellRect(g, cx, cy))) fn(cx, cy);
    }
  }
}
