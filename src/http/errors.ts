// The one place where domain errors become HTTP responses. Every error body has the same shape:
// {"error": {"code", "message", "details"?}} with the message in the caller's language.
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import './route-catalogue.js';
import { ErrorBody } from '../contracts/common.js';
import { DomainError, formatMessage, negotiateLang, type ErrorCode, type Localized } from '../kernel/index.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Error code to use when this route's input fails schema validation (default VALIDATION_FAILED). */
    validationCode?: ErrorCode;
  }
}

export function sendError(req: FastifyRequest, reply: FastifyReply, err: DomainError): FastifyReply {
  const lang = negotiateLang(req.headers['accept-language']);
  const body: { code: string; message: string; details?: unknown } = { code: err.code, message: err.message_(lang) };
  if (err.details !== undefined) body.details = err.details;
  // A client that backs off on its own is better than one that retries at once.
  const seconds = err.params.seconds;
  if ((err.code === 'RATE_LIMITED' || err.code === 'SERVER_BUSY') && typeof seconds === 'number') reply.header('retry-after', String(Math.max(1, Math.ceil(seconds))));
  return reply.status(err.status).header('content-language', lang).send({ error: body });
}

export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, req, reply) => {
    const domain = toDomainError(error, req);
    if (domain.code === 'INTERNAL') req.log.error({ err: error }, 'unhandled error');
    return sendError(req, reply, domain);
  });
  const allowed = allowedMethods(app);
  app.setNotFoundHandler((req, reply) => {
    const url = req.url.split('?')[0]!;
    // A known path asked with a method it does not take is a 405 naming the ones it does (RFC 9110 §15.5.6).
    const allow = allowed(url);
    if (allow.length > 0 && !allow.includes(req.method)) {
      reply.header('allow', allow.join(', '));
      return sendError(req, reply, new DomainError('METHOD_NOT_ALLOWED', { method: req.method.slice(0, 20), url: url.slice(0, 200), allow: allow.join(', ') }));
    }
    return sendError(req, reply, new DomainError('ROUTE_NOT_FOUND', { method: req.method, url: url.slice(0, 200) }));
  });
}

/**
 * The methods registered for a concrete path, from the route catalogue (one regular expression per
 * route pattern, built once the catalogue stops growing). Only 404s pay for it.
 */
function allowedMethods(app: FastifyInstance): (path: string) => string[] {
  let compiled: { re: RegExp; method: string }[] = [];
  let from = -1;
  return (path) => {
    const routes = app.routeCatalogue;
    if (from !== routes.length) {
      compiled = routes.filter((r) => !r.websocket).map((r) => ({ re: patternRegExp(r.url), method: r.method }));
      from = routes.length;
    }
    return [...new Set(compiled.filter((c) => c.re.test(path)).map((c) => c.method))].sort();
  };
}

/** /api/v1/units/:id/track → ^/api/v1/units/[^/]+/track$; a trailing * matches the rest. */
function patternRegExp(url: string): RegExp {
  const body = url.split('/').map((seg) => {
    if (seg === '*') return '.*';
    if (seg.startsWith(':')) return '[^/]+';
    return seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }).join('/');
  return new RegExp(`^${body}$`);
}

function toDomainError(error: FastifyError, req: FastifyRequest): DomainError {
  if (error instanceof DomainError) return error;
  if (error.validation) {
    const code = req.routeOptions.config.validationCode ?? 'VALIDATION_FAILED';
    return new DomainError(code, { detail: describeValidation(error) });
  }
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new DomainError('BODY_TOO_LARGE', { limit: req.routeOptions.bodyLimit ?? 0 });
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new DomainError('UNSUPPORTED_MEDIA_TYPE');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return new DomainError('MALFORMED_JSON');
  }
  // Errors with a 4xx status raised by Fastify itself (e.g. a malformed URL) stay client errors.
  if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
    if (error instanceof SyntaxError) return new DomainError('MALFORMED_JSON');
    return new DomainError('VALIDATION_FAILED', { detail: error.message.slice(0, 200) });
  }
  return new DomainError('INTERNAL');
}

