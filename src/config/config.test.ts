import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './index.js';
import { projectRoot } from '../../tests/support/net.js';

/** Every variable named in the first column of a table in docs/CONFIGURATION.md (wildcards like CUADRANTE_RETENTION_*_DAYS are spelled out there too). */
function documentedKeys(): string[] {
  const keys = new Set<string>();
  for (const line of readFileSync(join(projectRoot, 'docs/CONFIGURATION.md'), 'utf8').split('\n')) {
    if (!line.startsWith('| `')) continue;
    for (const [, key] of (line.split('|')[1] ?? '').matchAll(/`([A-Z][A-Z0-9_]*)`/g)) keys.add(key!);
  }
  return [...keys].sort();
}

/** A valid, non-default value for every documented key. */
const SAMPLES: Record<string, string> = {
  HOST: '0.0.0.0', PORT: '9000', CUADRANTE_DATA_DIR: '/srv/cuadrante', DATABASE_URL: 'postgres://u@db:5432/c', CUADRANTE_DB_SCHEMA: 'city_b',
  CUADRANTE_ADMIN_USERNAME: 'jefa', CUADRANTE_ADMIN_PASSWORD: 'a-long-password', CUADRANTE_SEED: 'none', CUADRANTE_CITY_NAME: 'Toluca',
  CUADRANTE_CITY_LINE: '+527222141516', CUADRANTE_BASEMAP_STYLE_URL: 'https://tiles.example/style.json', CUADRANTE_TOKEN_TTL_HOURS: '8',
  CUADRANTE_MAX_IMPORT_BYTES: '4096', CUADRANTE_SYNC_INTERVAL_MS: '1000', CUADRANTE_TRUST_PROXY: '10.0.0.0/8', CUADRANTE_MODE: 'development',
  CUADRANTE_SECRET_KEY: 'ab'.repeat(32), CUADRANTE_LOG_REQUESTS: 'true', CUADRANTE_ACK_TIMEOUT_S: '20', CUADRANTE_ESCALATE_AFTER_S: '100',
  CUADRANTE_TARGET_ON_SCENE_S: '200', CUADRANTE_EMERGENCY_NUMBER: '089', CUADRANTE_911_WEBHOOK_URL: 'https://c5.example/hook',
  CUADRANTE_911_WEBHOOK_SECRET: 'shared-secret', CUADRANTE_ALERT_RATE_MAX: '3', CUADRANTE_ALERT_RATE_WINDOW_S: '300',
  CUADRANTE_ALERTS_PER_NETWORK_MAX: '7', CUADRANTE_ALERTS_PER_NETWORK_WINDOW_S: '900', CUADRANTE_DEVICES_PER_NETWORK_HOUR: '30',
  CUADRANTE_DEVICES_PER_NETWORK_HOUR_MAX: '600', CUADRANTE_DEVICE_PROBATION_H: '12', CUADRANTE_DEMO: 'true', CUADRANTE_OSMAND_PORT: '5056',
  CUADRANTE_TRACKER_UTC_OFFSET_MIN: '-300', CUADRANTE_POSITION_RETENTION_DAYS: '30', CUADRANTE_OSMAND_MAX_CONNECTIONS: '1000',
  CUADRANTE_OSMAND_MAX_CONNECTIONS_PER_SOURCE: '64', CUADRANTE_TRACKER_UNKNOWN_IDS_PER_NETWORK_HOUR: '20', CUADRANTE_SOS_TRACK_WINDOW_S: '300',
  CUADRANTE_NO_SIGNAL_S: '60', CUADRANTE_GEOFENCE_ALLOWANCE_S: '120', CUADRANTE_OSRM_URL: 'http://osrm.example:5000',
  CUADRANTE_MAX_POSITION_BATCH: '100', CUADRANTE_PUBLIC_URL: 'https://cuadrante.example', CUADRANTE_SMS_URL: 'https://sms.example/api',
  CUADRANTE_SMS_ACCOUNT_SID: 'AC123', CUADRANTE_SMS_AUTH_TOKEN: 'token', CUADRANTE_SMS_FROM: '+15005550006', CUADRANTE_REPORTS_PER_DEVICE_HOUR: '5',
  CUADRANTE_REPORTS_PER_NETWORK_HOUR: '30', CUADRANTE_DISPUTES_PER_NETWORK_HOUR: '2', CUADRANTE_CHECKINS_PER_DEVICE_DAY: '4',
  CUADRANTE_SMS_PER_DESTINATION_DAY: '3', CUADRANTE_SMS_COUNTRIES: 'MX,US', CUADRANTE_RETENTION_ALERTS_DAYS: '800',
  CUADRANTE_RETENTION_ALERT_LOCATIONS_DAYS: '60', CUADRANTE_RETENTION_ALERT_EVENTS_DAYS: '700', CUADRANTE_RETENTION_WEBHOOK_OUTBOX_DAYS: '45',
  CUADRANTE_RETENTION_EXTORTION_REPORTS_DAYS: '365', CUADRANTE_RETENTION_NOTIFICATIONS_DAYS: '14', CUADRANTE_RETENTION_CHECKINS_DAYS: '7',
  CUADRANTE_RETENTION_TOKENS_DAYS: '10', CUADRANTE_RETENTION_AUDIT_DAYS: '3650', LOG_LEVEL: 'warn',
  CUADRANTE_NATS_URL: 'nats://10.0.0.1:4222,nats://10.0.0.2:4222', CUADRANTE_NATS_STREAM: 'CITY_B_EVENTS', CUADRANTE_NATS_SUBJECT_PREFIX: 'city_b',
  CUADRANTE_NATS_REPLICAS: '3', CUADRANTE_NATS_MAX_AGE_H: '48', CUADRANTE_NATS_DUPLICATE_WINDOW_S: '300', CUADRANTE_BUS_OUTBOX_RETENTION_H: '6',
};

