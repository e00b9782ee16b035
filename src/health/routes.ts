// HTTP face of health for load balancers and orchestrators. /health/live: the process answers
// (restart it if not). /health/ready: it can serve now (send it traffic if so) — every registered
// readiness check passed, else 503 NOT_READY naming the ones that did not. /health stays as it was
// (the benchmarks' baseline). None needs a credential: a probe has none. What a check threw goes to
// the log, once per change of state, not to the anonymous caller.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { DomainError, type Localized } from '../kernel/index.js';
import { errorResponses } from '../http/route-contract.js';
import { sendError } from '../http/errors.js';
import { HealthLive, HealthReady } from '../contracts/health.js';
import type { CheckResult, Readiness } from './readiness.js';

export interface HealthRouteOptions { readiness: Readiness }

const noStore = { 'cache-control': 'no-store' };

export const healthRoutes: FastifyPluginAsyncTypebox<HealthRouteOptions> = async (app, { readiness }) => {
  app.get('/health/live', {
    schema: { tags: ['system'], summary: 'Liveness: the process answers (never touches the database)', response: { 200: HealthLive } },
  }, async (_req, reply) => reply.headers(noStore).send({ status: 'live' as const }));

  let lastFailed = '';
  app.get('/health/ready', {
    schema: {
      tags: ['system'], summary: 'Readiness: every check (database, …) passed; 503 NOT_READY names those that did not',
      response: { 200: HealthReady, ...errorResponses(503) },
    },
  }, async (req, reply) => {
    const report = await readiness.evaluate();
    const failed = report.checks.filter((c) => !c.ok);
    const key = failed.map((c) => `${c.name}:${c.problem ?? ''}`).join(',');
    if (key !== lastFailed) {
      if (failed.length) req.log.warn({ readiness: failed.map((c) => ({ name: c.name, problem: c.problem, ms: Math.round(c.ms), err: c.error })) }, 'not ready');
      else req.log.info('ready again');
      lastFailed = key;
    }
    const checks = report.checks.map(publicResult);
    reply.headers(noStore);
    if (report.ready) return reply.send({ status: 'ready' as const, checks });
    return sendError(req, reply, new DomainError('NOT_READY', { failed: describe(failed) }, { checks }));
  });
};

const publicResult = (c: CheckResult) => ({ name: c.name, ok: c.ok, ms: Math.round(c.ms * 10) / 10, ...(c.problem ? { problem: c.problem } : {}) });

function describe(failed: CheckResult[]): Localized {
  const part = (lang: keyof Localized) => failed.map((c) => `${c.name} (${c.problem === 'timeout'
    ? (lang === 'es' ? `sin respuesta en ${c.timeoutMs} ms` : `no answer within ${c.timeoutMs} ms`)
    : (lang === 'es' ? 'falló' : 'failed')})`).join(', ');
  return { es: part('es'), en: part('en') };
}
