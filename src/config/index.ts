// One validated configuration, read once at start-up. Every key is documented in
// docs/CONFIGURATION.md; an invalid setting stops the process with a readable list.
import { resolve } from 'node:path';

export interface Config {
  host: string;
  port: number;
  dataDir: string;
  /** postgres://… when set; otherwise the embedded SQLite file under dataDir. */
  databaseUrl: string | null;
  /** PostgreSQL schema to use (search_path); tests give each run its own. */
  databaseSchema: string | null;
  adminUsername: string;
  adminPassword: string | null;
  seed: 'cdmx' | 'none';
  cityName: string;
  cityLine: string;
  basemapStyleUrl: string | null;
  tokenTtlHours: number;
  maxImportBytes: number;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  logRequests: boolean;
  /** How often an instance checks whether another process changed the active data (ms). */
  syncIntervalMs: number;
  trustProxy: boolean;
  /** Dispatch: no acknowledgement by then → page the next ring. */
  ackTimeoutMs: number;
  /** Dispatch: still none by then (from creation) → hand to 911. */
  escalateAfterMs: number;
  /** The response-time target a unit should be on scene within (CDMX: 2 min 50 s). */
  targetOnSceneMs: number;
  emergencyNumber: string;
  webhookUrl: string | null;
  webhookSecret: string | null;
  /** Alerts one citizen device may raise per window; the first is never refused. */
  alertRateMax: number;
  alertRateWindowMs: number;
  /** Create a few demo units on first start (never in production unless asked). */
  demo: boolean;
  /** Port of the OsmAnd (Traccar Client) listener; 0 turns it off (the main server's /api/v1/osmand stays). */
  osmandPort: number;
  /** UTC offset of tracker local times given as "yyyy-MM-dd HH:mm:ss" (CDMX: -360 minutes). */
  trackerUtcOffsetMin: number;
  positionRetentionDays: number;
  noSignalMs: number;
  geofenceAllowanceMs: number;
  osrmUrl: string | null;
  maxPositionBatch: number;
  /** The address people reach this server at, for links sent by SMS. */
  publicUrl: string;
  /** A Twilio-compatible SMS API; without it messages wait in the outbox (a development page shows them). */
  sms: { url: string; accountSid: string; authToken: string; from: string } | null;
  reportsPerDevicePerHour: number;
  reportsPerNetworkPerHour: number;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

export const defaultConfig: Config = {
  host: '127.0.0.1',
  port: 8080,
  dataDir: resolve('var'),
  databaseUrl: null,
  databaseSchema: null,
  adminUsername: 'admin',
  adminPassword: null,
  seed: 'cdmx',
  cityName: 'Ciudad de México',
  cityLine: '+525552089898',
  basemapStyleUrl: null,
  tokenTtlHours: 12,
  maxImportBytes: 20 * 1024 * 1024,
  logLevel: 'info',
  logRequests: false,
  syncIntervalMs: 5000,
  trustProxy: false,
  ackTimeoutMs: 30_000,
  escalateAfterMs: 90_000,
  targetOnSceneMs: 170_000,
  emergencyNumber: '911',
  webhookUrl: null,
  webhookSecret: null,
  alertRateMax: 5,
  alertRateWindowMs: 600_000,
  demo: false,
  osmandPort: 5055,
  trackerUtcOffsetMin: -360,
  positionRetentionDays: 90,
  noSignalMs: 120_000,
  geofenceAllowanceMs: 300_000,
  osrmUrl: null,
  maxPositionBatch: 5000,
  publicUrl: 'http://127.0.0.1:8080',
  sms: null,
  reportsPerDevicePerHour: 10,
  reportsPerNetworkPerHour: 60,
};

/** Reads settings from the environment; collects every problem before failing. */
export function loadConfig(env: Env = process.env, overrides: Partial<Config> = {}): Config {
  const problems: string[] = [];
  const r = new Reader(env, problems);
  const config: Config = {
    host: r.string('HOST', defaultConfig.host),
    port: r.int('PORT', defaultConfig.port, 0, 65535),
    dataDir: resolve(r.string('CUADRANTE_DATA_DIR', defaultConfig.dataDir)),
    databaseUrl: r.postgresUrl('DATABASE_URL'),
    databaseSchema: r.identifier('CUADRANTE_DB_SCHEMA'),
    adminUsername: r.string('CUADRANTE_ADMIN_USERNAME', defaultConfig.adminUsername),
    adminPassword: r.password('CUADRANTE_ADMIN_PASSWORD'),
    seed: r.oneOf('CUADRANTE_SEED', ['cdmx', 'none'] as const, defaultConfig.seed),
    cityName: r.string('CUADRANTE_CITY_NAME', defaultConfig.cityName),
    cityLine: r.e164('CUADRANTE_CITY_LINE', defaultConfig.cityLine),
    basemapStyleUrl: r.url('CUADRANTE_BASEMAP_STYLE_URL'),
    tokenTtlHours: r.int('CUADRANTE_TOKEN_TTL_HOURS', defaultConfig.tokenTtlHours, 1, 24 * 90),
    maxImportBytes: r.int('CUADRANTE_MAX_IMPORT_BYTES', defaultConfig.maxImportBytes, 1024, 512 * 1024 * 1024),
    logLevel: r.oneOf('LOG_LEVEL', ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const, defaultConfig.logLevel),
    logRequests: r.bool('CUADRANTE_LOG_REQUESTS', defaultConfig.logRequests),
    syncIntervalMs: r.int('CUADRANTE_SYNC_INTERVAL_MS', defaultConfig.syncIntervalMs, 100, 3_600_000),
    trustProxy: r.bool('CUADRANTE_TRUST_PROXY', defaultConfig.trustProxy),
    ackTimeoutMs: r.int('CUADRANTE_ACK_TIMEOUT_S', 30, 1, 3600) * 1000,
    escalateAfterMs: r.int('CUADRANTE_ESCALATE_AFTER_S', 90, 2, 7200) * 1000,
    targetOnSceneMs: r.int('CUADRANTE_TARGET_ON_SCENE_S', 170, 10, 7200) * 1000,
    emergencyNumber: r.string('CUADRANTE_EMERGENCY_NUMBER', defaultConfig.emergencyNumber),
    webhookUrl: r.url('CUADRANTE_911_WEBHOOK_URL'),
    webhookSecret: r.string('CUADRANTE_911_WEBHOOK_SECRET', '') || null,
    alertRateMax: r.int('CUADRANTE_ALERT_RATE_MAX', defaultConfig.alertRateMax, 1, 1000),
    alertRateWindowMs: r.int('CUADRANTE_ALERT_RATE_WINDOW_S', 600, 1, 86_400) * 1000,
    demo: r.bool('CUADRANTE_DEMO', defaultConfig.demo),
    osmandPort: r.int('CUADRANTE_OSMAND_PORT', defaultConfig.osmandPort, 0, 65535),
    trackerUtcOffsetMin: r.int('CUADRANTE_TRACKER_UTC_OFFSET_MIN', defaultConfig.trackerUtcOffsetMin, -720, 840),
    positionRetentionDays: r.int('CUADRANTE_POSITION_RETENTION_DAYS', defaultConfig.positionRetentionDays, 1, 3650),
    noSignalMs: r.int('CUADRANTE_NO_SIGNAL_S', 120, 10, 86_400) * 1000,
    geofenceAllowanceMs: r.int('CUADRANTE_GEOFENCE_ALLOWANCE_S', 300, 0, 86_400) * 1000,
    osrmUrl: r.url('CUADRANTE_OSRM_URL'),
    maxPositionBatch: r.int('CUADRANTE_MAX_POSITION_BATCH', defaultConfig.maxPositionBatch, 1, 100_000),
    publicUrl: r.url('CUADRANTE_PUBLIC_URL') ?? '',
    sms: null,
    reportsPerDevicePerHour: r.int('CUADRANTE_REPORTS_PER_DEVICE_HOUR', defaultConfig.reportsPerDevicePerHour, 1, 100_000),
    reportsPerNetworkPerHour: r.int('CUADRANTE_REPORTS_PER_NETWORK_HOUR', defaultConfig.reportsPerNetworkPerHour, 1, 1_000_000),
  };
  if (!config.publicUrl) config.publicUrl = `http://${config.host}:${config.port}`;
  const smsUrl = r.url('CUADRANTE_SMS_URL');
  if (smsUrl) {
    const sid = r.string('CUADRANTE_SMS_ACCOUNT_SID', '');
    const token = r.string('CUADRANTE_SMS_AUTH_TOKEN', '');
    const from = r.string('CUADRANTE_SMS_FROM', '');
    if (!sid || !token || !from) problems.push('CUADRANTE_SMS_URL: also set CUADRANTE_SMS_ACCOUNT_SID, CUADRANTE_SMS_AUTH_TOKEN and CUADRANTE_SMS_FROM');
    else config.sms = { url: smsUrl, accountSid: sid, authToken: token, from };
  }
  if (config.escalateAfterMs <= config.ackTimeoutMs) problems.push('CUADRANTE_ESCALATE_AFTER_S: must be longer than CUADRANTE_ACK_TIMEOUT_S');
  if (config.webhookUrl && !config.webhookSecret) problems.push('CUADRANTE_911_WEBHOOK_SECRET: required when CUADRANTE_911_WEBHOOK_URL is set (the hand-off is signed)');
  if (problems.length > 0) throw new ConfigError(problems);
  return { ...config, ...overrides };
}

class Reader {
  constructor(private env: Env, private problems: string[]) {}

