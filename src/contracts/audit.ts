// The audit log as admins read it.
import { Type, type Static } from 'typebox';
import { IsoTime, Nullable } from './common.js';

export const AuditQuery = Type.Object({
  limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }),
  before: Type.Optional(Type.Integer({ minimum: 1, maximum: 2_147_483_647, description: 'an audit id (32-bit)' })),
});

/** One thing staff did: who, when, what, to which target. */
export const AuditEntry = Type.Object({
  id: Type.Integer(), at: IsoTime(), actorId: Nullable(Type.String()),
  action: Type.String({ description: 'e.g. unit.create, user.disable, alert.snapshot' }), target: Nullable(Type.String()),
  details: Type.Record(Type.String(), Type.Unknown(), { description: 'What the action recorded; its keys depend on the action' }),
});
export type AuditEntry = Static<typeof AuditEntry>;
