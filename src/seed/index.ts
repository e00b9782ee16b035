// Public face of the seed step: first-run CDMX data and the demo units.
export { seedCdmx, CDMX_DATA_DIR, SEED_SOURCE, type SeedReport } from './cdmx.js';
export { seedDemoUnits } from './demo.js';
