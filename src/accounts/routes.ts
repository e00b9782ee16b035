import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { DomainError } from '../kernel/index.js';
import { errorResponses } from '../http/route-contract.js';
import { bearerSecurity, bearerToken } from '../http/auth.js';
import { LoginAnswer, LoginBody, Me, NewUserBody, PasswordChangeBody, PasswordResetBody, PublicUser, Revoked, RoleBody, UserParams } from '../contracts/accounts.js';
import type { AccountService } from './service.js';

// The error statuses each route can answer, by what it takes (tests/http/contract.test.ts checks them).
/** Bearer token required (401), role or password change (403). */
const signedIn = errorResponses(401, 403);
/** A POST/PUT body: refused when invalid or malformed (400), too large (413), not JSON (415). */
const withBody = errorResponses(400, 413, 415);
/** A user id in the path: invalid (400), too long (414), unknown (404). */
const withId = errorResponses(400, 404, 414);
/** Password hashing: guesses slowed (429), the hashing pool full (503). */
const hashing = errorResponses(429, 503);

/**
 * A refused guess (429) is answered after a short pause: a throttled try costs no hash and no
 * database read, but answered at once a guesser spinning on refusals would still be a flood (20
 * connections made ~3,700 refusals a second and moved /locate's p99 from 5 to 67 ms); paused, each
 * connection gets two a second. Real time, not the injected clock: it paces the network.
 */
const REFUSAL_PAUSE_MS = 500;

async function pausingRefusals<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof DomainError && err.code === 'RATE_LIMITED') await new Promise((r) => setTimeout(r, REFUSAL_PAUSE_MS));
    throw err;
  }
}
/** An admin acting on an account. */
const adminErrors = { ...signedIn, ...withId, ...withBody };

export const accountRoutes: FastifyPluginAsyncTypebox<{ accounts: AccountService }> = async (app, { accounts }) => {
  app.post('/api/v1/auth/login', {
    schema: {
      tags: ['auth'],
      summary: 'Sign in; returns a bearer token',
      description: 'Failed tries are slowed per account and network with growing, bounded delays (429 RATE_LIMITED with Retry-After). '
        + 'With mustChangePassword the token may only change the password (POST /api/v1/auth/password), read /auth/me and log out.',
      body: LoginBody,
      response: { 200: LoginAnswer, ...withBody, ...errorResponses(401, 429, 503) },
    },
  }, async (req) => {
    const s = await pausingRefusals(() => accounts.login(req.body.username, req.body.password, req.networkKey));
    return { token: s.token, expiresAt: s.expiresAt.toISOString(), user: s.user, mustChangePassword: s.mustChangePassword };
  });

  app.post('/api/v1/auth/logout', {
    schema: { tags: ['auth'], summary: 'Revoke the token used for this request', security: bearerSecurity, response: { 204: Type.Null(), ...signedIn, ...withBody } },
    config: { access: 'authenticated', allowDuringPasswordChange: true },
  }, async (req, reply) => {
    await accounts.logout(bearerToken(req)!, req.principal!.userId);
    return reply.status(204).send(null);
  });

  app.get('/api/v1/auth/me', {
    schema: {
      tags: ['auth'], summary: 'Who am I', security: bearerSecurity,
      response: { 200: Me, ...signedIn },
    },
    config: { access: 'authenticated', allowDuringPasswordChange: true },
  }, async (req) => ({ ...req.principal!, mustChangePassword: req.authSession!.mustChangePassword }));

  app.post('/api/v1/auth/password', {
    schema: {
      tags: ['auth'], summary: 'Change your own password (with the current one); your other sessions end, this one stays', security: bearerSecurity,
      body: PasswordChangeBody,
      response: { 204: Type.Null(), ...signedIn, ...withBody, ...hashing },
    },
    config: { access: 'authenticated', allowDuringPasswordChange: true },
  }, async (req, reply) => {
    await pausingRefusals(() => accounts.changeOwnPassword(req.authSession!, req.body.currentPassword, req.body.newPassword, req.networkKey));
    return reply.status(204).send(null);
  });

  app.post('/api/v1/auth/sign-out-everywhere', {
    schema: { tags: ['auth'], summary: 'End every session of your account, this one included (open sockets close within a second)', security: bearerSecurity, response: { 200: Revoked, ...signedIn, ...withBody } },
    config: { access: 'authenticated' },
  }, async (req) => accounts.signOutEverywhere(req.principal!.userId, req.principal!.userId));

  app.get('/api/v1/users', {
    schema: { tags: ['admin'], summary: 'Staff accounts (and fleet gateways); citizens\' device credentials are not listed', security: bearerSecurity, response: { 200: Type.Array(PublicUser), ...signedIn } },
    config: { access: 'users:manage' },
  }, async () => accounts.listUsers());

  app.post('/api/v1/users', {
    schema: {
      tags: ['admin'], summary: 'Create a staff account (unit, dispatcher, analyst, admin) or a fleet gateway\'s (gateway: may only post position batches)', security: bearerSecurity,
      body: NewUserBody,
      response: { 201: PublicUser, ...signedIn, ...withBody, ...errorResponses(503) },
    },
    config: { access: 'users:manage' },
  }, async (req, reply) => reply.status(201).send(await accounts.createUser(req.principal!.userId, req.body)));

  app.post('/api/v1/users/:id/disable', {
    schema: {
      tags: ['admin'], summary: 'Disable an account: its sessions end at once (open sockets within a second). The last admin cannot be disabled (409 LAST_ADMIN).',
      security: bearerSecurity, params: UserParams, response: { 200: PublicUser, ...adminErrors, ...errorResponses(409) },
    },
    config: { access: 'users:manage' },
  }, async (req) => accounts.disable(req.principal!.userId, req.params.id));

  app.post('/api/v1/users/:id/enable', {
    schema: { tags: ['admin'], summary: 'Enable a disabled account (it signs in again; old sessions stay ended)', security: bearerSecurity, params: UserParams, response: { 200: PublicUser, ...adminErrors } },
    config: { access: 'users:manage' },
  }, async (req) => accounts.enable(req.principal!.userId, req.params.id));

  app.put('/api/v1/users/:id/role', {
    schema: {
      tags: ['admin'], summary: 'Change an account\'s role; its sessions end (the new role applies at the next sign-in). The last admin cannot be demoted (409 LAST_ADMIN).',
      security: bearerSecurity, params: UserParams,
      body: RoleBody,
      response: { 200: PublicUser, ...adminErrors, ...errorResponses(409) },
    },
    config: { access: 'users:manage' },
  }, async (req) => accounts.changeRole(req.principal!.userId, req.params.id, req.body.role));

  app.put('/api/v1/users/:id/password', {
    schema: {
      tags: ['admin'], summary: 'Set a new password for someone: their sessions end and they must change it at their next sign-in',
      security: bearerSecurity, params: UserParams,
      body: PasswordResetBody,
      response: { 200: PublicUser, ...adminErrors, ...errorResponses(503) },
    },
    config: { access: 'users:manage' },
  }, async (req) => accounts.resetPassword(req.principal!.userId, req.params.id, req.body.password));

  app.post('/api/v1/users/:id/sign-out', {
    schema: { tags: ['admin'], summary: 'Sign an account out everywhere: every session ends (open sockets within a second)', security: bearerSecurity, params: UserParams, response: { 200: Revoked, ...adminErrors } },
    config: { access: 'users:manage' },
  }, async (req) => accounts.signOutEverywhere(req.principal!.userId, req.params.id));
};
