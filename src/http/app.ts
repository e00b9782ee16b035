// The app factory: every route and plugin, no listen(). The server, the tests (app.inject or
// a real port) and the benchmarks all build the app through here.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Fastify, { LogController, type FastifyInstance } from 'fastify';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import fastifyWebsocket from '@fastify/websocket';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { DomainError } from '../kernel/index.js';
import type { Config } from '../config/index.js';
import type { Services } from '../services.js';
import { accountRoutes } from '../accounts/routes.js';
import { auditRoutes } from '../audit/routes.js';
import { quadrantRoutes } from '../quadrants/routes.js';
import { dispatchRoutes } from '../dispatch/routes.js';
import { trackingRoutes } from '../tracking/routes.js';
import { extortionRoutes } from '../extortion/routes.js';
import { familyRoutes } from '../family/index.js';
import { healthRoutes } from '../health/index.js';
import { Health, PublicConfig } from '../contracts/quadrants.js';
import { registerAuth } from './auth.js';
import { clientErrorHandler, frameworkErrors, registerClosingRefusal, registerErrorHandling } from './errors.js';
import { registerClientNetwork } from './client.js';
import { schemaController } from './validation.js';
import { headerSets, registerSecurityHeaders } from './security-headers.js';
import { loggerOptions } from './logging.js';
import { registerRouteCatalogue } from './route-catalogue.js';

export interface BuildAppOptions {
  config: Config;
  services: Services;
  /** Directory of the built web pages; defaults to web/dist beside the package. */
  webDir?: string | null;
  /** Where log lines go (default stdout); tests read them. */
  logStream?: NodeJS.WritableStream;
}

/** Longest path parameter the router takes (Fastify's default); longer is a 414 URI_TOO_LONG. */
const MAX_PARAM_LENGTH = 100;
const defaultWebDir = fileURLToPath(new URL('../../web/dist/', import.meta.url));

export async function buildApp({ config, services, webDir = defaultWebDir, logStream }: BuildAppOptions): Promise<FastifyInstance> {
  const apiHeaders = headerSets({ basemapStyleUrl: config.basemapStyleUrl, publicUrl: config.publicUrl }).api;
  const app = Fastify({
    // Never a token, a coordinate, a body or a raw address in the log (logging.ts).
    logger: loggerOptions(config.logLevel, logStream),
    // Per-request log lines cost more than a /locate itself; opt in with CUADRANTE_LOG_REQUESTS.
    logController: new LogController({ disableRequestLogging: !config.logRequests }),
    // A hop count trusts that many proxies nearest to us (what Fastify does for a number).
    trustProxy: typeof config.trustProxy === 'number' ? trustHops(config.trustProxy) : config.trustProxy,
    bodyLimit: 1024 * 1024,
    // Never let a slow client hold a socket forever.
    requestTimeout: 30_000,
    // Bodies are validated as sent ({"lat":null} is refused, not read as 0); see validation.ts.
    schemaController: schemaController(),
    // The router's own refusals (a bad percent-escape, an overlong path parameter) in the catalogue's shape too.
    frameworkErrors: frameworkErrors(apiHeaders, MAX_PARAM_LENGTH),
    routerOptions: { maxParamLength: MAX_PARAM_LENGTH },
    // Node's parser refusals and requests during shutdown, in the catalogue's shape too (errors.ts).
    clientErrorHandler: clientErrorHandler(apiHeaders),
    return503OnClosing: false,
  }).withTypeProvider<TypeBoxTypeProvider>();

  registerRouteCatalogue(app);
  // First hook of all, so even an early refusal (401, 404, 413) carries the headers.
  registerSecurityHeaders(app, { basemapStyleUrl: config.basemapStyleUrl, publicUrl: config.publicUrl });
  registerErrorHandling(app);
  registerClosingRefusal(app);
  registerClientNetwork(app, services.secrets);
  registerAuth(app, services.accounts);
  registerBodyParsers(app);
  await registerOpenApi(app);

  app.get('/health', {
    schema: { tags: ['system'], summary: 'Ready when it answers', response: { 200: Health } },
  }, async () => ({
    status: 'ok' as const, engine: services.storage.engine,
    quadrantSetVersion: services.quadrants.current?.version ?? null,
    quadrants: services.quadrants.current?.quadrants.length ?? 0,
  }));

  // For load balancers: /health/live and /health/ready (src/health).
  await app.register(healthRoutes, { readiness: services.readiness });

  app.get('/api/v1/config/public', {
    schema: { tags: ['system'], summary: 'What the pages need to start: city, map style, languages', response: { 200: PublicConfig } },
  }, async () => ({
    basemapStyleUrl: config.basemapStyleUrl,
    city: { name: config.cityName, center: { lat: 19.4326, lon: -99.1332 }, zoom: 10, line: config.cityLine },
    defaultLang: 'es' as const,
    quadrantSetVersion: services.quadrants.current?.version ?? null,
  }));

  await app.register(accountRoutes, { accounts: services.accounts });
  await app.register(auditRoutes, { audit: services.audit });
  await app.register(quadrantRoutes, { quadrants: services.quadrants, maxImportBytes: config.maxImportBytes });
  await app.register(dispatchRoutes, {
    dispatch: services.dispatch, units: services.units, enrolment: services.enrolment, accounts: services.accounts, pins: services.pins,
    presenter: services.presenter,
    settings: { ackTimeoutMs: config.ackTimeoutMs, escalateAfterMs: config.escalateAfterMs, targetOnSceneMs: config.targetOnSceneMs, emergencyNumber: config.emergencyNumber, noSignalMs: config.noSignalMs, osmandPort: config.osmandPort },
    devices: services.devices,
  });
  await app.register(trackingRoutes, { tracking: services.tracking, localOffsetMinutes: config.trackerUtcOffsetMin, maxBatch: config.maxPositionBatch });
  await app.register(extortionRoutes, { extortion: services.extortion, keys: services.apiKeys, accounts: services.accounts, notifier: services.notifier, audit: services.audit, mode: config.mode });
  await app.register(familyRoutes, { checkins: services.checkins });
  await registerRealtime(app, services);

  if (webDir && existsSync(webDir)) {
    await app.register(fastifyStatic, { root: webDir, prefix: '/', wildcard: false, index: ['index.html'] });
    // The unit's page and the operations console, at the short paths people type.
    for (const [path, file] of [['/unidad', 'unidad.html'], ['/centro', 'centro.html'], ['/llamada', 'llamada.html'], ['/analistas', 'analistas.html'], ['/verificar', 'verificar.html']] as const) {
      app.get(path, { schema: { hide: true } }, (_req, reply) => reply.sendFile(file));
    }
  } else {
    app.log.warn({ webDir }, 'web pages not built; only the API is served');
  }
  return app;
}

