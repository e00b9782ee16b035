import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { errorSchema } from '../http/errors.js';
import { bearerSecurity } from '../http/auth.js';
import type { AuditLog } from './index.js';

export const auditRoutes: FastifyPluginAsyncTypebox<{ audit: AuditLog }> = async (app, { audit }) => {
  app.get('/api/v1/audit', {
    schema: {
      tags: ['admin'], summary: 'The audit log, newest first', security: bearerSecurity,
      querystring: Type.Object({ limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }), before: Type.Optional(Type.Integer({ minimum: 1, maximum: 2_147_483_647, description: 'an audit id (32-bit)' })) }),
      response: {
        200: Type.Array(Type.Object({
          id: Type.Integer(), at: Type.String(), actorId: Type.Union([Type.String(), Type.Null()]),
          action: Type.String(), target: Type.Union([Type.String(), Type.Null()]), details: Type.Unknown(),
        })),
        401: errorSchema, 403: errorSchema,
      },
    },
    config: { access: 'audit:read' },
  }, async (req) => audit.list({ limit: req.query.limit, before: req.query.before }));
};
