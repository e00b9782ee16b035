// Every route the app registered, as the app itself saw it: method, URL, schema and access rule.
// Tests walk it (coercion, authorisation matrix, fuzzing), so a route added later is covered
// without anyone remembering to add it to a list.
import type { FastifyInstance, FastifySchema, FastifyContextConfig } from 'fastify';

export interface CatalogueEntry {
  method: string;
  url: string;
  schema: FastifySchema | undefined;
  config: FastifyContextConfig;
  bodyLimit: number | undefined;
  websocket: boolean;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Filled as routes are registered; complete once the app is ready. */
    readonly routeCatalogue: readonly CatalogueEntry[];
  }
}

/** Register before any route. */
export function registerRouteCatalogue(app: FastifyInstance): void {
  const entries: CatalogueEntry[] = [];
  app.decorate('routeCatalogue', entries);
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) {
      entries.push({
        method: String(method).toUpperCase(), url: route.url, schema: route.schema, config: (route.config ?? {}) as FastifyContextConfig,
        bodyLimit: route.bodyLimit, websocket: Boolean((route as { websocket?: boolean }).websocket),
      });
    }
  });
}