describe('configuration', () => {
  it('has working defaults: embedded SQLite on 127.0.0.1:8080, data in the project\'s var/', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({ host: '127.0.0.1', port: 8080, databaseUrl: null, seed: 'cdmx', cityLine: '+525552089898' });
    expect(c.dataDir).toBe(join(projectRoot, 'var'));
  });

  it('keeps the default data directory in the project wherever it is started from; a relative setting follows the current directory', () => {
    const elsewhere = mkdtempSync(join(tmpdir(), 'cuadrante-cwd-'));
    try {
      const dataDirFrom = (env: Record<string, string>) => {
        const r = spawnSync(process.execPath, ['--import', pathToFileURL(join(projectRoot, 'node_modules/tsx/dist/loader.mjs')).href, '--input-type=module', '-e',
          `const { loadConfig } = await import(${JSON.stringify(pathToFileURL(join(projectRoot, 'src/config/index.ts')).href)}); process.stdout.write(loadConfig(process.env).dataDir);`],
        { cwd: elsewhere, encoding: 'utf8', env: { PATH: process.env.PATH ?? '', ...env } });
        expect(r.stderr).toBe('');
        return r.stdout;
      };
      expect(dataDirFrom({})).toBe(join(projectRoot, 'var'));
      expect(dataDirFrom({ CUADRANTE_DATA_DIR: 'estado' })).toBe(join(realpathSync(elsewhere), 'estado'));
    } finally {
      rmSync(elsewhere, { recursive: true, force: true });
    }
  });

  it('reads every key docs/CONFIGURATION.md documents, and documents every key it reads', () => {
    const documented = documentedKeys();
    // Each sample differs from the default, so dropping it must change the result (or be refused).
    expect(Object.keys(SAMPLES).sort()).toEqual(documented);
    const read = new Set<string>();
    const full = loadConfig(new Proxy({ ...SAMPLES }, { get: (env, key: string) => { read.add(key); return env[key]; } }));
    expect([...read].sort()).toEqual(documented);
    for (const key of documented) {
      const { [key]: _dropped, ...without } = SAMPLES;
      let changed: boolean;
      try { changed = JSON.stringify(loadConfig(without)) !== JSON.stringify(full); } catch { changed = true; }
      expect(changed, `${key} has no effect`).toBe(true);
    }
    expect(full).toMatchObject({ host: '0.0.0.0', port: 9000, databaseUrl: 'postgres://u@db:5432/c', seed: 'none', adminPassword: 'a-long-password', logRequests: true });
  });

  it('lists every problem at once, naming each key', () => {
    try {
      loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', CUADRANTE_ADMIN_PASSWORD: 'short', CUADRANTE_CITY_LINE: '5208 9898', CUADRANTE_SEED: 'gdl' });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      const problems = (err as ConfigError).problems;
      expect(problems.map((p) => p.split(':')[0])).toEqual(['PORT', 'DATABASE_URL', 'CUADRANTE_ADMIN_PASSWORD', 'CUADRANTE_SEED', 'CUADRANTE_CITY_LINE']);
      expect((err as ConfigError).message).toContain('must be an integer from 0 to 65535, got "eighty"');
    }
  });

  it('refuses the bus between instances without what they must share: PostgreSQL and the secret key', () => {
    expect(() => loadConfig({ CUADRANTE_NATS_URL: 'nats://127.0.0.1:4222' })).toThrow(/CUADRANTE_NATS_URL: .*DATABASE_URL/);
    // …and one shared secret key, or each would key networks differently (N instances, N× every limit).
    expect(() => loadConfig({ CUADRANTE_NATS_URL: 'nats://127.0.0.1:4222', DATABASE_URL: 'postgres://u@db:5432/c' })).toThrow(/CUADRANTE_NATS_URL: .*CUADRANTE_SECRET_KEY/);
    const key = 'ab'.repeat(32);
    expect(loadConfig({ CUADRANTE_NATS_URL: 'nats://127.0.0.1:4222', DATABASE_URL: 'postgres://u@db:5432/c', CUADRANTE_SECRET_KEY: key }).natsUrl).toEqual(['nats://127.0.0.1:4222']);
  });

  it('trusts only the proxies it is told about, and never every proxy', () => {
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(loadConfig({ CUADRANTE_TRUST_PROXY: '10.0.0.0/8, 127.0.0.1' }).trustProxy).toEqual(['10.0.0.0/8', '127.0.0.1']);
    expect(loadConfig({ CUADRANTE_TRUST_PROXY: '2' }).trustProxy).toBe(2);
    for (const bad of ['true', '10.0.0.0/40', 'proxy.local']) {
      expect(() => loadConfig({ CUADRANTE_TRUST_PROXY: bad }), bad).toThrow(/CUADRANTE_TRUST_PROXY/);
    }
  });

  it('reads limits, retention and the shared secret key, refusing inconsistent ones', () => {
    const c = loadConfig({ CUADRANTE_SMS_COUNTRIES: 'mx,us', CUADRANTE_RETENTION_AUDIT_DAYS: '3650', CUADRANTE_SECRET_KEY: 'ab'.repeat(32), CUADRANTE_MODE: 'development' });
    expect(c).toMatchObject({ smsCountries: ['MX', 'US'], mode: 'development', secretKey: 'ab'.repeat(32) });
    expect(c.retentionDays.audit).toBe(3650);
    expect(() => loadConfig({ CUADRANTE_RETENTION_ALERT_LOCATIONS_DAYS: '800' })).toThrow(/cannot be longer/);
    expect(() => loadConfig({ CUADRANTE_SECRET_KEY: 'too-short' })).toThrow(/CUADRANTE_SECRET_KEY/);
  });
});
