// Starts Cuadrante: configuration → storage (migrated) → services → the parts of the process in
// the order src/composition.ts documents (first-run data, deadlines, senders, retention, hub, ports,
// HTTP). Shutdown runs in reverse: stop accepting, stop the background work, flush buffered
// writes, close the database.
import type { FastifyInstance } from 'fastify';
import { loadConfig, ConfigError, describeListenError, type Config } from './config/index.js';
import { openStorage, lockDataDir, DataDirLockedError } from './storage/index.js';
import { createServices, type Services } from './services.js';
import { Lifecycle } from './composition.js';
import { createBus, NatsBus, type Subscription } from './bus/index.js';
import { PositionRelay, receiveChanges, resync } from './distribution.js';
import type { Fix } from './tracking/index.js';
import { hostname } from 'node:os';
import { buildApp } from './http/app.js';
import { seedCdmx, type SeedReport } from './seed/index.js';
import { seedDemoUnits } from './seed/index.js';
import { systemClock, uuidIds, type Clock, type IdGenerator } from './kernel/index.js';
import { loadSecrets } from './config/index.js';
import { wakeOnEscalation } from './dispatch/index.js';
import { createOsmAndServer, type OsmAndServer } from './tracking/index.js';
import { networkKey } from './http/client.js';
import type { RetentionJob } from './retention/index.js';

export interface RunningServer {
  app: FastifyInstance;
  services: Services;
  url: string;
  /** What the first-run data step did on this start (null when seeding is off). */
  seed: SeedReport | null;
  /** Every retention period, enforced at start-up and then hourly (src/retention). */
  retention: RetentionJob;
  close(): Promise<void>;
}

