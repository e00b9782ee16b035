// Route schemas of the dispatch context.
import { Type } from 'typebox';

export const AlertKind = Type.Union([
  Type.Literal('robbery'), Type.Literal('violence'), Type.Literal('followed'), Type.Literal('extortion'),
  Type.Literal('medical'), Type.Literal('officer_in_danger'), Type.Literal('other'),
]);
export const UnitType = Type.Union([Type.Literal('car'), Type.Literal('motorcycle'), Type.Literal('bicycle'), Type.Literal('foot')]);
export const Outcome = Type.Union([Type.Literal('attended'), Type.Literal('false_alarm'), Type.Literal('nobody_found'), Type.Literal('referred')]);
export const ActionName = Type.Union([
  Type.Literal('acknowledge'), Type.Literal('en_route'), Type.Literal('on_scene'), Type.Literal('resolve'), Type.Literal('cancel'), Type.Literal('escalate'),
  Type.Literal('confirm'),
], { description: 'confirm: a dispatcher releases a held alert (possible flood, unconfirmed SOS): units are paged from now' });
export const ShiftState = Type.Union([Type.Literal('off_duty'), Type.Literal('available'), Type.Literal('busy')]);

export const RaiseBody = Type.Object({
  lat: Type.Number({ minimum: -90, maximum: 90 }),
  lon: Type.Number({ minimum: -180, maximum: 180 }),
  accuracy: Type.Optional(Type.Number({ minimum: 0, maximum: 100_000, description: 'metres' })),
  kind: Type.Optional(AlertKind),
  note: Type.Optional(Type.String({ maxLength: 500 })),
  address: Type.Optional(Type.String({ maxLength: 300, description: 'Dispatchers: where the caller says they are' })),
}, { additionalProperties: false });

export const IdempotencyHeaders = Type.Object({
  'idempotency-key': Type.Optional(Type.String({ minLength: 8, maxLength: 128, description: 'Retries with the same key never create a second alert' })),
});

export const ActionBody = Type.Object({
  action: ActionName,
  outcome: Type.Optional(Outcome),
  pin: Type.Optional(Type.String({ pattern: '^[0-9]{4,8}$' })),
}, { additionalProperties: false });

export const AssignBody = Type.Object({ unitId: Type.String({ minLength: 1, maxLength: 64 }) }, { additionalProperties: false });
export const PinsBody = Type.Object({
  cancelPin: Type.String({ maxLength: 8 }),
  duressPin: Type.String({ maxLength: 8 }),
  currentPin: Type.Optional(Type.String({ maxLength: 8, description: 'The current cancel PIN: required once PINs are set' })),
}, { additionalProperties: false });

export const UnitBody = Type.Object({
  callsign: Type.String({ minLength: 1, maxLength: 32 }),
  type: UnitType,
  quadrantIds: Type.Array(Type.String({ maxLength: 64 }), { minItems: 1, maxItems: 20 }),
  phone: Type.Optional(Type.Union([Type.String({ maxLength: 32 }), Type.Null()])),
  username: Type.Optional(Type.String({ minLength: 3, maxLength: 64, pattern: '^[A-Za-z0-9._-]+$', description: "The officer account that signs in to this unit" })),
  password: Type.Optional(Type.String({ minLength: 12, maxLength: 256 })),
}, { additionalProperties: false });

export const UnitPatch = Type.Object({
  type: Type.Optional(UnitType),
  quadrantIds: Type.Optional(Type.Array(Type.String({ maxLength: 64 }), { minItems: 1, maxItems: 20 })),
  phone: Type.Optional(Type.Union([Type.String({ maxLength: 32 }), Type.Null()])),
}, { additionalProperties: false });

export const ShiftBody = Type.Object({ state: Type.Union([Type.Literal('off_duty'), Type.Literal('available')]) }, { additionalProperties: false });

export const StatsQuery = Type.Object({
  group: Type.Union([Type.Literal('quadrant'), Type.Literal('sector'), Type.Literal('alcaldia'), Type.Literal('city')], { default: 'sector' }),
  from: Type.Optional(Type.String({ format: 'date-time' })),
  to: Type.Optional(Type.String({ format: 'date-time' })),
});

export const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });
