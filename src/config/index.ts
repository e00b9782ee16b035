// One validated configuration, read once at start-up. Every key is documented in
// docs/CONFIGURATION.md; an invalid setting stops the process with a readable list.
import { isIP } from 'node:net';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isE164 } from '../rules/index.js';
import { parseSecretKey } from './secrets.js';

export { describeListenError } from './listen-errors.js';
export { ephemeralSecrets, loadSecrets, parseSecretKey, rotateSecrets, SECRET_FILE, type ServerSecrets } from './secrets.js';

function isIpOrCidr(s: string): boolean {
  const [addr = '', bits, ...rest] = s.split('/');
  if (rest.length || !isIP(addr)) return false;
  if (bits === undefined) return true;
  const n = Number(bits);
  return /^\d+$/.test(bits) && n >= 0 && n <= (isIP(addr) === 4 ? 32 : 128);
}

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
  /**
   * Which reverse proxies to believe about the client's address: false (none: the socket's peer is
   * the client), the proxies' addresses/CIDRs, or how many proxy hops sit in front. The address is
   * the rightmost one not added by a trusted proxy — never the leftmost X-Forwarded-For, which the
   * client writes itself.
   */
  trustProxy: false | string[] | number;
  /** production (default) or development: the development outbox page exists only in development. */
  mode: 'production' | 'development';
  /** The server's secret key (shared by every instance); without it, a key file in dataDir. */
  secretKey: string | null;
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
  /** Connections the OsmAnd port holds at once; null: half the process's open-file limit, less a reserve (never more). */
  osmandMaxConnections: number | null;
  /** Connections one client address may hold on the OsmAnd port. */
  osmandMaxConnectionsPerSource: number;
  /** Distinct unregistered tracker ids one network may send per hour before it is throttled (a sweep). */
  trackerUnknownIdsPerNetworkHour: number;
  /** A tracker's SOS pages by itself only if the unit had a fix this recent that it could have come from. */
  sosTrackWindowMs: number;
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
  /** Alerts one network (IPv4 /24, IPv6 /48) may raise per window before they wait for a dispatcher. */
  alertNetworkRateMax: number;
  alertNetworkRateWindowMs: number;
  /** Devices one network may register per hour before new ones start on probation (their alerts wait for a dispatcher). */
  devicesPerNetworkHour: number;
  /** …and the number past which registration is refused (429): a storage guard, far above any real use. */
  devicesPerNetworkHourMax: number;
  /** How long a device created past its network's limit stays on probation. */
  deviceProbationMs: number;
  /** "¿Estás bien?" messages one device may send per day. */
  checkinsPerDeviceDay: number;
  /** Messages any one phone number may be sent per day, whoever asks. */
  smsPerDestinationDay: number;
  /** Countries (ISO 3166 alpha-2) whose numbers may be sent SMS; never premium or special ranges. */
  smsCountries: string[];
  /** Disputes of listed numbers one network may file per hour (they need no account). */
  disputesPerNetworkHour: number;
  /** How long each kind of record is kept (days); docs/CONFIGURATION.md says what each covers. */
  retentionDays: RetentionDays;
  /** NATS servers (nats://host:port…) for the event bus between instances; null: the in-process bus of one instance. */
  natsUrl: string[] | null;
  /** The JetStream stream behind the bus (used only with natsUrl). */
  bus: BusSettings;
}

export interface BusSettings {
  /** Stream name; every instance of one deployment uses the same. */
  stream: string;
  /** First subject token: events are `<prefix>.<context>.<event>` and the stream holds `<prefix>.>`. */
  subjectPrefix: string;
  /** Stream replicas: 3 on a 3-node cluster (one node may die), 1 on a single server. */
  replicas: number;
  /** How long the stream keeps events (a reconnecting client is replayed at most this far back). */
  maxAgeMs: number;
  /** JetStream drops a re-published event id within this window (the relay re-sends after a lost ack). */
  duplicateWindowMs: number;
  /** Sent outbox rows are deleted after this long. */
  outboxRetentionMs: number;
}

