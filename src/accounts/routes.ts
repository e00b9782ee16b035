import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { DomainError } from '../kernel/index.js';
import { errorSchema } from '../http/errors.js';
import { bearerSecurity, bearerToken } from '../http/auth.js';
import type { AccountService } from './service.js';

const Role = Type.Union([Type.Literal('citizen'), Type.Literal('unit'), Type.Literal('dispatcher'), Type.Literal('analyst'), Type.Literal('admin'), Type.Literal('gateway')]);
const PublicUser = Type.Object({
  id: Type.String(), username: Type.String(), role: Role,
  displayName: Type.Union([Type.String(), Type.Null()]), createdAt: Type.String(),
  unitId: Type.Union([Type.String(), Type.Null()], { description: 'For unit accounts: the patrol unit it signs in to' }),
  disabledAt: Type.Union([Type.String(), Type.Null()], { description: 'When the account was disabled (its sessions end at once); null when enabled' }),
  mustChangePassword: Type.Boolean({ description: 'The next sign-in must set a new password first' }),
});
const Password = Type.String({ minLength: 12, maxLength: 256 });
const UserParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });
const Revoked = Type.Object({ revoked: Type.Integer({ description: 'Sessions ended' }) });
const errors = { 400: errorSchema, 401: errorSchema, 403: errorSchema };

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
const adminErrors = { ...errors, 404: errorSchema, 409: errorSchema };

export const accountRoutes: FastifyPluginAsyncTypebox<{ accounts: AccountService }> = async (app, { accounts }) => {
  app.post('/api/v1/auth/login', {
    schema: {
      tags: ['auth'],
      summary: 'Sign in; returns a bearer token',
      description: 'Failed tries are slowed per account and network with growing, bounded delays (429 RATE_LIMITED with Retry-After). '
        + 'With mustChangePassword the token may only change the password (POST /api/v1/auth/password), read /auth/me and log out.',
      body: Type.Object({ username: Type.String({ minLength: 1, maxLength: 64 }), password: Type.String({ minLength: 1, maxLength: 256 }) }, { additionalProperties: false }),
      response: { 200: Type.Object({ token: Type.String(), expiresAt: Type.String(), user: PublicUser, mustChangePassword: Type.Boolean() }), ...errors, 429: errorSchema, 503: errorSchema },
    },
  }, async (req) => {
    const s = await pausingRefusals(() => accounts.login(req.body.username, req.body.password, req.networkKey));
    return { token: s.token, expiresAt: s.expiresAt.toISOString(), user: s.user, mustChangePassword: s.mustChangePassword };
  });

  app.post('/api/v1/auth/logout', {
    schema: { tags: ['auth'], summary: 'Revoke the token used for this request', security: bearerSecurity, response: { 204: Type.Null(), ...errors } },
    config: { access: 'authenticated', allowDuringPasswordChange: true },
  }, async (req, reply) => {
    await accounts.logout(bearerToken(req)!, req.principal!.userId);
    return reply.status(204).send(null);
  });

  app.get('/api/v1/auth/me', {
    schema: {
      tags: ['auth'], summary: 'Who am I', security: bearerSecurity,
      response: { 200: Type.Object({ userId: Type.String(), username: Type.String(), role: Role, unitId: Type.Union([Type.String(), Type.Null()]), mustChangePassword: Type.Boolean() }), ...errors },
    },
    config: { access: 'authenticated', allowDuringPasswordChange: true },
  }, async (req) => ({ ...req.principal!, mustChangePassword: req.authSession!.mustChangePassword }));

  app.post('/api/v1/auth/password', {
    schema: {
      tags: ['auth'], summary: 'Change your own password (with the current one); your other sessions end, this one stays', security: bearerSecurity,
      body: Type.Object({ currentPassword: Type.String({ minLength: 1, maxLength: 256 }), newPassword: Password }, { additionalProperties: false }),
      response: { 204: Type.Null(), ...errors, 429: errorSchema, 503: errorSchema },
    },
    config: { access: 'authenticated', allowDuringPasswordChange: true },
  }, async (req, reply) => {
    await pausingRefusals(() => accounts.changeOwnPassword(req.authSession!, req.body.currentPassword, req.body.newPassword, req.networkKey));
    return reply.status(204).send(null);
  });

  app.post('/api/v1/auth/sign-out-everywhere', {
    schema: { tags: ['auth'], summary: 'End every session of your account, this one included (open sockets close within a second)', security: bearerSecurity, response: { 200: Revoked, ...errors } },
    config: { access: 'authenticated' },
  }, async (req) => accounts.signOutEverywhere(req.principal!.userId, req.principal!.userId));

  app.get('/api/v1/users', {
    schema: { tags: ['admin'], summary: 'Staff accounts (and fleet gateways); citizens\' device credentials are not listed', security: bearerSecurity, response: { 200: Type.Array(PublicUser), ...errors } },
    config: { access: 'users:manage' },
  }, async () => accounts.listUsers());

  app.post('/api/v1/users', {
    schema: {
      tags: ['admin'], summary: 'Create a staff account (unit, dispatcher, analyst, admin) or a fleet gateway\'s (gateway: may only post position batches)', security: bearerSecurity,
      body: Type.Object({
        username: Type.String({ minLength: 3, maxLength: 64, pattern: '^[A-Za-z0-9._-]+$' }),
        password: Password,
        role: Role,
        displayName: Type.Optional(Type.String({ maxLength: 120 })),
        mustChangePassword: Type.Optional(Type.Boolean({ description: 'The person must set their own password at first sign-in (default false)' })),
      }, { additionalProperties: false }),
      response: { 201: PublicUser, ...errors },
    },
    config: { access: 'users:manage' },
  }, async (req, reply) => reply.status(201).send(await accounts.createUser(req.principal!.userId, req.body)));

  app.post('/api/v1/users/:id/disable', {
    schema: {
      tags: ['admin'], summary: 'Disable an account: its sessions end at once (open sockets within a second). The last admin cannot be disabled (409 LAST_ADMIN).',
      security: bearerSecurity, params: UserParams, response: { 200: PublicUser, ...adminErrors },
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
      body: Type.Object({ role: Role }, { additionalProperties: false }),
      response: { 200: PublicUser, ...adminErrors },
    },
    config: { access: 'users:manage' },
  }, async (req) => accounts.changeRole(req.principal!.userId, req.params.id, req.body.role));

  app.put('/api/v1/users/:id/password', {
    schema: {
      tags: ['admin'], summary: 'Set a new password for someone: their sessions end and they must change it at their next sign-in',
      security: bearerSecurity, params: UserParams,
      body: Type.Object({ password: Password }, { additionalProperties: false }),
      response: { 200: PublicUser, ...adminErrors },
    },
    config: { access: 'users:manage' },
  }, async (req) => accounts.resetPassword(req.principal!.userId, req.params.id, req.body.password));

  app.post('/api/v1/users/:id/sign-out', {
    schema: { tags: ['admin'], summary: 'Sign an account out everywhere: every session ends (open sockets within a second)', security: bearerSecurity, params: UserParams, response: { 200: Revoked, ...adminErrors } },
    config: { access: 'users:manage' },
  }, async (req) => accounts.signOutEverywhere(req.principal!.userId, req.params.id));
};
