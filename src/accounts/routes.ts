import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { errorSchema } from '../http/errors.js';
import { bearerSecurity, bearerToken } from '../http/auth.js';
import type { AccountService } from './service.js';

const Role = Type.Union([Type.Literal('citizen'), Type.Literal('unit'), Type.Literal('dispatcher'), Type.Literal('analyst'), Type.Literal('admin'), Type.Literal('gateway')]);
const PublicUser = Type.Object({
  id: Type.String(), username: Type.String(), role: Role,
  displayName: Type.Union([Type.String(), Type.Null()]), createdAt: Type.String(),
  unitId: Type.Union([Type.String(), Type.Null()], { description: 'For unit accounts: the patrol unit it signs in to' }),
});
const errors = { 400: errorSchema, 401: errorSchema, 403: errorSchema };

export const accountRoutes: FastifyPluginAsyncTypebox<{ accounts: AccountService }> = async (app, { accounts }) => {
  app.post('/api/v1/auth/login', {
    schema: {
      tags: ['auth'], summary: 'Sign in; returns a bearer token',
      body: Type.Object({ username: Type.String({ minLength: 1, maxLength: 64 }), password: Type.String({ minLength: 1, maxLength: 256 }) }, { additionalProperties: false }),
      response: { 200: Type.Object({ token: Type.String(), expiresAt: Type.String(), user: PublicUser }), ...errors },
    },
  }, async (req) => {
    const s = await accounts.login(req.body.username, req.body.password);
    return { token: s.token, expiresAt: s.expiresAt.toISOString(), user: s.user };
  });

  app.post('/api/v1/auth/logout', {
    schema: { tags: ['auth'], summary: 'Revoke the token used for this request', security: bearerSecurity, response: { 204: Type.Null(), ...errors } },
    config: { access: 'authenticated' },
  }, async (req, reply) => {
    await accounts.logout(bearerToken(req)!, req.principal!.userId);
    return reply.status(204).send(null);
  });

  app.get('/api/v1/auth/me', {
    schema: { tags: ['auth'], summary: 'Who am I', security: bearerSecurity, response: { 200: Type.Object({ userId: Type.String(), username: Type.String(), role: Role, unitId: Type.Union([Type.String(), Type.Null()]) }), ...errors } },
    config: { access: 'authenticated' },
  }, async (req) => req.principal!);

  app.get('/api/v1/users', {
    schema: { tags: ['admin'], summary: 'Staff accounts', security: bearerSecurity, response: { 200: Type.Array(PublicUser), ...errors } },
    config: { access: 'users:manage' },
  }, async () => accounts.listUsers());

  app.post('/api/v1/users', {
    schema: {
      tags: ['admin'], summary: 'Create a staff account (unit, dispatcher, analyst, admin) or a fleet gateway\'s (gateway: may only post position batches)', security: bearerSecurity,
      body: Type.Object({
        username: Type.String({ minLength: 3, maxLength: 64, pattern: '^[A-Za-z0-9._-]+$' }),
        password: Type.String({ minLength: 12, maxLength: 256 }),
        role: Role,
        displayName: Type.Optional(Type.String({ maxLength: 120 })),
      }, { additionalProperties: false }),
      response: { 201: PublicUser, ...errors },
    },
    config: { access: 'users:manage' },
  }, async (req, reply) => reply.status(201).send(await accounts.createUser(req.principal!.userId, req.body)));
};
