import type { AreaGeometry, Ring } from '../../../kernel/index.js';
import { EAST, ON_EDGE, edgeCode } from './edge.js';

/** Polygons of a geometry as a list, so callers need not switch on the type. */
export function polygonsOf(g: AreaGeometry): Ring[][] {
  return g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
}

/**
 * Even-odd test over all rings of one polygon (outer ring and holes together), boundary inclusive.
 * Holes need no special case: a point in a hole crosses the outer ring and the hole ring.
 */
export function pointInPolygon(lon: number, lat: number, rings: readonly Ring[]): boolean {
  let inside = false;
  for (const ring of rings) {
    // Wrapping to ring[0] also closes rings that arrive unclosed; on a closed ring the extra
    // edge is degenerate and can only report a point sitting on that vertex, which is true anyway.
    for (let i = 0; i < ring.length; i++) {
      const a = ring[i] as Position2;
      const b = ring[(i + 1) % ring.length] as Position2;
      const code = edgeCode(lon, lat, a[0], a[1], b[0], b[1]);
      if (code === ON_EDGE) return true;
      if (code === EAST) inside = !inside;
    }
  }
  return inside;
}

/** Boundary counts as inside. MultiPolygon parts are tested separately, so overlapping parts still union. */
export function pointInGeometry(lon: number, lat: number, g: AreaGeometry): boolean {
  return polygonsOf(g).some((rings) => pointInPolygon(lon, lat, rings));
}

type Position2 = [number, number];
