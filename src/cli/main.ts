// `npx cuadrante …`: the same use-cases as the HTTP API, run against the configured database.
// A running server notices the change within CUADRANTE_SYNC_INTERVAL_MS and swaps it in.
import { readFileSync, statSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { parseArgs } from 'node:util';
import { loadConfig, ConfigError, type Config } from '../config/index.js';
import { openStorage } from '../storage/index.js';
import { createServices, type Services } from '../services.js';
import { loadSecrets } from '../config/secrets.js';
import { DomainError, negotiateLang } from '../kernel/index.js';
import { isRole } from '../accounts/roles.js';
import { parseCrimesCsv, parsePopulationCsv } from '../quadrants/domain/csv.js';
import type { PropertyMapping } from '../quadrants/domain/import.js';
import { main as serve } from '../server.js';

const USAGE = `Uso / usage: cuadrante <command>

  serve                                   start the server (same as npm start, without building)
  import quadrants FILE [options]         import a GeoJSON FeatureCollection as a new quadrant version
      --id-prop NAME        property with the quadrant id         (default: cuadrante)
      --sector-prop NAME    property with the sector              (default: sector)
      --zone-prop NAME      property with the zone                (default: zona)
      --alcaldia-prop NAME  property with the alcaldía/municipality (default: municipio)
      --sectors FILE        optional sector polygons (GeoJSON; id property: --sector-prop)
      --name TEXT           a name for this version
      --no-activate         import without making it the active version
  import crimes FILE [--population FILE]  replace crime statistics (CSV or .csv.gz: cuadrante,crime,month,count)
                                          and recompute threat levels
  quadrant-sets                           list imported versions
  activate VERSION                        make a version the active one
  user create --username NAME --role ROLE --password PW   (roles: unit, dispatcher, analyst, admin, gateway)

Settings come from the environment (DATABASE_URL, CUADRANTE_DATA_DIR, …): see docs/CONFIGURATION.md.`;

const lang = negotiateLang(process.env.LANG?.replace('_', '-').split('.')[0]);

export async function run(argv: string[], config: Config = loadConfig()): Promise<number> {
  const [command, sub] = argv;
  if (!command || command === 'help' || command === '--help') { console.log(USAGE); return 0; }
  if (command === 'serve') { await serve(); return -1; }
  const storage = await openStorage({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, schema: config.databaseSchema });
  const services = createServices(storage, config, undefined, undefined, undefined, loadSecrets({ dataDir: config.dataDir, secretKey: config.secretKey }));
  try {
    await services.quadrants.reload();
    if (command === 'import' && sub === 'quadrants') return await importQuadrants(services, argv.slice(2), config);
    if (command === 'import' && sub === 'crimes') return await importCrimes(services, argv.slice(2));
    if (command === 'quadrant-sets') return await listSets(services);
    if (command === 'activate') return await activate(services, argv[1]);
    if (command === 'user' && sub === 'create') return await createUser(services, argv.slice(2));
    console.error(`Unknown command: ${argv.join(' ')}\n\n${USAGE}`);
    return 2;
  } catch (err) {
    if (err instanceof DomainError) { printDomainError(err); return 2; }
    throw err;
  } finally {
    await storage.close();
  }
}

function readInput(file: string, maxBytes: number): string {
  const size = statSync(file).size;
  if (size > maxBytes) throw new DomainError('IMPORT_TOO_LARGE', { limit: maxBytes });
  const bytes = readFileSync(file);
  return (file.endsWith('.gz') ? gunzipSync(bytes) : bytes).toString('utf8');
}

async function importQuadrants(services: Services, args: string[], config: Config): Promise<number> {
  const { values, positionals } = parseArgs({
    args, allowPositionals: true,
    options: {
      'id-prop': { type: 'string', default: 'cuadrante' }, 'sector-prop': { type: 'string', default: 'sector' },
      'zone-prop': { type: 'string', default: 'zona' }, 'alcaldia-prop': { type: 'string', default: 'municipio' },
      sectors: { type: 'string' }, name: { type: 'string' }, 'no-activate': { type: 'boolean', default: false },
    },
  });
  const file = positionals[0];
  if (!file) { console.error('Missing FILE'); return 2; }
  const mapping: PropertyMapping = { id: values['id-prop'], sector: values['sector-prop'], zone: values['zone-prop'], alcaldia: values['alcaldia-prop'] };
  const info = await services.quadrants.importSet(null, readInput(file, config.maxImportBytes), mapping, {
    name: values.name ?? file, source: `cli:${file}`, activate: !values['no-activate'],
    sectors: values.sectors ? { input: readInput(values.sectors, config.maxImportBytes), mapping: { id: values['sector-prop'], alcaldia: values['alcaldia-prop'] } } : undefined,
  });
  console.log(`Imported version ${info.version}: ${info.featureCount} quadrants${info.active ? ', now active' : ' (not active)'}.`);
  return 0;
}

async function importCrimes(services: Services, args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { population: { type: 'string' } } });
  const file = positionals[0];
  if (!file) { console.error('Missing FILE'); return 2; }
  const limit = 512 * 1024 * 1024;
  const records = parseCrimesCsv(readInput(file, limit));
  const population = values.population ? parsePopulationCsv(readInput(values.population, limit)) : null;
  const r = await services.quadrants.importCrimes(null, records, population);
  console.log(`Loaded ${r.records} crime records; threat recomputed for ${r.quadrants} quadrants.`);
  return 0;
}

async function listSets(services: Services): Promise<number> {
  for (const s of await services.quadrants.listSets()) {
    console.log(`${s.active ? '*' : ' '} v${s.version}  ${s.featureCount} quadrants  ${s.createdAt}  ${s.name}`);
  }
  return 0;
}

async function activate(services: Services, raw: string | undefined): Promise<number> {
  const version = Number(raw);
  if (!Number.isInteger(version) || version < 1) { console.error('Usage: cuadrante activate VERSION'); return 2; }
  const info = await services.quadrants.activate(null, version);
  console.log(`Version ${info.version} is now active (${info.featureCount} quadrants).`);
  return 0;
}

async function createUser(services: Services, args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { username: { type: 'string' }, role: { type: 'string' }, password: { type: 'string' } } });
  if (!values.username || !values.role || !values.password || !isRole(values.role) || values.password.length < 12) {
    console.error('Usage: cuadrante user create --username NAME --role unit|dispatcher|analyst|admin|gateway --password PW (12+ characters)');
    return 2;
  }
  const u = await services.accounts.createUser(null, { username: values.username, password: values.password, role: values.role });
  console.log(`Created ${u.role} ${u.username} (${u.id}).`);
  return 0;
}

function printDomainError(err: DomainError): void {
  console.error(`${err.code}: ${err.message_(lang)}`);
  const details = err.details as { problems?: { index: number; id: string | null; problem: { es: string; en: string } }[] } | undefined;
  for (const p of details?.problems ?? []) console.error(`  #${p.index} (${p.id ?? '—'}): ${p.problem[lang]}`);
}

export async function cli(argv: string[]): Promise<void> {
  try {
    const code = await run(argv);
    if (code >= 0) process.exitCode = code;
  } catch (err) {
    if (err instanceof ConfigError) { console.error(err.message); process.exitCode = 1; return; }
    throw err;
  }
}
