import { ON_EDGE, edgeCode } from './edge.js';
import type { GridData } from './grid-build.js';

// The hot path. Plain loops over one typed array, no closures, no allocation: this runs
// millions of times a second and must stay monomorphic for V8 to inline edgeCode.
// Record layout: see GridData in grid-build.ts.

/** Area for (x, y) in the boundary cell record at offset o: the first candidate (lowest area) containing it. */
export function locateInRecord(d: Int32Array, c: Float64Array, o: number, x: number, y: number): number {
  const entries = d[o++] as number;
  for (let e = 0; e < entries; e++) {
    const area = d[o] as number;
    const want = d[o + 1] as number;
    const chains = d[o + 2] as number;
    o += 3;
    let inside = false;
    for (let ch = 0; ch < chains; ch++, o += 2) {
      const end = d[o + 1] as number;
      let k = d[o] as number;
      let x1 = c[k] as number;
      let y1 = c[k + 1] as number;
      for (k += 2; k < end; k += 2) {
        const x2 = c[k] as number;
        const y2 = c[k + 1] as number;
        const code = edgeCode(x, y, x1, y1, x2, y2);
        if (code === ON_EDGE) return area;
        if (code === want) inside = !inside;
        x1 = x2;
        y1 = y2;
      }
    }
    if (inside) return area;
  }
  return -1;
}

/** Bytes held by the grid's arrays. */
export function gridBytes(g: GridData): number {
  return g.cells.byteLength + g.data.byteLength + g.coords.byteLength;
}