  private raw(key: string): string | undefined {
    const v = this.env[key];
    return v === undefined || v.trim() === '' ? undefined : v.trim();
  }
  private fail<T>(key: string, why: string, fallback: T): T {
    this.problems.push(`${key}: ${why}`);
    return fallback;
  }
  string(key: string, fallback: string): string { return this.raw(key) ?? fallback; }

  int(key: string, fallback: number, min: number, max: number): number {
    const v = this.raw(key);
    if (v === undefined) return fallback;
    const n = Number(v);
    if (!Number.isInteger(n) || n < min || n > max) return this.fail(key, `must be an integer from ${min} to ${max}, got "${v}"`, fallback);
    return n;
  }
  bool(key: string, fallback: boolean): boolean {
    const v = this.raw(key)?.toLowerCase();
    if (v === undefined) return fallback;
    if (['1', 'true', 'yes', 'on'].includes(v)) return true;
    if (['0', 'false', 'no', 'off'].includes(v)) return false;
    return this.fail(key, `must be true or false, got "${v}"`, fallback);
  }
  oneOf<T extends string>(key: string, options: readonly T[], fallback: T): T {
    const v = this.raw(key);
    if (v === undefined) return fallback;
    if ((options as readonly string[]).includes(v)) return v as T;
    return this.fail(key, `must be one of ${options.join(', ')}, got "${v}"`, fallback);
  }
  url(key: string): string | null {
    const v = this.raw(key);
    if (v === undefined) return null;
    if (!URL.canParse(v) || !/^https?:$/.test(new URL(v).protocol)) return this.fail(key, `must be an http(s) URL, got "${v}"`, null);
    return v;
  }
  postgresUrl(key: string): string | null {
    const v = this.raw(key);
    if (v === undefined) return null;
    if (!URL.canParse(v) || !/^postgres(ql)?:$/.test(new URL(v).protocol)) {
      return this.fail(key, 'must be a postgres:// or postgresql:// URL', null);
    }
    return v;
  }
  identifier(key: string): string | null {
    const v = this.raw(key);
    if (v === undefined) return null;
    if (!/^[a-z_][a-z0-9_]{0,62}$/.test(v)) return this.fail(key, `must be a lower-case SQL identifier, got "${v}"`, null);
    return v;
  }
  password(key: string): string | null {
    const v = this.env[key];
    if (v === undefined || v === '') return null;
    if (v.length < 12) return this.fail(key, 'must be at least 12 characters long', null);
    return v;
  }
  e164(key: string, fallback: string): string {
    const v = this.raw(key);
    if (v === undefined) return fallback;
    if (!/^\+[1-9]\d{6,14}$/.test(v)) return this.fail(key, `must be an E.164 number such as +525552089898, got "${v}"`, fallback);
    return v;
  }
}
