// Public face of the quadrant geometry domain: pure functions and one index, no I/O.
export type { IndexedArea } from './types.js';
export { QuadrantIndex, DEFAULT_CELL_DEG } from './grid-index.js';
export { computeNeighbours, DEFAULT_NEIGHBOUR_TOLERANCE_M, MIN_SHARED_BOUNDARY_M } from './adjacency.js';
export { simplifyGeometry } from './simplify.js';
export { geodesicArea, centroid, bboxOf, bboxIntersects, distanceMeters } from './measure.js';
export { interiorPoint } from './interior-point.js';
export { pointInGeometry } from './pip.js';
