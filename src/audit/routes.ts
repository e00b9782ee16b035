import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { errorResponses } from '../http/route-contract.js';
import { bearerSecurity } from '../http/auth.js';
import { AuditEntry, AuditQuery } from '../contracts/audit.js';
import type { AuditLog } from './index.js';

export const auditRoutes: FastifyPluginAsyncTypebox<{ audit: AuditLog }> = async (app, { audit }) => {
  app.get('/api/v1/audit', {
    schema: {
      tags: ['admin'], summary: 'The audit log, newest first', security: bearerSecurity,
      querystring: AuditQuery,
      response: { 200: Type.Array(AuditEntry), ...errorResponses(400, 401, 403) },
    },
    config: { access: 'audit:read' },
  }, async (req) => audit.list({ limit: req.query.limit, before: req.query.before }));
};
