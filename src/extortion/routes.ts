// HTTP face of extortion defence: report, look up (plain and k-anonymous), the carriers' keyed
// API and blocklist feed, disputes, the analysts' console (contacts and check-ins are src/family).
import { createHash } from 'node:crypto';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { DomainError } from '../kernel/index.js';
import { errorResponses, prebuilt } from '../http/route-contract.js';
import { BytesCache, responseSerializer, sendJsonBytes } from '../http/answer-bytes.js';
import {
  AnalystReputation, ApiKeyView, BlocklistCsv, BlocklistFeed, Campaign, CaseFile, CaseFileCsv, Dispute, DisputeReceipt, IssuedApiKey, NumberPage,
  NumberParam, NumberReputation, OutboxMessage, ProtectedNumber, RangeEntry, ReportBody as ReportBodyContract, ReportReceipt, ReportView, ScamTypeInfo, Stats,
} from '../contracts/extortion.js';
import { bearerSecurity, bearerToken } from '../http/auth.js';
import type { AccountService, Principal } from '../accounts/index.js';
import type { AuditLog } from '../audit/index.js';
import type { Notifier } from '../notify/index.js';
import type { ApiKeyService } from './api-keys.js';
import type { ExtortionService } from './service.js';
import { SCAM_TYPES } from './domain/scam-types.js';
import type { Reputation } from './domain/reputation.js';
import { inFeed } from './domain/blocklist-index.js';
import { csvCell } from './domain/views.js';

export interface ExtortionRoutesOptions {
  extortion: ExtortionService; keys: ApiKeyService; accounts: AccountService; notifier: Notifier;
  audit: AuditLog;
  /** The development outbox route exists only in development. */
  mode: 'production' | 'development';
}

const scamTypes = Object.keys(SCAM_TYPES) as [string, ...string[]];
const Number_ = NumberParam;
/** The contract's report, with `type` narrowed to the scam types this server knows. */
const ReportBody = Type.Object({
  ...ReportBodyContract.properties,
  type: Type.Union(scamTypes.map((t) => Type.Literal(t)) as never) as unknown as ReturnType<typeof Type.String>,
}, { additionalProperties: false });

/** What anyone may see of a number: no reporter identities, no report texts. */
function publicView(e164: string, r: Reputation) {
  return {
    number: e164, level: r.level, explanation: r.explanation, reports: r.reports, independentReporters: r.independentReporters,
    lastReportAt: r.lastReportAt === null ? null : new Date(r.lastReportAt).toISOString(), topTypes: r.topTypes, underReview: r.underReview,
  };
}

