// Declarative authorisation: a route names the permission it needs in its config; this hook
// alone enforces it. The bearer token is resolved only on routes that need it (one query).
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { DomainError } from '../kernel/index.js';
import { can, type Permission } from '../accounts/index.js';
import type { AccountService, Principal, SessionInfo } from '../accounts/index.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** 'authenticated' = any signed-in account; a Permission = an account whose role grants it. */
    access?: 'authenticated' | Permission;
    /**
     * A session that must change its password first (a printed first-admin password, an admin's
     * reset) may call this route; every other route answers 403 PASSWORD_CHANGE_REQUIRED.
     */
    allowDuringPasswordChange?: boolean;
  }
  interface FastifyRequest {
    principal: Principal | null;
    /** The session behind `principal` (token hash, expiry), on routes with `access`. */
    authSession: SessionInfo | null;
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
  app.decorateRequest('authSession', null);
  // onRequest: refuse before the body is read, so an anonymous caller cannot make us parse 20 MB.
  app.addHook('onRequest', async (req) => {
    const config = req.routeOptions.config;
    const access = config.access;
    if (!access) return;
    const token = bearerToken(req);
    if (!token) throw new DomainError('AUTH_REQUIRED');
    const session = await accounts.session(token);
    if (session.mustChangePassword && !config.allowDuringPasswordChange) throw new DomainError('PASSWORD_CHANGE_REQUIRED');
    req.authSession = session;
    req.principal = session.principal;
    if (access !== 'authenticated' && !can(req.principal.role, access)) throw new DomainError('FORBIDDEN');
  });
}

export const bearerSecurity = [{ bearer: [] as string[] }];
