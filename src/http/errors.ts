// The one place where domain errors become HTTP responses. Every error body has the same shape:
// {"error": {"code", "message", "details"?}} with the message in the caller's language.
import { Type } from 'typebox';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DomainError, errorCatalogue, formatMessage, negotiateLang, type ErrorCode, type Localized } from '../kernel/index.js';

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
  app.setNotFoundHandler((req, reply) =>
    sendError(req, reply, new DomainError('ROUTE_NOT_FOUND', { method: req.method, url: req.url.split('?')[0]!.slice(0, 200) })));
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
 * Found by tests/http/fuzz.test.ts: these were Fastify's own {"error":"Bad Request",…} bodies.
 */
export function frameworkErrors(headers: Readonly<Record<string, string>>) {
  return (error: FastifyError, req: FastifyRequest, reply: FastifyReply): void => {
    for (const key in headers) reply.header(key, headers[key]);
    const detail: Localized = error.code === 'FST_ERR_MAX_PARAM_LENGTH'
      ? { es: 'un segmento de la ruta es demasiado largo', en: 'a path segment is too long' }
      : { es: 'la URL no es válida', en: 'the URL is not valid' };
    const domain = error.code === 'FST_ERR_BAD_URL' || error.code === 'FST_ERR_MAX_PARAM_LENGTH' ? new DomainError('VALIDATION_FAILED', { detail }) : new DomainError('INTERNAL');
    if (domain.code === 'INTERNAL') req.log.error({ err: error }, 'router error');
    sendError(req, reply, domain);
  };
}

/** Response schema shared by every route's 4xx/5xx documentation. */
export const errorSchema = Type.Object({
  error: Type.Object({
    code: Type.String({ description: 'Stable code from docs/ERRORS.md', examples: Object.keys(errorCatalogue).slice(0, 3) }),
    message: Type.String({ description: 'In the language of Accept-Language' }),
    details: Type.Optional(Type.Unknown()),
  }),
});

export { formatMessage };
