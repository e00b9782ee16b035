// What the server's log (pino, through Fastify) may contain: never a credential, a coordinate or a
// request body, and never a raw client address.
//
// With CUADRANTE_LOG_REQUESTS on, every request is logged with its URL: /api/v1/locate?lat=…&lon=…
// is where someone stands, /api/v1/osmand?id=… is a tracker's only credential, and check-in links
// carry their token in the path. Those values are replaced before the line is written. Headers
// (Authorization, X-Api-Key, cookies) are not serialised at all, and are redacted by path as well
// in case anything logs them. Errors are logged by a whitelist (type, message, stack, code): a
// database error's `detail` or an error carrying a body never reaches the log.
import type { FastifyServerOptions } from 'fastify';

export const REDACTED = '[redacted]';

/** Query parameters whose values are never logged (compared case-insensitively). */
const SECRET_PARAMS = new Set([
  'lat', 'lon', 'lng', 'latitude', 'longitude', 'location', 'accuracy',
  'token', 'key', 'api_key', 'apikey', 'access_token', 'password', 'pin',
  // OsmAnd / Traccar Client: the device id is the tracker's only credential.
  'id', 'deviceid', 'device_id',
]);

/**
 * A path segment after /checkin-links/ is a link's token (at least 10 characters), unless it is a
 * short lower-case route word such as /checkin-links/answer, where the token travels in the body.
 */
const SECRET_PATH = /(\/checkin-links\/)(?![a-z]{1,9}(?:[/?#]|$))[^/?#]+/gi;

function paramName(raw: string): string {
  try { return decodeURIComponent(raw.replace(/\+/g, ' ')).trim().toLowerCase(); } catch { return raw.toLowerCase(); }
}

/** The URL as it may be logged. */
export function redactUrl(url: string): string {
  const q = url.indexOf('?');
  let path = q < 0 ? url : url.slice(0, q);
  if (path.includes('checkin-links')) path = path.replace(SECRET_PATH, `$1${REDACTED}`);
  if (q < 0) return path;
  const query = url.slice(q + 1).split('&').map((part) => {
    const eq = part.indexOf('=');
    const name = eq < 0 ? part : part.slice(0, eq);
    return eq >= 0 && SECRET_PARAMS.has(paramName(name)) ? `${name}=${REDACTED}` : part;
  }).join('&');
  return `${path}?${query}`;
}

/** JSON.parse puts the start of the offending text in its message: that is the request body. */
function scrub(text: string): string {
  return text.replace(/"[^\n]*" is not valid JSON/g, `"${REDACTED}" is not valid JSON`).slice(0, 4000);
}

interface LoggableError { type: string; message: string; stack?: string; code?: string | number; statusCode?: number; cause?: LoggableError }

/** The fields of an error that may be logged; everything else (detail, parameters, body…) is dropped. */
export function serializeError(err: unknown, depth = 0): LoggableError | string {
  if (!(err instanceof Error)) return typeof err === 'string' ? scrub(err) : `non-error thrown: ${typeof err}`;
  const e = err as Error & { code?: unknown; statusCode?: unknown };
  const out: LoggableError = { type: e.constructor?.name ?? 'Error', message: scrub(String(e.message)) };
  if (e.stack) out.stack = scrub(e.stack);
  if (typeof e.code === 'string' || typeof e.code === 'number') out.code = e.code;
  if (typeof e.statusCode === 'number') out.statusCode = e.statusCode;
  if (e.cause !== undefined && depth < 3) {
    const cause = serializeError(e.cause, depth + 1);
    if (typeof cause !== 'string') out.cause = cause;
  }
  return out;
}

interface LoggedRequest { method?: string; url?: string; host?: string; networkKey?: string }

/** A request as logged: the network's keyed hash (see client.ts) instead of its address. */
export function serializeRequest(req: LoggedRequest): Record<string, unknown> {
  let network: string | undefined;
  try { network = typeof req.networkKey === 'string' ? req.networkKey : undefined; } catch { network = undefined; }
  return { method: req.method, url: typeof req.url === 'string' ? redactUrl(req.url) : undefined, host: req.host, network };
}

const HEADER_PATHS = ['authorization', '["x-api-key"]', 'cookie', '["set-cookie"]', '["idempotency-key"]']
  .flatMap((h) => [`headers${h.startsWith('[') ? h : `.${h}`}`, `req.headers${h.startsWith('[') ? h : `.${h}`}`, `res.headers${h.startsWith('[') ? h : `.${h}`}`]);

/** Fastify's `logger` option for a log level. */
export function loggerOptions(level: string, stream?: NodeJS.WritableStream): FastifyServerOptions['logger'] {
  if (level === 'silent') return false;
  return {
    level,
    serializers: { req: serializeRequest as never, err: serializeError as never },
    redact: { paths: [...HEADER_PATHS, 'body', 'req.body', 'request.body', 'payload'], censor: REDACTED },
    ...(stream ? { stream } : {}),
  };
}
