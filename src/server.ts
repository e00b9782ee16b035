// Starts Cuadrante: configuration → storage (migrated) → services → first-run data and admin →
// HTTP. Shutdown runs in reverse order: stop accepting, close sockets, close the database.
import type { FastifyInstance } from 'fastify';
import { loadConfig, ConfigError, type Config } from './config/index.js';
import { openStorage } from './storage/index.js';
import { createServices, type Services } from './services.js';
import { buildApp } from './http/app.js';
import { seedCdmx, type SeedReport } from './seed/cdmx.js';
import { seedDemoUnits } from './seed/demo.js';
import { systemClock, uuidIds, type Clock, type IdGenerator } from './kernel/index.js';
import { loadSecrets } from './config/secrets.js';
import { DeadlineScheduler, WebhookSender } from './dispatch/index.js';
import { OutboxStore } from './dispatch/outbox.js';
import { wakeOnEscalation } from './dispatch/webhook.js';
import { createOsmAndServer, type OsmAndServer } from './tracking/index.js';
import { networkKey } from './http/client.js';
import { createRetentionJob, type RetentionJob } from './retention/index.js';

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
  const storage = await openStorage({
    databaseUrl: config.databaseUrl, dataDir: config.dataDir, schema: config.databaseSchema,
    // A server must not stop answering while a commit copies the WAL into the file (see checkpointer.ts).
    backgroundCheckpoints: true,
    onCheckpointError: (message) => process.stderr.write(`cuadrante: WAL checkpoint failed: ${message}\n`),
  });
  let secrets;
  try {
    secrets = loadSecrets({ dataDir: config.dataDir, secretKey: config.secretKey });
  } catch (err) {
    await storage.close();
    throw err;
  }
  const services = createServices(storage, config, opts.clock ?? systemClock, opts.ids ?? uuidIds, undefined, secrets);
  let seed: SeedReport | null = null;
  try {
    if (config.seed === 'cdmx') seed = await seedCdmx(services);
    const admin = await services.accounts.ensureAdmin(config.adminUsername, config.adminPassword);
    if (admin.generatedPassword) printFirstAdmin(config.adminUsername, admin.generatedPassword);
    await services.quadrants.reload();
  } catch (err) {
    await storage.close();
    throw err;
  }

  const app = await buildApp({ config, services, ...(opts.webDir !== undefined ? { webDir: opts.webDir } : {}) });
  const onError = (err: unknown) => app.log.error({ err }, 'dispatch background task failed');
  // Deadlines are re-read from the database here: an alert accepted before a crash escalates now.
  const scheduler = new DeadlineScheduler({
    clock: services.clock, fire: (id) => services.dispatch.processDeadline(id),
    load: (until) => services.dispatchStore.alertsWithDeadline(until), onError, sweepMs: Math.min(5000, config.ackTimeoutMs),
  });
  services.dispatch.useTimer(scheduler);
  await scheduler.start();
  const webhook = config.webhookUrl && config.webhookSecret
    ? new WebhookSender(new OutboxStore(services.storage.db), { url: config.webhookUrl, secret: config.webhookSecret, clock: services.clock, onError })
    : null;
  // The 911 hand-off goes out as soon as an escalation commits, not at the next poll.
  if (webhook) wakeOnEscalation(services.bus, webhook);
  webhook?.start();
  if (config.demo) await seedDemoUnits(services);
  await services.tracking.load();
  await services.extortion.load();
  await services.apiKeys.load();
  services.notifier.start();
  // A sweep of tracker ids (many unregistered ids from one network) is an attack: say so in the log.
  services.trackingBus.on('sweep', (n) => app.log.warn({ trackerSweep: { network: n.network, unknownIds: n.unknownIds, blockedUntil: new Date(n.blockedUntil).toISOString() } },
    'tracker id sweep: a network sent many unregistered tracker ids and is throttled'));
  const osmand = config.osmandPort > 0 ? await listenOsmAnd(services, config, onError, (message, details) => app.log.warn(details ?? {}, message)) : null;
  // Retention: every period (alerts, locations, events, reports, SMS, check-ins, tokens, audit,
  // 911 outbox, positions, rate counters) now and then hourly, in bounded batches.
  const retention = createRetentionJob(services, config);
  retention.start({
    onError: (err) => app.log.error({ err }, 'retention step failed'),
    log: (run) => app.log.info({ retention: run.counts, failed: run.failed, ms: run.ms }, 'retention run'),
  });
  // Picks up versions activated, contacts edited or crimes imported by the CLI or another instance.
  const sync = setInterval(() => {
    services.quadrants.refreshIfChanged().catch((err: unknown) => app.log.error({ err }, 'data refresh failed'));
  }, config.syncIntervalMs);
  sync.unref();

  const address = await app.listen({ host: config.host, port: config.port });
  let closing: Promise<void> | null = null;
  return {
    app, services, url: address, seed, retention,
    close: () => (closing ??= (async () => {
      clearInterval(sync);
      await retention.stop();
      scheduler.stop();
      await webhook?.stop();
      services.notifier.stop();
      if (osmand) await osmand.close();
      await app.close();
      await services.tracking.flush();
      await storage.close();
    })()),
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
  const server = await startServer(config);
  server.app.log.info(`Cuadrante listening on ${server.url} (${server.services.storage.engine}, ${server.services.quadrants.current?.quadrants.length ?? 0} quadrants)`);
  const stop = (signal: string) => {
    server.app.log.info(`${signal}: shutting down`);
    server.close().then(() => process.exit(0), (err: unknown) => { console.error(err); process.exit(1); });
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}
