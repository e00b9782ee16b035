// First-run data: Mexico City's 847 quadrants, 72 sectors, crimes 2013–2015 and population,
// shipped in data/cdmx. Each file group is loaded only when its content hash changed, so a
// second start does no work, and an upgrade that ships new data loads it once.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import type { Services } from '../services.js';
import { CDMX_MAPPING } from '../quadrants/index.js';
import { parseCrimesCsv, parsePopulationCsv } from '../quadrants/index.js';

export const CDMX_DATA_DIR = fileURLToPath(new URL('../../data/cdmx/', import.meta.url));
export const SEED_SOURCE = 'seed:cdmx';

const FILES = {
  quadrants: 'cuadrantes.geojson',
  sectors: 'sectores.geojson',
  crimes: 'crimes-by-quadrant-2013-2015.csv.gz',
  population: 'quadrant-population.csv',
} as const;

export interface SeedReport { quadrants: 'loaded' | 'unchanged' | 'skipped'; crimes: 'loaded' | 'unchanged' }

const sha256 = (...parts: Buffer[]) => parts.reduce((h, p) => h.update(p), createHash('sha256')).digest('hex');

export async function seedCdmx(services: Services, dir: string = CDMX_DATA_DIR): Promise<SeedReport> {
  const read = (f: string) => readFileSync(join(dir, f));
  const report: SeedReport = { quadrants: 'unchanged', crimes: 'unchanged' };

  const quadrantBytes = read(FILES.quadrants);
  const sectorBytes = read(FILES.sectors);
  const quadrantHash = sha256(quadrantBytes, sectorBytes);
  if ((await services.meta.get('seed:cdmx:quadrants')) !== quadrantHash) {
    const sets = await services.quadrants.listSets();
    const active = sets.find((s) => s.active);
    // Never replace a city an admin imported on purpose; only our own earlier seed.
    if (!active || active.source === SEED_SOURCE) {
      await services.quadrants.importSet(null, quadrantBytes.toString('utf8'), CDMX_MAPPING, {
        name: 'CDMX — 847 cuadrantes (SSP-DF 2016)', source: SEED_SOURCE, activate: true,
        sectors: { input: sectorBytes.toString('utf8'), mapping: { id: 'sector', alcaldia: 'municipio' } },
      });
      report.quadrants = 'loaded';
    } else {
      report.quadrants = 'skipped';
    }
    await services.meta.set('seed:cdmx:quadrants', quadrantHash);
  }

  const crimeBytes = read(FILES.crimes);
  const populationBytes = read(FILES.population);
  const crimeHash = sha256(crimeBytes, populationBytes);
  if ((await services.meta.get('seed:cdmx:crimes')) !== crimeHash) {
    const records = parseCrimesCsv(gunzipSync(crimeBytes).toString('utf8'));
    const population = parsePopulationCsv(populationBytes.toString('utf8'));
    await services.quadrants.importCrimes(null, records, population);
    await services.meta.set('seed:cdmx:crimes', crimeHash);
    report.crimes = 'loaded';
  }
  return report;
}
