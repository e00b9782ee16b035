// Public face of the quadrants context: other contexts import from here only.
export { QuadrantService, QUADRANT_DATA_CHANGED, type LocateResult } from './service.js';
export { QuadrantStore } from './storage.js';
export { distanceMeters } from './domain/geo/index.js';
export type { QuadrantRecord, Contact } from './model.js';
export { QuadrantPoints, quadrantPointKey, type QuadrantPoint } from './retention.js';
export { parseCrimesCsv, parsePopulationCsv } from './domain/csv.js';
export { CDMX_MAPPING, type PropertyMapping } from './domain/import.js';