export async function startServer(config: Config, opts: { clock?: Clock; ids?: IdGenerator; webDir?: string | null } = {}): Promise<RunningServer> {
  // One server per SQLite file (src/storage/lock.ts); with PostgreSQL several instances are the point.
  const lock = config.databaseUrl ? null : lockDataDir(config.dataDir);
  let storage;
  let secrets;
  try {
    storage = await openStorage({
      databaseUrl: config.databaseUrl, dataDir: config.dataDir, schema: config.databaseSchema,
      // A server must not stop answering while a commit copies the WAL into the file (see checkpointer.ts).
      backgroundCheckpoints: true,
      onCheckpointError: (message) => process.stderr.write(`cuadrante: WAL checkpoint failed: ${message}\n`),
    });
    secrets = loadSecrets({ dataDir: config.dataDir, secretKey: config.secretKey });
  } catch (err) {
    await storage?.close();
    lock?.release();
    throw err;
  }
  const ids = opts.ids ?? uuidIds;
  const instanceId = `${hostname()}-${process.pid}-${ids().slice(0, 8)}`;
  // With CUADRANTE_NATS_URL, the bus between instances (it connects in the background: an instance
  // starts, and commits alerts, while NATS is down; the outbox keeps its events until it returns).
  const bus = createBus({ config, db: storage.db, instanceName: instanceId, log: { warn: (message, detail) => process.stderr.write(`cuadrante: ${message} ${detail ? JSON.stringify(detail) : ''}\n`) } });
  const services = createServices(storage, config, opts.clock ?? systemClock, ids, undefined, secrets, { bus, instanceId });
  /** Whether this instance is connected to the others: checked every 250 ms ('bus watch'). */
  let busUp = bus.mode === 'local';
  if (bus.mode === 'nats') {
    // The bus watch's view (below), so "ready" and "accepting live connections" never disagree.
    services.readiness.register({ name: 'bus', check: async () => { if (!busUp) throw new Error('not connected to NATS'); } });
  }
  let seed: SeedReport | null = null;
  let app: FastifyInstance | null = null;
  let listening = false;
  let address = '';
  let osmand: OsmAndServer | null = null;
  let sync: NodeJS.Timeout | null = null;
  let offWake: (() => void) | null = null;
  let offSweepLog: (() => void) | null = null;
  let busWatch: NodeJS.Timeout | null = null;
  let positionRelay: PositionRelay | null = null;
  let changesIn: Subscription | null = null;
  const http = () => app!;
  const onError = (err: unknown) => http().log.error({ err }, 'dispatch background task failed');
  const { scheduler, webhook, notifier, retention, hub, tracking } = services;

  const life = new Lifecycle([
    { name: 'data directory lock', stop: () => lock?.release() },
    { name: 'storage', stop: () => storage.close() },
    // Last to stop before the database: positions and sweep counts still in memory are written.
    { name: 'buffered writes', stop: () => tracking.flush() },
    // Stops after everything that changes data (its relay publishes their last events), before the database.
    {
      name: 'event bus',
      start: () => {
        if (bus.mode !== 'nats' || !services.changes) return;
        const remoteFixes = new WeakSet<Fix>();
        const receivers = {
          ...services, dispatchBus: services.bus, remoteFixes, onError: (err: unknown) => onError(err),
          // Missed events: caches read again, and every live client reconnects for a fresh snapshot.
          onGap: () => {
            if (app) http().log.warn('event bus: events were missed (stream reset or too long away): reloading and reconnecting clients');
            resync(services).then(() => { hub.setAvailable(false, 'reloading'); hub.setAvailable(busUp); }, (err: unknown) => onError(err));
          },
        };
        changesIn = receiveChanges(bus, instanceId, receivers);
        positionRelay = new PositionRelay(services.changes, services.trackingBus, remoteFixes, (err) => onError(err));
        positionRelay.start();
      },
      stop: async () => { await positionRelay?.stop(); await bus.close(); },
    },
    {
      // Without the bus this instance would show stale views: live clients are sent elsewhere (hub.setAvailable).
      name: 'bus watch', start: async () => {
        if (!(bus instanceof NatsBus)) return;
        const watch = () => {
          // Connected, and receiving the others' changes (a consumer that silently stopped is not ready).
          const now = bus.health().connected && (changesIn?.healthy ?? true);
          if (now === busUp) return;
          busUp = now;
          hub.setAvailable(now, 'event bus unavailable');
          if (app) http().log.warn({ connected: now }, now ? 'event bus connected: accepting live connections' : 'event bus lost: live connections sent to other instances');
        };
        hub.setAvailable(false, 'event bus not connected yet');
        busWatch = setInterval(watch, 250);
        busWatch.unref();
        // A normal start is ready at once; with NATS down the instance still starts (and commits alerts), not ready.
        for (let waited = 0; !busUp && waited < 2000; waited += 20) { watch(); if (!busUp) await new Promise((r) => setTimeout(r, 20)); }
      },
      stop: () => { if (busWatch) clearInterval(busWatch); },
    },
    {
      name: 'data', start: async () => {
        if (config.seed === 'cdmx') seed = await seedCdmx(services);
        const admin = await services.accounts.ensureAdmin(config.adminUsername, config.adminPassword);
        if (admin.generatedPassword) printFirstAdmin(config.adminUsername, admin.generatedPassword);
        await services.quadrants.reload();
      },
    },
    {
      name: 'app', start: async () => { app = await buildApp({ config, services, ...(opts.webDir !== undefined ? { webDir: opts.webDir } : {}) }); },
      stop: async () => { if (!listening) await app?.close(); },
    },
    {
      name: 'units and reputations', start: async () => {
        if (config.demo) await seedDemoUnits(services);
        await tracking.load();
        await services.extortion.load();
        await services.apiKeys.load();
      },
    },
    // Deadlines are re-read from the database here: an alert accepted before a crash escalates now.
    { name: 'deadline scheduler', start: () => scheduler.start(), stop: () => scheduler.stop() },
    {
      name: '911 sender', start: () => {
        if (!webhook) return;
        // The 911 hand-off goes out as soon as an escalation commits, not at the next poll.
        offWake = wakeOnEscalation(services.bus, webhook);
        webhook.start();
      },
      stop: async () => { offWake?.(); await webhook?.stop(); },
    },
    { name: 'SMS sender', start: () => notifier.start(), stop: () => notifier.stop() },
    // Retention: every period (alerts, locations, events, reports, SMS, check-ins, tokens, audit,
    // 911 outbox, positions, rate counters) now and then hourly, in bounded batches.
    {
      name: 'retention', start: () => retention.start({
        onError: (err) => http().log.error({ err }, 'retention step failed'),
        log: (run) => http().log.info({ retention: run.counts, failed: run.failed, ms: run.ms }, 'retention run'),
      }),
      stop: () => retention.stop(),
    },
    {
      // Picks up versions activated, contacts edited or crimes imported by the CLI or another instance.
      name: 'data sync', start: () => {
        sync = setInterval(() => {
          services.quadrants.refreshIfChanged().catch((err: unknown) => http().log.error({ err }, 'data refresh failed'));
        }, config.syncIntervalMs);
        sync.unref();
      },
      stop: () => { if (sync) clearInterval(sync); },
    },
    {
      name: 'realtime hub', start: () => {
        hub.start();
        // A sweep of tracker ids (many unregistered ids from one network) is an attack: say so in the log.
        offSweepLog = services.trackingBus.subscribe('sweep', (n) => http().log.warn({ trackerSweep: { network: n.network, unknownIds: n.unknownIds, blockedUntil: new Date(n.blockedUntil).toISOString() } },
          'tracker id sweep: a network sent many unregistered tracker ids and is throttled'));
      },
      stop: () => { offSweepLog?.(); hub.close(); },
    },
    {
      name: 'OsmAnd port', start: async () => {
        if (config.osmandPort > 0) osmand = await listenOsmAnd(services, config, onError, (message, details) => http().log.warn(details ?? {}, message));
      },
      stop: async () => { await osmand?.close(); },
    },
    // First to stop: no new request or socket; what is in flight is answered; sockets are closed.
    {
      name: 'http', start: async () => { address = await http().listen({ host: config.host, port: config.port }); listening = true; },
      stop: () => http().close(),
    },
  ], (part, err) => (app ? app.log.error({ err, part }, 'shutdown step failed') : console.error(err)));
  await life.start();

  return {
    app: http(), services, url: address, seed, retention,
    close: () => life.stop(),
  };
}

