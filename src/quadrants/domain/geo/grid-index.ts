import type { Meters } from '../../../kernel/index.js';
import { flattenAreas, type FlatParts } from './flatten.js';
import { buildGrid, type GridData } from './grid-build.js';
import { gridBytes, locateInRecord } from './grid-locate.js';
import { nearestPart } from './nearest.js';
import type { IndexedArea } from './types.js';

/**
 * ~105 m × 111 m at CDMX's latitude. Measured on the 847 quadrants (bench/geo.bench.ts): finer
 * cells put fewer points in boundary cells and fewer edges in each, at ~2 MB here; 0.0025°
 * halves the memory but doubles the look-up time.
 */
export const DEFAULT_CELL_DEG = 0.001;

/**
 * Point → area look-up over a uniform grid.
 *
 * Answer rule (identical to brute force over pointInGeometry): the boundary is inclusive,
 * and when several areas contain the point — on a shared edge or vertex, or where areas
 * overlap — the one with the lowest index in the `areas` array wins. The grid never
 * contradicts this because a cell any edge touches is never answered without testing.
 */
export class QuadrantIndex {
  readonly size: number;
  private readonly grid: GridData;
  // Copied out of `grid` so locate reads plain fields of one hidden class.
  private readonly minX: number;
  private readonly minY: number;
  private readonly inv: number;
  private readonly nx: number;
  private readonly ny: number;
  private readonly cells: Int32Array;
  private readonly data: Int32Array;
  private readonly coords: Float64Array;

  private constructor(private readonly flat: FlatParts, grid: GridData, size: number) {
    this.size = size;
    this.grid = grid;
    this.minX = grid.minX;
    this.minY = grid.minY;
    this.inv = 1 / grid.cell;
    this.nx = grid.nx;
    this.ny = grid.ny;
    this.cells = grid.cells;
    this.data = grid.data;
    this.coords = grid.coords;
  }

  static build(areas: readonly IndexedArea[], options: { cellDeg?: number } = {}): QuadrantIndex {
    const cell = options.cellDeg ?? DEFAULT_CELL_DEG;
    if (!(cell > 0)) throw new RangeError(`cellDeg must be positive, got ${cell}`);
    const flat = flattenAreas(areas);
    return new QuadrantIndex(flat, buildGrid(flat, cell), areas.length);
  }

  /** Index into the `areas` array passed to build, or -1. Allocates nothing. */
  locate(lon: number, lat: number): number {
    const fx = (lon - this.minX) * this.inv;
    const fy = (lat - this.minY) * this.inv;
    // Written so NaN fails too.
    if (!(fx >= 0 && fy >= 0 && fx < this.nx && fy < this.ny)) return -1;
    const v = this.cells[(fy | 0) * this.nx + (fx | 0)] as number;
    return v >= -1 ? v : locateInRecord(this.data, this.coords, -2 - v, lon, lat);
  }

  /**
   * Nearest area and the distance to its boundary, for points outside every area.
   * A point inside an area gets that area (the one locate returns) at distance 0.
   */
  nearest(lon: number, lat: number): { index: number; distance: Meters } | null {
    const inside = this.locate(lon, lat);
    if (inside >= 0) return { index: inside, distance: 0 as Meters };
    return nearestPart(this.flat, lon, lat);
  }

  /** Grid layout and memory, for benchmarks and diagnostics. */
  stats(): GridStats {
    const g = this.grid;
    const boundaryCells = g.cells.reduce((n, v) => n + (v < -1 ? 1 : 0), 0);
    return { cellDeg: g.cell, cols: g.nx, rows: g.ny, boundaryCells, bytes: gridBytes(g) };
  }
}

export interface GridStats {
  cellDeg: number;
  cols: number;
  rows: number;
  boundaryCells: number;
  /** Bytes of the grid's typed arrays (the cell table and the boundary records). */
  bytes: number;
}
