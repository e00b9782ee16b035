// What a load balancer reads: /health/live (the process answers) and /health/ready (it can serve:
// every readiness check passed). Not ready is a 503 with the common error body, NOT_READY, whose
// details list the checks (HealthNotReadyDetails).
import { Type, type Static } from 'typebox';

export const HealthCheckResult = Type.Object({
  name: Type.String({ description: 'The part checked: database, bus, consumers…' }),
  ok: Type.Boolean(),
  ms: Type.Number({ description: 'How long the check took (up to its timeout), ms' }),
  problem: Type.Optional(Type.Union([Type.Literal('failed'), Type.Literal('timeout')], { description: 'Why not ok: it failed, or gave no answer within its timeout' })),
});
export type HealthCheckResult = Static<typeof HealthCheckResult>;

export const HealthLive = Type.Object({ status: Type.Literal('live') });
export type HealthLive = Static<typeof HealthLive>;

export const HealthReady = Type.Object({ status: Type.Literal('ready'), checks: Type.Array(HealthCheckResult) });
export type HealthReady = Static<typeof HealthReady>;

/** The `details` of a NOT_READY answer. */
export const HealthNotReadyDetails = Type.Object({ checks: Type.Array(HealthCheckResult) });
export type HealthNotReadyDetails = Static<typeof HealthNotReadyDetails>;
