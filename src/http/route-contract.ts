// How a route documents what it answers: its success bodies (JSON by default, another media type
// with `media`) and every error status it can return, each with the one error body. The contract
// test (tests/http/contract.test.ts) derives the statuses a route can return from its shape and
// access rule and fails when one is missing here.
import { Type, type Static, type TSchema } from 'typebox';
import { errorSchema } from './errors.js';

/** Statuses an error answer may have (the catalogue's, src/kernel/errors.ts). */
export type ErrorStatus = 400 | 401 | 403 | 404 | 405 | 408 | 409 | 413 | 414 | 415 | 422 | 429 | 431 | 500 | 503;

/** `{ 400: ErrorBody, 401: ErrorBody, … }` for the statuses given. */
export function errorResponses<S extends ErrorStatus>(...statuses: S[]): Record<S, typeof errorSchema> {
  return Object.fromEntries(statuses.map((s) => [s, { ...errorSchema, description: WHY[s] }])) as unknown as Record<S, typeof errorSchema>;
}

/** What each status means here (the codes behind them are in docs/ERRORS.md). */
const WHY: Record<ErrorStatus, string> = {
  400: 'The request is not valid (schema, format, a value the rules refuse)',
  401: 'No valid credential (sign in; for carriers, X-Api-Key)',
  403: 'Signed in, but the role does not allow this (or the password must be changed first)',
  404: 'Not found (or not yours: both answer alike)',
  405: 'The path exists but not with this method (see Allow)',
  408: 'The request took too long to arrive',
  409: 'Conflicts with the current state',
  413: 'The body is larger than this route accepts',
  414: 'A path segment is too long',
  415: 'Unsupported Content-Type',
  422: 'Understood but not acceptable (an import with problems, a reused Idempotency-Key)',
  429: 'Too many requests: wait Retry-After seconds',
  431: 'The request headers are too large',
  500: 'Internal error (logged)',
  503: 'Not available right now (see the code; Retry-After when known)',
};

/**
 * A success body sent with a media type other than application/json (GeoJSON, CSV): OpenAPI lists
 * it under that type, and Fastify serialises an object reply sent with that type by this schema.
 */
export function media<T extends TSchema>(type: string, schema: T, description = 'OK') {
  return { description, content: { [type]: { schema } } };
}

/** GeoJSON bodies (RFC 7946). */
export const geoJson = <T extends TSchema>(schema: T, description?: string) => media('application/geo+json', schema, description);

/**
 * A body the handler sends as JSON text it built before (a cached answer on a hot path): the
 * schema documents it, and Fastify passes the string through without serialising it again.
 */
export const prebuilt = <T extends TSchema>(schema: T) => Type.Unsafe<string | Static<T>>(schema);