function trustHops(n: number) {
  return (_address: string, hop: number) => hop < n;
}

async function registerRealtime(app: FastifyInstance, services: Services): Promise<void> {
  // The hub is built by the composition root (services.ts) and started/stopped by it (composition.ts).
  const hub = services.hub;
  await app.register(fastifyWebsocket, { options: { maxPayload: 4096 } });
  app.get('/api/v1/ws', {
    websocket: true,
    // Cut off from the bus: refused before the upgrade, so the load balancer's retry lands elsewhere.
    preValidation: async () => { if (!hub.accepting) throw new DomainError('NOT_READY', { failed: 'bus' }); },
    schema: { tags: ['realtime'], summary: 'Live alerts and units. Send {"type":"auth","token":"…"} first; you get a snapshot, then changes.' },
  }, (socket) => hub.attach(socket));
}

/** A \u0000 escape in JSON text (one not itself escaped: preceded by an even run of backslashes). */
const JSON_NUL = /(?<!\\)(?:\\\\)*\\u0000/;
const nulInBody = () => new DomainError('VALIDATION_FAILED', { detail: { es: 'el cuerpo contiene el carácter nulo (U+0000)', en: 'the body contains the NUL character (U+0000)' } });

function registerBodyParsers(app: FastifyInstance): void {
  // No body may carry U+0000, raw or escaped: PostgreSQL cannot store it in text (a 500), and the
  // imports (CSV, GeoJSON) have no schema that would refuse it (validation.ts does for the rest).
  const json = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  // GeoJSON is JSON; CSV arrives as text for the crime statistics import.
  app.addContentTypeParser(['application/json', 'application/geo+json'], { parseAs: 'string' },
    (req, body, done) => (JSON_NUL.test(body as string) ? done(nulInBody(), undefined) : json(req, body as string, done)));
  app.addContentTypeParser(['text/csv', 'text/plain'], { parseAs: 'string' },
    (_req, body, done) => ((body as string).includes('\0') ? done(nulInBody(), undefined) : done(null, body)));
}

async function registerOpenApi(app: FastifyInstance): Promise<void> {
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Cuadrante API',
        version: '1',
        description: 'Quadrant look-ups, threat levels and administration. Errors: {"error":{"code","message"}} in the language of Accept-Language (es by default, en).',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    },
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/docs' });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
}