export const extortionRoutes: FastifyPluginAsyncTypebox<ExtortionRoutesOptions> = async (app, o) => {
  /** A reputation object is replaced, never changed, when its number changes: its answer can be kept with it. */
  const publicBytes = new BytesCache<Reputation>();
  /** Reports may be anonymous; a device credential, when sent, is used only as a keyed hash. */
  const optionalUser = async (token: string | null): Promise<Principal | null> => {
    if (!token) return null;
    try { return await o.accounts.authenticate(token); } catch { return null; }
  };

  app.get('/api/v1/extortion/types', {
    schema: { tags: ['extortion'], summary: 'The scam types with their Spanish and English names', response: { 200: Type.Array(ScamTypeInfo) } },
  }, async () => Object.entries(SCAM_TYPES).map(([id, t]) => ({ id, ...t })));

  app.post('/api/v1/extortion/reports', {
    schema: {
      tags: ['extortion'], summary: 'Report an extortion number (anonymous allowed; a device credential, when sent, tells reporters apart)', body: ReportBody,
      response: { 201: ReportReceipt, ...errorResponses(400, 413, 415, 429) },
    },
    bodyLimit: 16 * 1024,
  }, async (req, reply) => {
    // Only the server's own credential says which device this is: an X-Device-Id the client
    // chose would let it be a new reporter (and get a new allowance) with every request.
    const who = await optionalUser(bearerToken(req));
    const r = await o.extortion.report(req.body as never, { userId: who?.userId ?? null, role: who?.role ?? null, ip: req.ip, networkKey: req.networkKey });
    return reply.status(201).send({ id: r.id, ...publicView(r.e164, r.reputation) });
  });

  app.get('/api/v1/numbers/:number', {
    schema: { tags: ['extortion'], summary: "A number's reputation (the simple case; the page uses the range query)", params: Type.Object({ number: Number_ }), response: { 200: prebuilt(NumberReputation), ...errorResponses(400, 414) } },
  }, async (req, reply) => {
    const { e164, reputation } = o.extortion.lookup(req.params.number);
    return sendJsonBytes(reply, publicBytes.get(reputation, responseSerializer(reply), (rep) => publicView(e164, rep)));
  });

  app.get('/api/v1/numbers/range/:prefix', {
    schema: {
      tags: ['extortion'], summary: 'k-anonymous look-up: send the first 5 hex characters of SHA-256(E.164); get every listed entry under it and match locally',
      params: Type.Object({ prefix: Type.String({ maxLength: 5, minLength: 5 }) }), response: { 200: Type.Array(RangeEntry), ...errorResponses(400, 414) },
    },
  }, async (req, reply) => reply.header('cache-control', 'public, max-age=60').send(o.extortion.range(req.params.prefix) as RangeEntry[]));

  app.post('/api/v1/numbers/:number/disputes', {
    schema: {
      tags: ['extortion'], summary: "The number's owner disputes its listing; it goes to the analysts' review queue (limited per network and per number)",
      params: Type.Object({ number: Number_ }),
      body: Type.Object({ ownerName: Type.String({ minLength: 2, maxLength: 120 }), contact: Type.String({ minLength: 3, maxLength: 200 }), reason: Type.String({ minLength: 5, maxLength: 2000 }) }, { additionalProperties: false }),
      response: { 201: DisputeReceipt, ...errorResponses(400, 404, 413, 414, 415, 429) },
    },
  }, async (req, reply) => reply.status(201).send(await o.extortion.dispute(req.params.number, req.body, req.networkKey)));

  // ——— carriers and call-blocking apps (API key in X-Api-Key) ———
  app.get('/api/v1/carrier/numbers/:number', {
    schema: { tags: ['carriers'], summary: 'Keyed, rate-limited look-up', params: Type.Object({ number: Number_ }), headers: Type.Object({ 'x-api-key': Type.Optional(Type.String()) }), response: { 200: NumberReputation, ...errorResponses(400, 401, 414, 429) } },
  }, async (req) => {
    await o.keys.check(req.headers['x-api-key']);
    const r = o.extortion.lookup(req.params.number);
    return publicView(r.e164, r.reputation);
  });

  app.get('/api/v1/carrier/blocklist', {
    schema: {
      tags: ['carriers'], summary: 'Every number at "probable" or "confirmed"; CSV or JSON; ETag; `since` for what entered or left (listed: false)',
      querystring: Type.Object({ format: Type.Union([Type.Literal('json'), Type.Literal('csv')], { default: 'json' }), since: Type.Optional(Type.String({ format: 'date-time' })) }),
      headers: Type.Object({ 'x-api-key': Type.Optional(Type.String()) }), response: {
        200: { description: 'The feed (JSON, or CSV with format=csv)', content: { 'application/json': { schema: prebuilt(BlocklistFeed) }, 'text/csv': { schema: BlocklistCsv } } },
        304: Type.Null({ description: 'Not modified since the ETag in If-None-Match' }), ...errorResponses(400, 401, 429),
      },
    },
  }, async (req, reply) => {
    await o.keys.check(req.headers['x-api-key']);
    const since = req.query.since ? Date.parse(req.query.since) : null;
    // Incremental: what entered, left or changed level in the feed after `since`; a number that
    // left (cleared, or back down to suspicious) comes with listed: false, so a consumer removes it.
    const feed = o.extortion.feedAsOf(since);
    const entries = feed.rows
      .map((r) => ({ number: r.e164, level: r.level, listed: inFeed(r.level), reports: r.reports, independentReporters: r.independentReporters, changedAt: new Date(r.feedChangedAt).toISOString() }));
    const body = req.query.format === 'csv'
      ? ['number,level,reports,independent_reporters,changed_at,listed', ...entries.map((e) => `${e.number},${e.level},${e.reports},${e.independentReporters},${e.changedAt},${e.listed}`)].join('\n') + '\n'
      : JSON.stringify({ generatedAt: new Date(feed.generatedAt).toISOString(), entries });
    const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
    if (req.headers['if-none-match'] === etag) return reply.status(304).header('etag', etag).send(null);
    return reply.header('etag', etag).type(req.query.format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8').send(body);
  });

  // ——— analysts ———
  const analyst = { access: 'extortion:review' as const };
  app.get('/api/v1/extortion/queue', { schema: { tags: ['analysts'], summary: 'New reports, without reporter identities (the read is audited)', security: bearerSecurity, response: { 200: Type.Array(ReportView), ...errorResponses(401, 403) } }, config: analyst },
    async (req) => o.extortion.queue(req.principal!.userId));
  app.get('/api/v1/extortion/numbers/:number', { schema: { tags: ['analysts'], summary: "A number's page: timeline, types, claims, accounts, reporters as letters A, B, C (audited)", params: Type.Object({ number: Number_ }), security: bearerSecurity, response: { 200: NumberPage, ...errorResponses(400, 401, 403, 414) } }, config: analyst },
    async (req) => o.extortion.numberPage(req.principal!.userId, o.extortion.parse(req.params.number)));
  app.post('/api/v1/extortion/numbers/:number/decision', {
    schema: { tags: ['analysts'], summary: 'Confirm, reject (a legitimate number), or reset', params: Type.Object({ number: Number_ }), security: bearerSecurity,
      body: Type.Object({ status: Type.Union([Type.Literal('confirmed'), Type.Literal('rejected'), Type.Null()]), note: Type.Optional(Type.String({ maxLength: 1000 })) }, { additionalProperties: false }), response: { 200: AnalystReputation, ...errorResponses(400, 401, 403, 413, 414, 415) } },
    config: analyst,
  }, async (req) => o.extortion.decide(req.principal!.userId, req.params.number, req.body.status, req.body.note ?? null));
  app.get('/api/v1/extortion/disputes', { schema: { tags: ['analysts'], summary: 'Disputes', querystring: Type.Object({ status: Type.Optional(Type.String({ maxLength: 10 })) }), security: bearerSecurity, response: { 200: Type.Array(Dispute), ...errorResponses(400, 401, 403) } }, config: analyst },
    async (req) => o.extortion.disputes(req.query.status ?? null));
  app.post('/api/v1/extortion/disputes/:id/resolution', {
    schema: { tags: ['analysts'], summary: 'Uphold (clears the number) or deny a dispute', params: Type.Object({ id: Type.String({ maxLength: 64 }) }), security: bearerSecurity,
      body: Type.Object({ outcome: Type.Union([Type.Literal('upheld'), Type.Literal('denied')]), note: Type.Optional(Type.String({ maxLength: 1000 })) }, { additionalProperties: false }), response: { 200: AnalystReputation, ...errorResponses(400, 401, 403, 404, 409, 413, 414, 415) } },
    config: analyst,
  }, async (req) => o.extortion.resolveDispute(req.principal!.userId, req.params.id, req.body.outcome, req.body.note ?? null));
  app.get('/api/v1/extortion/protected', { schema: { tags: ['analysts'], summary: 'Protected numbers (emergency, government, banks, businesses)', security: bearerSecurity, response: { 200: Type.Array(ProtectedNumber), ...errorResponses(401, 403) } }, config: analyst },
    async () => o.extortion.protectedList());
  app.put('/api/v1/extortion/protected/:number', {
    schema: { tags: ['analysts'], summary: 'Protect a number (shown as "possibly spoofed", never as extortion)', params: Type.Object({ number: Number_ }), security: bearerSecurity,
      body: Type.Object({ label: Type.String({ minLength: 2, maxLength: 120 }) }, { additionalProperties: false }), response: { 200: AnalystReputation, ...errorResponses(400, 401, 403, 413, 414, 415) } },
    config: { access: 'extortion:protect' },
  }, async (req) => o.extortion.setProtected(req.principal!.userId, req.params.number, req.body.label));
  app.delete('/api/v1/extortion/protected/:number', {
    schema: { tags: ['analysts'], summary: 'Unprotect a number', params: Type.Object({ number: Number_ }), security: bearerSecurity, response: { 200: AnalystReputation, ...errorResponses(400, 401, 403, 414) } },
    config: { access: 'extortion:protect' },
  }, async (req) => o.extortion.setProtected(req.principal!.userId, req.params.number, null));
  app.get('/api/v1/extortion/campaigns', { schema: { tags: ['analysts'], summary: 'Numbers sharing a bank account or a script within a window', querystring: Type.Object({ days: Type.Integer({ minimum: 1, maximum: 365, default: 30 }) }), security: bearerSecurity, response: { 200: Type.Array(Campaign), ...errorResponses(400, 401, 403) } }, config: analyst },
    async (req) => o.extortion.campaigns(req.query.days));
  app.get('/api/v1/extortion/stats', { schema: { tags: ['analysts'], summary: 'Reports by type and ISO week', querystring: Type.Object({ from: Type.Optional(Type.String({ format: 'date-time' })), to: Type.Optional(Type.String({ format: 'date-time' })) }), security: bearerSecurity, response: { 200: Stats, ...errorResponses(400, 401, 403) } }, config: analyst },
    async (req) => {
      return o.extortion.stats(req.query.from ? Date.parse(req.query.from) : null, req.query.to ? Date.parse(req.query.to) : null);
    });
  app.post('/api/v1/extortion/exports', {
    schema: { tags: ['analysts'], summary: 'A case file (JSON or CSV) for the cyber police or 089 — no reporter identities', security: bearerSecurity,
      body: Type.Object({ numbers: Type.Array(Number_, { minItems: 1, maxItems: 200 }), format: Type.Union([Type.Literal('json'), Type.Literal('csv')], { default: 'json' }) }, { additionalProperties: false }), response: { 200: { description: 'The case file (JSON, or CSV with format: csv)', content: { 'application/json': { schema: CaseFile }, 'text/csv': { schema: CaseFileCsv } } }, ...errorResponses(400, 401, 403, 413, 415) } },
    config: analyst,
  }, async (req, reply) => {
    const c = await o.extortion.caseExport(req.principal!.userId, req.body.numbers);
    if (req.body.format !== 'csv') return reply.type('application/json; charset=utf-8').send(c);
    const cols = ['id', 'number', 'channel', 'type', 'occurredAt', 'claimed', 'amountMxn', 'paid', 'clabe', 'card', 'bank', 'reportedAt'] as const;
    // csvCell neutralises formulas: a victim's "=HYPERLINK(…)" stays text in the officer's spreadsheet.
    const csv = [cols.join(','), ...c.reports.map((r) => cols.map((k) => csvCell(r[k])).join(','))].join('\n') + '\n';
    return reply.type('text/csv; charset=utf-8').header('content-disposition', 'attachment; filename="caso-extorsion.csv"').send(csv);
  });
  app.get('/api/v1/extortion/api-keys', { schema: { tags: ['carriers'], summary: 'Carrier API keys', security: bearerSecurity, response: { 200: Type.Array(ApiKeyView), ...errorResponses(401, 403) } }, config: { access: 'users:manage' } },
    async () => o.keys.list());
  app.post('/api/v1/extortion/api-keys', {
    schema: { tags: ['carriers'], summary: 'Issue a key for a carrier or call-blocking app (shown once)', security: bearerSecurity,
      body: Type.Object({ name: Type.String({ minLength: 2, maxLength: 120 }), perMinute: Type.Integer({ minimum: 1, maximum: 1_000_000, default: 600 }) }, { additionalProperties: false }), response: { 201: IssuedApiKey, ...errorResponses(400, 401, 403, 413, 415) } },
    config: { access: 'users:manage' },
  }, async (req, reply) => reply.status(201).send(await o.keys.create(req.principal!.userId, req.body.name, req.body.perMinute)));
  app.delete('/api/v1/extortion/api-keys/:id', { schema: { tags: ['carriers'], summary: 'Revoke a key', params: Type.Object({ id: Type.String({ maxLength: 64 }) }), security: bearerSecurity, response: { 204: Type.Null(), ...errorResponses(400, 401, 403, 404, 414) } }, config: { access: 'users:manage' } },
    async (req, reply) => { await o.keys.revoke(req.principal!.userId, req.params.id); return reply.status(204).send(null); });

  // Development only: in production the route does not exist (404), so no one can read links
  // waiting in the outbox. Each read is audited all the same.
  if (o.mode === 'development') {
    app.get('/api/v1/dev/outbox', {
      schema: { tags: ['system'], summary: 'Development only: messages in the outbox (the delivery itself when no SMS provider is configured)', security: bearerSecurity, response: { 200: Type.Array(OutboxMessage), ...errorResponses(401, 403, 404) } },
      config: { access: 'users:manage' },
    }, async (req) => {
      if (o.notifier.delivers) throw new DomainError('NOT_FOUND');
      const messages = await o.notifier.outbox();
      await o.audit.record(req.principal!.userId, 'notify.outbox.read', null, { messages: messages.length });
      return messages;
    });
  }
};