/** Ajv's first complaint, rephrased for people, in both languages. */
function describeValidation(error: FastifyError): Localized {
  const v = error.validation?.[0];
  if (!v) return { es: 'entrada inválida', en: 'invalid input' };
  const params = v.params as Record<string, unknown>;
  const field = [error.validationContext, ...v.instancePath.split('/').filter(Boolean)].join('.');
  const missing = typeof params.missingProperty === 'string' ? params.missingProperty : '';
  switch (v.keyword) {
    case 'required': return { es: `falta ${field}.${missing}`, en: `${field}.${missing} is required` };
    case 'type': return { es: `${field} debe ser de tipo ${String(params.type)}`, en: `${field} must be of type ${String(params.type)}` };
    case 'minimum': case 'exclusiveMinimum': return { es: `${field} debe ser ≥ ${String(params.limit)}`, en: `${field} must be ≥ ${String(params.limit)}` };
    case 'maximum': case 'exclusiveMaximum': return { es: `${field} debe ser ≤ ${String(params.limit)}`, en: `${field} must be ≤ ${String(params.limit)}` };
    case 'maxLength': return { es: `${field} admite como máximo ${String(params.limit)} caracteres`, en: `${field} allows at most ${String(params.limit)} characters` };
    case 'minLength': return { es: `${field} debe tener al menos ${String(params.limit)} caracteres`, en: `${field} needs at least ${String(params.limit)} characters` };
    case 'maxItems': return { es: `${field} admite como máximo ${String(params.limit)} elementos`, en: `${field} allows at most ${String(params.limit)} items` };
    case 'enum': case 'anyOf': case 'const': return { es: `${field} no es un valor permitido`, en: `${field} is not an allowed value` };
    case 'additionalProperties': return { es: `${field} no admite la propiedad ${String(params.additionalProperty)}`, en: `${field} does not allow property ${String(params.additionalProperty)}` };
    case 'nul': return { es: `${field} contiene el carácter nulo (U+0000)`, en: `${field} contains the NUL character (U+0000)` };
    case 'pattern': case 'format': return { es: `${field} no tiene el formato esperado`, en: `${field} does not have the expected format` };
    default: return { es: `${field} es inválido`, en: `${field} is invalid` };
  }
}

/**
 * Errors Fastify's router answers itself, before any hook or route runs (a malformed percent-escape
 * in the path, a path parameter past maxParamLength): in the catalogue's shape like every other
 * refusal, with the API's security headers (the onRequest hook that sets them never ran).
 * Found by tests/http/fuzz.test.ts: these were Fastify's own {"error":"Bad Request",…} bodies; an
 * overlong segment is a 414 (the URI is too long), not a 400.
 */
export function frameworkErrors(headers: Readonly<Record<string, string>>, maxParamLength: number) {
  return (error: FastifyError, req: FastifyRequest, reply: FastifyReply): void => {
    for (const key in headers) reply.header(key, headers[key]);
    const domain = error.code === 'FST_ERR_MAX_PARAM_LENGTH' ? new DomainError('URI_TOO_LONG', { limit: maxParamLength })
      : error.code === 'FST_ERR_BAD_URL' ? new DomainError('VALIDATION_FAILED', { detail: { es: 'la URL no es válida', en: 'the URL is not valid' } })
        : new DomainError('INTERNAL');
    if (domain.code === 'INTERNAL') req.log.error({ err: error }, 'router error');
    sendError(req, reply, domain);
  };
}

/**
 * What Node's HTTP parser refuses before Fastify sees a request (a malformed request line, headers
 * past the limit, a body that never finished arriving). No request exists yet, so no language was
 * asked for: Spanish, the API's default. Replaces Fastify's own {"error":"Bad Request",…} body.
 */
export function clientErrorHandler(headers: Readonly<Record<string, string>>) {
  return (err: NodeJS.ErrnoException, socket: Duplex): void => {
    // A reset connection has nobody left to answer.
    if (err.code === 'ECONNRESET' || socket.destroyed) return;
    const domain = new DomainError(err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 'REQUEST_TIMEOUT' : err.code === 'HPE_HEADER_OVERFLOW' ? 'HEADERS_TOO_LARGE' : 'MALFORMED_REQUEST');
    const body = JSON.stringify({ error: { code: domain.code, message: domain.message_('es') } });
    const extra = Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join('');
    if (socket.writable) {
      socket.write(`HTTP/1.1 ${domain.status} ${STATUS_CODES[domain.status]}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Language: es\r\n${extra}Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
    }
    socket.destroy(err);
  };
}

/**
 * Fastify answers requests that arrive while it closes with its own 503 body; this hook answers
 * them in the catalogue's shape instead (register with return503OnClosing: false).
 */
export function registerClosingRefusal(app: FastifyInstance): void {
  let closing = false;
  app.addHook('preClose', (done) => { closing = true; done(); });
  app.addHook('onRequest', (_req, reply, done) => {
    if (!closing) return done();
    reply.header('connection', 'close');
    done(new DomainError('SHUTTING_DOWN'));
  });
}

/** Response schema shared by every route's 4xx/5xx documentation: the contract's ErrorBody. */
export const errorSchema = ErrorBody;

export { formatMessage };
