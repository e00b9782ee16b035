// Public face of the quadrants context: other contexts import from here only.
export { QuadrantService, type LocateResult } from './service.js';
export { distanceMeters } from './domain/geo/index.js';
export type { QuadrantRecord, Contact } from './model.js';
