// `npx cuadrante …`: the same use-cases as the HTTP API, run against the configured database.
// A running server notices the change within CUADRANTE_SYNC_INTERVAL_MS and swaps it in.
import { readFileSync, statSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { parseArgs } from 'node:util';
import { loadConfig, ConfigError, type Config } from '../config/index.js';
import { openStorage } from '../storage/index.js';
import { createServices, type Services } from '../services.js';
import { loadSecrets, rotateSecrets } from '../config/index.js';
import { DomainError, negotiateLang } from '../kernel/index.js';
import { isRole, type Role } from '../accounts/index.js';
import { generatePassword } from '../accounts/index.js';
import { parseCrimesCsv, parsePopulationCsv } from '../quadrants/index.js';
import type { PropertyMapping } from '../quadrants/index.js';
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
  user list                               staff accounts: role, disabled, must change password
  user disable USERNAME                   cut an account off: its sessions end at once (not the last admin)
  user enable USERNAME                    let a disabled account sign in again
  user password USERNAME [--password PW]  set a new password (generated and shown once if none is given);
                                          it must be changed at the next sign-in, and sessions end
  user role USERNAME ROLE                 change the role (not the last admin's); sessions end
  user sign-out USERNAME                  sign the account out everywhere
  keys rotate                             add a new current secret key to the data directory's key file
                                          (older keys stay, so what they derived is still recognised;
                                          with CUADRANTE_SECRET_KEY set, rotate that setting instead)

Settings come from the environment (DATABASE_URL, CUADRANTE_DATA_DIR, …): see docs/CONFIGURATION.md.`;

const lang = negotiateLang(process.env.LANG?.replace('_', '-').split('.')[0]);

export async function run(argv: string[], config: Config = loadConfig()): Promise<number> {
  const [command, sub] = argv;
  if (!command || command === 'help' || command === '--help') { console.log(USAGE); return 0; }
  if (command === 'serve') { await serve(); return -1; }
  if (command === 'keys') return rotateKeys(sub, config);
  const storage = await openStorage({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, schema: config.databaseSchema });
  const services = createServices(storage, config, undefined, undefined, undefined, loadSecrets({ dataDir: config.dataDir, secretKey: config.secretKey }));
  try {
    await services.quadrants.reload();
    if (command === 'import' && sub === 'quadrants') return await importQuadrants(services, argv.slice(2), config);
    if (command === 'import' && sub === 'crimes') return await importCrimes(services, argv.slice(2));
    if (command === 'quadrant-sets') return await listSets(services);
    if (command === 'activate') return await activate(services, argv[1]);
    if (command === 'user' && sub === 'create') return await createUser(services, argv.slice(2));
    if (command === 'user' && sub && USER_COMMANDS.has(sub)) return await manageUser(services, sub, argv.slice(2));
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

const USER_COMMANDS = new Set(['list', 'disable', 'enable', 'password', 'role', 'sign-out']);

/** The admin panel's account actions, for the operator at the server (audited with no actor: the CLI). */
async function manageUser(services: Services, sub: string, args: string[]): Promise<number> {
  const accounts = services.accounts;
  if (sub === 'list') {
    for (const u of await accounts.listUsers()) {
      const marks = [u.disabledAt ? `disabled ${u.disabledAt}` : null, u.mustChangePassword ? 'must change password' : null].filter(Boolean);
      console.log(`${u.username.padEnd(24)} ${u.role.padEnd(10)} ${marks.join(', ')}`.trimEnd());
    }
    return 0;
  }
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { password: { type: 'string' } } });
  const [username, role] = positionals;
  const usage = sub === 'role' ? 'cuadrante user role USERNAME unit|dispatcher|analyst|admin|gateway'
    : sub === 'password' ? 'cuadrante user password USERNAME [--password PW (12+ characters)]' : `cuadrante user ${sub} USERNAME`;
  if (!username || (sub === 'role' && (!role || !isRole(role))) || (sub === 'password' && values.password !== undefined && values.password.length < 12)) {
    console.error(`Usage: ${usage}`);
    return 2;
  }
  const user = await accounts.findUser(username);
  switch (sub) {
    case 'disable': {
      await accounts.disable(null, user.id);
      console.log(`Disabled ${user.username}; every session of it has ended.`);
      return 0;
    }
    case 'enable': {
      await accounts.enable(null, user.id);
      console.log(`Enabled ${user.username}.`);
      return 0;
    }
    case 'role': {
      const changed = await accounts.changeRole(null, user.id, role as Role);
      console.log(`${changed.username} is now ${changed.role}; its sessions have ended.`);
      return 0;
    }
    case 'password': {
      const password = values.password ?? generatePassword();
      await accounts.resetPassword(null, user.id, password);
      if (!values.password) console.log(`New password for ${user.username} (shown once): ${password}`);
      console.log(`${user.username} must change the password at the next sign-in; its sessions have ended.`);
      return 0;
    }
    default: {
      const { revoked } = await accounts.signOutEverywhere(null, user.id);
      console.log(`Signed ${user.username} out everywhere (${revoked} session${revoked === 1 ? '' : 's'} ended).`);
      return 0;
    }
  }
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

/** Rotation touches only the key file: a running server picks the new key up at its next start. */
function rotateKeys(sub: string | undefined, config: Config): number {
  if (sub !== 'rotate') { console.error(USAGE); return 2; }
  if (config.secretKey) {
    console.error('CUADRANTE_SECRET_KEY is set: the key lives in that setting, not in a file. Give every instance a new value (e.g. `openssl rand -hex 32`).');
    return 2;
  }
  const id = rotateSecrets(config.dataDir);
  console.log(`Nueva clave ${id} / new key ${id}: reinicia el servidor / restart the server to use it.`);
  return 0;
}

