// Declarative authorisation: a route names the permission it needs in its config; this hook
// alone enforces it. The bearer token is resolved only on routes that need it.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { DomainError } from '../kernel/index.js';
import { can, type Permission } from '../accounts/roles.js';
import type { AccountService, Principal } from '../accounts/service.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** 'authenticated' = any signed-in account; a Permission = an account whose role grants it. */
    access?: 'authenticated' | Permission;
  }
  interface FastifyRequest {
    principal: Principal | null;
  }
}

export function bearerToken(req: FastifyRequest): string | null {
  const h = req.headers.authorization;
  if (!h) return null;
  const m = /^Bearer\s+(\S+)$/i.exec(h);
  return m ? m[1]! : null;
}

export function registerAuth(app: FastifyInstance, accounts: AccountService): void {
  app.decorateRequest('principal', null);
  // onRequest: refuse before the body is read, so an anonymous caller cannot make us parse 20 MB.
  app.addHook('onRequest', async (req) => {
    const access = req.routeOptions.config.access;
    if (!access) return;
    const token = bearerToken(req);
    if (!token) throw new DomainError('AUTH_REQUIRED');
    req.principal = await accounts.authenticate(token);
    if (access !== 'authenticated' && !can(req.principal.role, access)) throw new DomainError('FORBIDDEN');
  });
}

export const bearerSecurity = [{ bearer: [] as string[] }];
