// Who a request comes from, as abuse limits count it: a keyed hash of its network (IPv4 /24,
// IPv6 /48). req.ip already honours CUADRANTE_TRUST_PROXY (the rightmost address not added by a
// trusted proxy); the raw address is never stored, only this hash, which a dump cannot reverse.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { networkOf } from '../kernel/index.js';
import type { ServerSecrets } from '../config/index.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Keyed hash of the client's network; computed on first use. */
    readonly networkKey: string;
  }
}

const cache = new WeakMap<FastifyRequest, string>();

export function registerClientNetwork(app: FastifyInstance, secrets: ServerSecrets): void {
  app.decorateRequest('networkKey', {
    getter(this: FastifyRequest) {
      let key = cache.get(this);
      if (key === undefined) cache.set(this, (key = networkKey(secrets, this.ip)));
      return key;
    },
  });
}

export const networkKey = (secrets: ServerSecrets, ip: string): string => secrets.hash('network', networkOf(ip));