async function listenOsmAnd(services: Services, config: Config, onError: (err: unknown) => void, warn: (message: string, details?: Record<string, unknown>) => void): Promise<OsmAndServer> {
  const server = createOsmAndServer(services.tracking, {
    localOffsetMinutes: config.trackerUtcOffsetMin, onError, onWarning: warn,
    networkKey: (ip) => networkKey(services.secrets, ip),
    maxConnections: config.osmandMaxConnections, maxConnectionsPerSource: config.osmandMaxConnectionsPerSource,
  });
  await server.listen(config.osmandPort, config.host);
  return server;
}

function printFirstAdmin(username: string, password: string): void {
  const lines = [
    'Cuadrante — cuenta de administración creada / first admin account created',
    `  usuario / username:   ${username}`,
    `  contraseña / password: ${password}`,
    'Se muestra una sola vez. / Shown only once: store it now.',
  ];
  const width = Math.max(...lines.map((l) => l.length)) + 2;
  console.log(`\n┌${'─'.repeat(width)}┐\n${lines.map((l) => `│ ${l.padEnd(width - 1)}│`).join('\n')}\n└${'─'.repeat(width)}┘\n`);
}

export async function main(): Promise<void> {
  let config: Config;
  try {
    // `npm start -- --demo` seeds a few demo units (never silently in production).
    config = loadConfig(process.env, process.argv.includes('--demo') ? { demo: true } : {});
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(1);
    }
    throw err;
  }
  let server: RunningServer;
  try {
    server = await startServer(config);
  } catch (err) {
    const line = err instanceof DataDirLockedError ? err.message : describeListenError(err, config);
    if (line === null) throw err;
    console.error(line);
    process.exit(1);
  }
  server.app.log.info(`Cuadrante listening on ${server.url} (${server.services.storage.engine}, ${server.services.quadrants.current?.quadrants.length ?? 0} quadrants)`);
  const stop = (signal: string) => {
    server.app.log.info(`${signal}: shutting down`);
    server.close().then(() => process.exit(0), (err: unknown) => { console.error(err); process.exit(1); });
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}
