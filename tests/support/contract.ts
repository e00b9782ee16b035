// The rules of the API contract, checked against an app's own route catalogue and its OpenAPI
// document (tests/http/contract.test.ts). A route "can return" a status when:
// - derived from its shape: 400 with any input schema (params, query, body, headers) or a body
//   (POST/PUT/PATCH: a malformed JSON body is a 400); 401 and 403 with an access rule; 404 with a
//   path parameter (an unknown id) unless it answers every value; 414 with a path parameter (the
//   router's maxParamLength); 413 and 415 when it reads a body;
// - or declared in `declared` (statuses its use-case returns: 409, 422, 429, 503…).
// Success bodies must have a real schema (not Type.Unknown()), and the media types the route sends.
import type { FastifyInstance } from 'fastify';
import type { CatalogueEntry } from '../../src/http/route-catalogue.js';

export type RouteKey = `${string} ${string}`;

export interface ContractRules {
  /** Statuses the use-case behind a route returns, by "METHOD /url/:pattern". */
  declared: Record<RouteKey, number[]>;
  /** Routes with a path parameter that answer every value (a phone number's reputation): no 404. */
  everyValue: RouteKey[];
  /** Statuses that cannot happen on a route though its shape suggests them (a parser that takes any type: no 415). */
  impossible: Record<RouteKey, number[]>;
  /** Error statuses a route answers with an empty body (a device protocol's), not the error shape. */
  bareErrors: Record<RouteKey, number[]>;
  /** Media types a route's 2xx answers must be documented with. */
  media: Record<RouteKey, string[]>;
}

interface JsonSchema { [k: string]: unknown; type?: unknown; properties?: Record<string, JsonSchema>; content?: Record<string, { schema?: JsonSchema }> }

interface OpenApiOperation { responses?: Record<string, { content?: Record<string, { schema?: JsonSchema }> }> }
export interface OpenApiDoc { paths: Record<string, Record<string, OpenApiOperation>> }

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH']);
const SCHEMA_WORDS = ['type', 'properties', 'anyOf', 'oneOf', 'allOf', '$ref', 'const', 'enum', 'items', 'not'];

export const keyOf = (r: Pick<CatalogueEntry, 'method' | 'url'>): RouteKey => `${r.method} ${r.url}`;

/** The routes the contract covers: every HTTP route but the WebSocket, HEAD twins and the pages (hidden routes outside /api). */
export function contractRoutes(app: FastifyInstance): CatalogueEntry[] {
  const seen = new Set<string>();
  return app.routeCatalogue.filter((r) => {
    const hidden = (r.schema as { hide?: boolean } | undefined)?.hide === true;
    if (r.websocket || r.method === 'HEAD' || (hidden && !r.url.startsWith('/api/')) || seen.has(keyOf(r))) return false;
    seen.add(keyOf(r));
    return true;
  });
}

/** A schema that says nothing: Type.Unknown(), Type.Any(), {}. */
export function saysNothing(schema: unknown): boolean {
  if (schema === null || typeof schema !== 'object') return true;
  return !SCHEMA_WORDS.some((w) => w in (schema as object));
}

const hasInput = (r: CatalogueEntry) => ['params', 'querystring', 'body', 'headers'].some((p) => (r.schema as Record<string, unknown> | undefined)?.[p] !== undefined);

/** Every status the rules say this route can return. */
export function requiredStatuses(r: CatalogueEntry, rules: ContractRules): number[] {
  const key = keyOf(r);
  const out = new Set<number>(rules.declared[key] ?? []);
  const readsBody = BODY_METHODS.has(r.method);
  if (hasInput(r) || readsBody) out.add(400);
  if (r.config.access !== undefined) { out.add(401); out.add(403); }
  if (r.url.includes(':')) { out.add(414); if (!rules.everyValue.includes(key)) out.add(404); }
  if (readsBody) { out.add(413); out.add(415); }
  for (const s of rules.impossible[key] ?? []) out.delete(s);
  return [...out].sort((a, b) => a - b);
}

const responsesOf = (r: CatalogueEntry) => ((r.schema as { response?: Record<string, JsonSchema> } | undefined)?.response ?? {});

/** What is wrong with the route's own schema: missing or empty success bodies, undocumented statuses. */
export function routeProblems(r: CatalogueEntry, rules: ContractRules): string[] {
  const key = keyOf(r);
  const response = responsesOf(r);
  const problems: string[] = [];
  const success = Object.keys(response).filter((s) => s.startsWith('2'));
  if (success.length === 0) problems.push(`${key}: no 2xx response schema`);
  for (const status of success) {
    const s = response[status]!;
    const bodies = s.content ? Object.entries(s.content).map(([type, m]) => [type, m.schema] as const) : [['application/json', s] as const];
    for (const [type, body] of bodies) if (saysNothing(body)) problems.push(`${key}: ${status} ${type} has no schema (Type.Unknown)`);
  }
  const missing = requiredStatuses(r, rules).filter((s) => !(String(s) in response));
  if (missing.length) problems.push(`${key}: can return ${missing.join(', ')} but does not document ${missing.length > 1 ? 'them' : 'it'}`);
  return problems;
}

/** Fastify's /api/v1/units/:id/track as OpenAPI's /api/v1/units/{id}/track. */
export const openApiPath = (url: string) => url.replace(/:([A-Za-z0-9_]+)/g, '{$1}').replace(/\*$/, '{*}');

/** What the published document is missing for a route: the operation, a status, a media type, the error body. */
export function openApiProblems(r: CatalogueEntry, doc: OpenApiDoc, rules: ContractRules): string[] {
  const key = keyOf(r);
  if ((r.schema as { hide?: boolean } | undefined)?.hide) return [];
  const op = doc.paths[openApiPath(r.url)]?.[r.method.toLowerCase()];
  if (!op) return [`${key}: not in /openapi.json`];
  const problems: string[] = [];
  const responses = op.responses ?? {};
  const missing = requiredStatuses(r, rules).filter((s) => !(String(s) in responses));
  if (missing.length) problems.push(`${key}: /openapi.json lacks ${missing.join(', ')}`);
  for (const [status, res] of Object.entries(responses)) {
    if (!/^[45]/.test(status) || rules.bareErrors[key]?.includes(Number(status))) continue;
    const schema = res.content?.['application/json']?.schema;
    if (!schema?.properties?.error) problems.push(`${key}: /openapi.json ${status} is not the {"error":{"code","message"}} body`);
  }
  for (const type of rules.media[key] ?? []) {
    const ok = Object.entries(responses).some(([status, res]) => status.startsWith('2') && res.content?.[type] !== undefined);
    if (!ok) problems.push(`${key}: /openapi.json does not say it sends ${type}`);
  }
  return problems;
}

/** Every problem of every route, static part: the routes' schemas and the published document. */
export function contractProblems(app: FastifyInstance, doc: OpenApiDoc, rules: ContractRules): string[] {
  return contractRoutes(app).flatMap((r) => [...routeProblems(r, rules), ...openApiProblems(r, doc, rules)]);
}

/** The statuses a route documents (its own schema: what the serializer and /openapi.json know). */
export const documentedStatuses = (r: CatalogueEntry): number[] => Object.keys(responsesOf(r)).map(Number).filter(Number.isFinite);
