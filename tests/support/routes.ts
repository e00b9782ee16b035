// Requests made from the app's own route catalogue (src/http/route-catalogue.ts): a valid URL for
// any route pattern, the query and headers its schema requires, and who to call it as. Shared by
// the coercion test, the authorisation matrix and the fuzz suite, so none keeps a hand list.
import type { FastifyInstance } from 'fastify';
import type { CatalogueEntry } from '../../src/http/route-catalogue.js';
import { example, type Schema } from './schema-examples.js';

export type { CatalogueEntry };

const schemaPart = (entry: CatalogueEntry, part: 'body' | 'params' | 'querystring' | 'headers'): Schema | undefined =>
  (entry.schema as Record<string, Schema | undefined> | undefined)?.[part];

/** Every HTTP route (not the WebSocket one, not the automatic HEAD twins), once per method. */
export function httpRoutes(app: FastifyInstance): CatalogueEntry[] {
  const seen = new Set<string>();
  return app.routeCatalogue.filter((r) => {
    const key = `${r.method} ${r.url}`;
    if (r.websocket || r.method === 'HEAD' || seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Routes that declare a JSON body schema. */
export function bodyRoutes(app: FastifyInstance): (CatalogueEntry & { body: Schema })[] {
  return httpRoutes(app).flatMap((r) => {
    const body = schemaPart(r, 'body');
    return body ? [{ ...r, body }] : [];
  });
}

/** The route's URL with each :param filled by a valid example (and a wildcard by "x"). */
export function concreteUrl(entry: CatalogueEntry, overrides: Record<string, string> = {}): string {
  const params = schemaPart(entry, 'params')?.properties ?? {};
  const path = entry.url.replace(/:([A-Za-z0-9_]+)/g, (_m, name: string) => {
    const value = overrides[name] ?? (params[name] ? String(example(params[name]!)) : 'ejemplo7');
    return encodeURIComponent(value);
  }).replace(/\*$/, 'x');
  const query = schemaPart(entry, 'querystring');
  const required = new Set(query?.required ?? []);
  const pairs = Object.entries(query?.properties ?? {})
    .filter(([k, s]) => required.has(k) && s.default === undefined)
    .map(([k, s]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(example(s)))}`);
  return pairs.length ? `${path}?${pairs.join('&')}` : path;
}

/** Headers the route's schema requires, with valid values. */
export function requiredHeaders(entry: CatalogueEntry): Record<string, string> {
  const headers = schemaPart(entry, 'headers');
  const required = new Set(headers?.required ?? []);
  return Object.fromEntries(Object.entries(headers?.properties ?? {})
    .filter(([k]) => required.has(k)).map(([k, s]) => [k, String(example(s))]));
}

/**
 * Who may get past a route's access rule: routes that name a role permission (or 'authenticated')
 * are called as the admin, who holds every permission; the rest (anonymous, carrier API keys,
 * link tokens) anonymously.
 */
export const needsAccount = (entry: CatalogueEntry): boolean => entry.config.access !== undefined;