export interface RetentionDays {
  /** Closed alerts, with their pages (response-time statistics reach back this far). */
  alerts: number;
  /** An alert's exact location: afterwards only its quadrant remains (lat/lon become the quadrant's interior point, a point surely inside it). */
  alertLocations: number;
  alertEvents: number;
  extortionReports: number;
  notifications: number;
  checkins: number;
  /** Expired or revoked sessions. */
  tokens: number;
  audit: number;
  webhookOutbox: number;
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
  // The project's own var/ (src/config or dist/config → ../../var), never the current directory's:
  // `npx cuadrante` run from elsewhere must open the same database, not silently create an empty one.
  dataDir: fileURLToPath(new URL('../../var', import.meta.url)),
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
  mode: 'production',
  secretKey: null,
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
  osmandMaxConnections: null,
  osmandMaxConnectionsPerSource: 256,
  trackerUnknownIdsPerNetworkHour: 50,
  sosTrackWindowMs: 600_000,
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
  alertNetworkRateMax: 10,
  alertNetworkRateWindowMs: 600_000,
  devicesPerNetworkHour: 20,
  devicesPerNetworkHourMax: 500,
  deviceProbationMs: 24 * 3600_000,
  checkinsPerDeviceDay: 10,
  smsPerDestinationDay: 5,
  smsCountries: ['MX'],
  disputesPerNetworkHour: 5,
  retentionDays: {
    alerts: 730, alertLocations: 90, alertEvents: 730, extortionReports: 730, notifications: 30,
    checkins: 30, tokens: 30, audit: 1825, webhookOutbox: 90,
  },
  natsUrl: null,
  bus: {
    stream: 'CUADRANTE_EVENTS', subjectPrefix: 'cuadrante', replicas: 1, maxAgeMs: 24 * 3600_000,
    duplicateWindowMs: 120_000, outboxRetentionMs: 3600_000,
  },
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
    trustProxy: r.trustProxy('CUADRANTE_TRUST_PROXY'),
    mode: r.oneOf('CUADRANTE_MODE', ['production', 'development'] as const, defaultConfig.mode),
    secretKey: r.secret('CUADRANTE_SECRET_KEY'),
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
    osmandMaxConnections: r.int('CUADRANTE_OSMAND_MAX_CONNECTIONS', 0, 0, 1_000_000) || null,
    osmandMaxConnectionsPerSource: r.int('CUADRANTE_OSMAND_MAX_CONNECTIONS_PER_SOURCE', defaultConfig.osmandMaxConnectionsPerSource, 1, 1_000_000),
    trackerUnknownIdsPerNetworkHour: r.int('CUADRANTE_TRACKER_UNKNOWN_IDS_PER_NETWORK_HOUR', defaultConfig.trackerUnknownIdsPerNetworkHour, 1, 1_000_000),
    sosTrackWindowMs: r.int('CUADRANTE_SOS_TRACK_WINDOW_S', 600, 10, 86_400) * 1000,
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
    alertNetworkRateMax: r.int('CUADRANTE_ALERTS_PER_NETWORK_MAX', defaultConfig.alertNetworkRateMax, 1, 1_000_000),
    alertNetworkRateWindowMs: r.int('CUADRANTE_ALERTS_PER_NETWORK_WINDOW_S', 600, 1, 86_400) * 1000,
    devicesPerNetworkHour: r.int('CUADRANTE_DEVICES_PER_NETWORK_HOUR', defaultConfig.devicesPerNetworkHour, 1, 1_000_000),
    devicesPerNetworkHourMax: r.int('CUADRANTE_DEVICES_PER_NETWORK_HOUR_MAX', defaultConfig.devicesPerNetworkHourMax, 1, 10_000_000),
    deviceProbationMs: r.int('CUADRANTE_DEVICE_PROBATION_H', 24, 0, 24 * 90) * 3600_000,
    checkinsPerDeviceDay: r.int('CUADRANTE_CHECKINS_PER_DEVICE_DAY', defaultConfig.checkinsPerDeviceDay, 1, 10_000),
    smsPerDestinationDay: r.int('CUADRANTE_SMS_PER_DESTINATION_DAY', defaultConfig.smsPerDestinationDay, 1, 10_000),
    smsCountries: r.countries('CUADRANTE_SMS_COUNTRIES', defaultConfig.smsCountries),
    disputesPerNetworkHour: r.int('CUADRANTE_DISPUTES_PER_NETWORK_HOUR', defaultConfig.disputesPerNetworkHour, 1, 100_000),
    retentionDays: {
      alerts: r.int('CUADRANTE_RETENTION_ALERTS_DAYS', defaultConfig.retentionDays.alerts, 1, 36_500),
      alertLocations: r.int('CUADRANTE_RETENTION_ALERT_LOCATIONS_DAYS', defaultConfig.retentionDays.alertLocations, 1, 36_500),
      alertEvents: r.int('CUADRANTE_RETENTION_ALERT_EVENTS_DAYS', defaultConfig.retentionDays.alertEvents, 1, 36_500),
      extortionReports: r.int('CUADRANTE_RETENTION_EXTORTION_REPORTS_DAYS', defaultConfig.retentionDays.extortionReports, 1, 36_500),
      notifications: r.int('CUADRANTE_RETENTION_NOTIFICATIONS_DAYS', defaultConfig.retentionDays.notifications, 1, 36_500),
      checkins: r.int('CUADRANTE_RETENTION_CHECKINS_DAYS', defaultConfig.retentionDays.checkins, 1, 36_500),
      tokens: r.int('CUADRANTE_RETENTION_TOKENS_DAYS', defaultConfig.retentionDays.tokens, 1, 36_500),
      audit: r.int('CUADRANTE_RETENTION_AUDIT_DAYS', defaultConfig.retentionDays.audit, 1, 36_500),
      webhookOutbox: r.int('CUADRANTE_RETENTION_WEBHOOK_OUTBOX_DAYS', defaultConfig.retentionDays.webhookOutbox, 1, 36_500),
    },
    natsUrl: r.natsServers('CUADRANTE_NATS_URL'),
    bus: {
      stream: r.natsName('CUADRANTE_NATS_STREAM', defaultConfig.bus.stream),
      subjectPrefix: r.natsName('CUADRANTE_NATS_SUBJECT_PREFIX', defaultConfig.bus.subjectPrefix),
      replicas: r.int('CUADRANTE_NATS_REPLICAS', defaultConfig.bus.replicas, 1, 5),
      maxAgeMs: r.int('CUADRANTE_NATS_MAX_AGE_H', 24, 1, 24 * 365) * 3600_000,
      duplicateWindowMs: r.int('CUADRANTE_NATS_DUPLICATE_WINDOW_S', 120, 1, 86_400) * 1000,
      outboxRetentionMs: r.int('CUADRANTE_BUS_OUTBOX_RETENTION_H', 1, 1, 24 * 90) * 3600_000,
    },
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
  if (config.retentionDays.alertLocations > config.retentionDays.alerts) problems.push('CUADRANTE_RETENTION_ALERT_LOCATIONS_DAYS: cannot be longer than CUADRANTE_RETENTION_ALERTS_DAYS');
  if (config.retentionDays.alertEvents > config.retentionDays.alerts) problems.push('CUADRANTE_RETENTION_ALERT_EVENTS_DAYS: cannot be longer than CUADRANTE_RETENTION_ALERTS_DAYS');
  if (config.devicesPerNetworkHourMax < config.devicesPerNetworkHour) problems.push('CUADRANTE_DEVICES_PER_NETWORK_HOUR_MAX: must be at least CUADRANTE_DEVICES_PER_NETWORK_HOUR');
  if (config.webhookUrl && !config.webhookSecret) problems.push('CUADRANTE_911_WEBHOOK_SECRET: required when CUADRANTE_911_WEBHOOK_URL is set (the hand-off is signed)');
  if (config.bus.duplicateWindowMs > config.bus.maxAgeMs) problems.push('CUADRANTE_NATS_DUPLICATE_WINDOW_S: cannot be longer than CUADRANTE_NATS_MAX_AGE_H');
  // Several instances share one database; the embedded SQLite file belongs to one process (storage/lock.ts).
  if (config.natsUrl && !config.databaseUrl) problems.push('CUADRANTE_NATS_URL: several instances need a shared PostgreSQL database: also set DATABASE_URL');
  // …and one secret key: each instance's own key file would hash the same network differently, and N instances would give N× every limit.
  if (config.natsUrl && !config.secretKey) problems.push('CUADRANTE_NATS_URL: several instances must share one secret key: also set CUADRANTE_SECRET_KEY');
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
  /** Addresses/CIDRs of trusted proxies (comma-separated), or a hop count; never "trust everyone". */
  trustProxy(key: string): false | string[] | number {
    const v = this.raw(key);
    if (v === undefined || ['0', 'false', 'no', 'off'].includes(v.toLowerCase())) return false;
    if (/^\d+$/.test(v)) {
      const n = Number(v);
      return n >= 1 && n <= 10 ? n : this.fail(key, `a hop count must be from 1 to 10, got "${v}"`, false);
    }
    if (['1', 'true', 'yes', 'on'].includes(v.toLowerCase())) {
      return this.fail(key, 'trusting every proxy would let any client choose its own address with X-Forwarded-For: give the proxies\' addresses or CIDRs (e.g. 10.0.0.0/8,127.0.0.1) or a hop count', false);
    }
    const list = v.split(',').map((x) => x.trim()).filter(Boolean);
    const bad = list.filter((x) => !isIpOrCidr(x) && !['loopback', 'linklocal', 'uniquelocal'].includes(x));
    if (bad.length) return this.fail(key, `not an IP address or CIDR: ${bad.join(', ')}`, false);
    return list;
  }
  /** Comma-separated NATS servers: nats:// or tls:// URLs, or bare host:port (the Node transport speaks no WebSocket). */
  natsServers(key: string): string[] | null {
    const v = this.raw(key);
    if (v === undefined) return null;
    const list = v.split(',').map((x) => x.trim()).filter(Boolean);
    const bad = list.filter((x) => {
      const url = /^[a-z]+:\/\//i.test(x) ? x : `nats://${x}`;
      return !URL.canParse(url) || !/^(nats|tls):$/.test(new URL(url).protocol) || !new URL(url).hostname;
    });
    if (bad.length || list.length === 0) return this.fail(key, `must be NATS servers such as nats://10.0.0.1:4222,nats://10.0.0.2:4222, got "${v}"`, null);
    return list;
  }
  /** A JetStream stream name or subject token: letters, digits, - and _ (no dots, spaces or wildcards). */
  natsName(key: string, fallback: string): string {
    const v = this.raw(key);
    if (v === undefined) return fallback;
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(v)) return this.fail(key, `must be 1-64 letters, digits, - or _, got "${v}"`, fallback);
    return v;
  }
  secret(key: string): string | null {
    const v = this.raw(key);
    if (v === undefined) return null;
    if (!parseSecretKey(v)) return this.fail(key, 'must be 64 hex characters or base64 of at least 32 random bytes (e.g. `openssl rand -hex 32`)', null);
    return v;
  }
  countries(key: string, fallback: string[]): string[] {
    const v = this.raw(key);
    if (v === undefined) return fallback;
    const list = v.split(',').map((x) => x.trim().toUpperCase()).filter(Boolean);
    const bad = list.filter((x) => !/^[A-Z]{2}$/.test(x));
    if (bad.length || list.length === 0) return this.fail(key, `must be ISO 3166 alpha-2 codes such as MX,US, got "${v}"`, fallback);
    return list;
  }
  e164(key: string, fallback: string): string {
    const v = this.raw(key);
    if (v === undefined) return fallback;
    if (!isE164(v)) return this.fail(key, `must be an E.164 number such as +525552089898, got "${v}"`, fallback);
    return v;
  }
}
