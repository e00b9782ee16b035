// A bucket grid of segments on a metric plane, stored CSR-style (one offsets array, one
// items array) so that thousands of buckets cost two allocations.

export interface SegmentGrid {
  readonly minX: number;
  readonly minY: number;
  readonly cell: number;
  readonly nx: number;
  readonly ny: number;
  readonly start: Int32Array;
  readonly items: Int32Array;
}

/**
 * Buckets segment i (from xy[2·from[i]] to xy[2·from[i]+2]) into every cell its bbox,
 * grown by `pad`, overlaps. Query with a segment's plain bbox to find every segment
 * that may lie within `pad` of it.
 */
export function buildSegmentGrid(xy: Float64Array, from: Int32Array, cell: number, pad: number): SegmentGrid {
  const b = bounds(xy, from);
  const layout = { minX: b[0] - pad, minY: b[1] - pad, cell };
  const nx = Math.max(1, Math.ceil((b[2] - layout.minX + pad) / cell));
  const ny = Math.max(1, Math.ceil((b[3] - layout.minY + pad) / cell));
  const grid = { ...layout, nx, ny, start: new Int32Array(nx * ny + 1), items: new Int32Array(0) };
  for (let i = 0; i < from.length; i++) forEachCell(grid, segBox(xy, from[i] as number, pad), (c) => grid.start[c + 1]!++);
  for (let c = 0; c < nx * ny; c++) grid.start[c + 1]! += grid.start[c]!;
  const fill = grid.start.slice(0, nx * ny);
  grid.items = new Int32Array(grid.start[nx * ny]!);
  for (let i = 0; i < from.length; i++) forEachCell(grid, segBox(xy, from[i] as number, pad), (c) => (grid.items[fill[c]!++] = i));
  return grid;
}

/** Calls fn(i) for every segment bucketed in a cell overlapping box (may repeat an i). */
export function querySegments(grid: SegmentGrid, box: readonly number[], fn: (i: number) => void): void {
  forEachCell(grid, box, (c) => {
    for (let k = grid.start[c]!; k < grid.start[c + 1]!; k++) fn(grid.items[k]!);
  });
}

/** [minX, minY, maxX, maxY] of the segment starting at vertex v, grown by pad. */
export function segBox(xy: Float64Array, v: number, pad: number): number[] {
  const [x1, y1, x2, y2] = [xy[2 * v]!, xy[2 * v + 1]!, xy[2 * v + 2]!, xy[2 * v + 3]!];
  return [Math.min(x1, x2) - pad, Math.min(y1, y2) - pad, Math.max(x1, x2) + pad, Math.max(y1, y2) + pad];
}

function forEachCell(g: Omit<SegmentGrid, 'items'>, box: readonly number[], fn: (c: number) => void): void {
  const clamp = (v: number, n: number) => Math.min(n - 1, Math.max(0, Math.floor(v)));
  const c0 = clamp((box[0]! - g.minX) / g.cell, g.nx), c1 = clamp((box[2]! - g.minX) / g.cell, g.nx);
  const r0 = clamp((box[1]! - g.minY) / g.cell, g.ny), r1 = clamp((box[3]! - g.minY) / g.cell, g.ny);
  for (let r = r0; r <= r1; r++) for (let c = c0; c <= c1; c++) fn(r * g.nx + c);
}

function bounds(xy: Float64Array, from: Int32Array): [number, number, number, number] {
  const b: [number, number, number, number] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const v of from) {
    const box = segBox(xy, v, 0);
    b[0] = Math.min(b[0], box[0]!); b[1] = Math.min(b[1], box[1]!);
    b[2] = Math.max(b[2], box[2]!); b[3] = Math.max(b[3], box[3]!);
  }
  return from.length ? b : [0, 0, 0, 0];
}
