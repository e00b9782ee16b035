// The one edge predicate every containment test in this module goes through.
// Sharing it is what makes QuadrantIndex.locate agree bit-for-bit with the
// brute-force pointInGeometry: both evaluate the same expression on the same doubles.

/** The horizontal line through the point does not cross this edge, and the point is not on it. */
export const MISS = 0;
/** The edge crosses the horizontal line to the east of the point (a ray cast east counts it). */
export const EAST = 1;
/** The edge crosses the horizontal line to the west of the point (a ray cast west counts it). */
export const WEST = 2;
/** The point lies exactly on the edge (as far as doubles can tell): the boundary is inclusive. */
export const ON_EDGE = 3;

export type EdgeCode = typeof MISS | typeof EAST | typeof WEST | typeof ON_EDGE;

/**
 * Classify edge (x1,y1)→(x2,y2) against point (px,py).
 * The half-open rule `(y1 > py) !== (y2 > py)` makes every closed ring straddle the line an
 * even number of times, so east and west crossing counts have the same parity unless the
 * point is on the ring; that is what lets the grid cast its ray in whichever direction
 * has fewer edges.
 */
export function edgeCode(px: number, py: number, x1: number, y1: number, x2: number, y2: number): EdgeCode {
  if ((y1 > py) !== (y2 > py)) {
    const cross = (x2 - x1) * (py - y1) - (px - x1) * (y2 - y1);
    if (cross === 0) return ON_EDGE;
    return (cross > 0) === (y2 > y1) ? EAST : WEST;
  }
  // Not straddling: the point can still be the start vertex or lie on a horizontal edge.
  // (The end vertex is the next edge's start, so it is caught there.)
  if (y1 !== py) return MISS;
  if (x1 === px) return ON_EDGE;
  return y2 === py && (x1 < px) !== (x2 < px) ? ON_EDGE : MISS;
}
