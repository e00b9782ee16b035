// The dispatch API as clients see it: requests and answers for devices, alerts, units and response
// times. Routes (src/dispatch/routes.ts) validate and serialise with these schemas; the pages import
// the types. The serialiser is an allow-list: a field missing here never reaches a client.
import { Type, type Static } from 'typebox';
import { IsoTime, Nullable } from './common.js';

// ——— enumerations ———

export const AlertStatus = Type.Union([
  Type.Literal('new'), Type.Literal('paging'), Type.Literal('acknowledged'), Type.Literal('en_route'), Type.Literal('on_scene'),
  Type.Literal('resolved'), Type.Literal('cancelled'), Type.Literal('escalated'),
]);
export type AlertStatus = Static<typeof AlertStatus>;

export const AlertKind = Type.Union([
  Type.Literal('robbery'), Type.Literal('violence'), Type.Literal('followed'), Type.Literal('extortion'),
  Type.Literal('medical'), Type.Literal('officer_in_danger'), Type.Literal('other'),
]);
export type AlertKind = Static<typeof AlertKind>;

export const UnitType = Type.Union([Type.Literal('car'), Type.Literal('motorcycle'), Type.Literal('bicycle'), Type.Literal('foot')]);
export type UnitType = Static<typeof UnitType>;

export const Outcome = Type.Union([Type.Literal('attended'), Type.Literal('false_alarm'), Type.Literal('nobody_found'), Type.Literal('referred')]);
export type Outcome = Static<typeof Outcome>;

export const ActionName = Type.Union([
  Type.Literal('acknowledge'), Type.Literal('en_route'), Type.Literal('on_scene'), Type.Literal('resolve'), Type.Literal('cancel'), Type.Literal('escalate'),
  Type.Literal('confirm'),
], { description: 'confirm: a dispatcher releases a held alert (possible flood, unconfirmed SOS): units are paged from now' });
export type ActionName = Static<typeof ActionName>;

export const ShiftState = Type.Union([Type.Literal('off_duty'), Type.Literal('available'), Type.Literal('busy')]);
export type ShiftState = Static<typeof ShiftState>;

/** Why an alert waits for a dispatcher before anyone is paged. */
export const HoldReason = Type.Union([Type.Literal('saturation'), Type.Literal('unverified_sos')]);
export type HoldReason = Static<typeof HoldReason>;

export const AlertSource = Type.Union([Type.Literal('citizen'), Type.Literal('dispatcher'), Type.Literal('officer')]);
export type AlertSource = Static<typeof AlertSource>;

export const Stage = Type.Union([Type.Literal(0), Type.Literal(1), Type.Literal(2), Type.Literal(3)], { description: 'Escalation stage: 0 quadrant units … 3 the whole city' });
export type Stage = Static<typeof Stage>;

/** Every entry type of an alert's log: the actions, and what the system records by itself. */
export const AlertEventType = Type.Union([
  Type.Literal('page'), Type.Literal('acknowledge'), Type.Literal('en_route'), Type.Literal('on_scene'), Type.Literal('resolve'),
  Type.Literal('cancel'), Type.Literal('escalate'), Type.Literal('confirm'),
  Type.Literal('created'), Type.Literal('paged'), Type.Literal('assigned'), Type.Literal('duress_cancel'), Type.Literal('held'), Type.Literal('note'),
]);
export type AlertEventType = Static<typeof AlertEventType>;

// ——— requests ———

export const RaiseBody = Type.Object({
  lat: Type.Number({ minimum: -90, maximum: 90 }),
  lon: Type.Number({ minimum: -180, maximum: 180 }),
  accuracy: Type.Optional(Type.Number({ minimum: 0, maximum: 100_000, description: 'metres' })),
  kind: Type.Optional(AlertKind),
  note: Type.Optional(Type.String({ maxLength: 500 })),
  address: Type.Optional(Type.String({ maxLength: 300, description: 'Dispatchers: where the caller says they are' })),
}, { additionalProperties: false });
export type RaiseBody = Static<typeof RaiseBody>;

export const IdempotencyHeaders = Type.Object({
  'idempotency-key': Type.Optional(Type.String({ minLength: 8, maxLength: 128, description: 'Retries with the same key never create a second alert' })),
});

export const ActionBody = Type.Object({
  action: ActionName,
  outcome: Type.Optional(Outcome),
  pin: Type.Optional(Type.String({ pattern: '^[0-9]{4,8}$' })),
}, { additionalProperties: false });
export type ActionBody = Static<typeof ActionBody>;

export const AssignBody = Type.Object({ unitId: Type.String({ minLength: 1, maxLength: 64 }) }, { additionalProperties: false });
export type AssignBody = Static<typeof AssignBody>;

export const PinsBody = Type.Object({
  cancelPin: Type.String({ maxLength: 8 }),
  duressPin: Type.String({ maxLength: 8 }),
  currentPin: Type.Optional(Type.String({ maxLength: 8, description: 'The current cancel PIN: required once PINs are set' })),
}, { additionalProperties: false });
export type PinsBody = Static<typeof PinsBody>;

export const UnitBody = Type.Object({
  callsign: Type.String({ minLength: 1, maxLength: 32 }),
  type: UnitType,
  quadrantIds: Type.Array(Type.String({ maxLength: 64 }), { minItems: 1, maxItems: 20 }),
  phone: Type.Optional(Type.Union([Type.String({ maxLength: 32 }), Type.Null()])),
  username: Type.Optional(Type.String({ minLength: 3, maxLength: 64, pattern: '^[A-Za-z0-9._-]+$', description: 'The officer account that signs in to this unit' })),
  password: Type.Optional(Type.String({ minLength: 12, maxLength: 256 })),
}, { additionalProperties: false });
export type UnitBody = Static<typeof UnitBody>;

export const UnitPatch = Type.Object({
  type: Type.Optional(UnitType),
  quadrantIds: Type.Optional(Type.Array(Type.String({ maxLength: 64 }), { minItems: 1, maxItems: 20 })),
  phone: Type.Optional(Type.Union([Type.String({ maxLength: 32 }), Type.Null()])),
}, { additionalProperties: false });
export type UnitPatch = Static<typeof UnitPatch>;

export const ShiftBody = Type.Object({ state: Type.Union([Type.Literal('off_duty'), Type.Literal('available')]) }, { additionalProperties: false });
export type ShiftBody = Static<typeof ShiftBody>;

export const StatsGroup = Type.Union([Type.Literal('quadrant'), Type.Literal('sector'), Type.Literal('alcaldia'), Type.Literal('city')]);
export type StatsGroup = Static<typeof StatsGroup>;

export const StatsQuery = Type.Object({
  group: Type.Union([Type.Literal('quadrant'), Type.Literal('sector'), Type.Literal('alcaldia'), Type.Literal('city')], { default: 'sector' }),
  from: Type.Optional(Type.String({ format: 'date-time' })),
  to: Type.Optional(Type.String({ format: 'date-time' })),
});

// seq is a 32-bit column: past it PostgreSQL answered 500 (fuzz suite).
export const EventsQuery = Type.Object({ after: Type.Integer({ minimum: 0, maximum: 2_147_483_647, default: 0 }) });

export const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });

// ——— answers ———

/** GET /api/v1/dispatch/settings. */
export const DispatchSettings = Type.Object({
  ackTimeoutS: Type.Number(), escalateAfterS: Type.Number(), targetOnSceneS: Type.Number(), emergencyNumber: Type.String(),
  noSignalS: Type.Number({ description: 'A unit without a fix for this long is shown as "no signal"' }),
  osmandPort: Type.Integer({ description: '0 when the dedicated OsmAnd port is off' }),
});
export type DispatchSettings = Static<typeof DispatchSettings>;

/** POST /api/v1/devices: a citizen device's credential. */
export const DeviceCredential = Type.Object({ token: Type.String(), expiresAt: IsoTime(), userId: Type.String() });
export type DeviceCredential = Static<typeof DeviceCredential>;

export const UnitRef = Type.Object({ id: Type.String(), callsign: Type.String(), type: UnitType });
export type UnitRef = Static<typeof UnitRef>;

export const AlertQuadrant = Type.Object({ id: Type.String(), sector: Nullable(Type.String()), alcaldia: Nullable(Type.String()) });
export type AlertQuadrant = Static<typeof AlertQuadrant>;

/** Fields both views share, in the order they are sent. */
const alertCommon = {
  id: Type.String(),
  status: AlertStatus,
  kind: AlertKind,
  quadrant: Nullable(AlertQuadrant),
  assignedUnit: Nullable(UnitRef),
  pagedUnits: Type.Array(UnitRef),
  nextDeadlineAt: Nullable(IsoTime()),
  escalated: Type.Boolean(),
  createdAt: IsoTime(),
  acknowledgedAt: Nullable(IsoTime()),
  enRouteAt: Nullable(IsoTime()),
  onSceneAt: Nullable(IsoTime()),
  closedAt: Nullable(IsoTime()),
  version: Type.Integer({ minimum: 1, description: 'Goes up by one with every change: order updates of one alert by it (higher wins, equal is the same state), never by clock' }),
  seq: Type.Integer({ minimum: 0, description: "The seq of the alert's latest log entry (GET …/events?after=seq continues from it); after a duress cancel the citizen's stay where they froze" }),
};

/**
 * What the citizen who raised the alert sees: no coordinates of anyone, units by callsign. After
 * a duress cancel, the view frozen at that moment.
 */
export const CitizenAlertView = Type.Object({
  ...alertCommon,
  review: Type.Boolean({ description: 'The operations centre has it and is reviewing it before sending units: tell the person, offer the emergency number' }),
  emergencyNumber: Type.String(),
}, { title: 'CitizenAlertView' });
export type CitizenAlertView = Static<typeof CitizenAlertView>;

/** What units and dispatchers see. */
export const StaffAlertView = Type.Object({
  ...alertCommon,
  source: AlertSource,
  note: Nullable(Type.String()),
  address: Nullable(Type.String()),
  lat: Type.Number(),
  lon: Type.Number(),
  accuracyM: Nullable(Type.Number()),
  stage: Stage,
  escalatedAt: Nullable(IsoTime()),
  duress: Type.Boolean(),
  outcome: Nullable(Outcome),
  hold: Nullable(HoldReason),
  confirmedAt: Nullable(IsoTime()),
  updatedAt: IsoTime(),
}, { title: 'StaffAlertView' });
export type StaffAlertView = Static<typeof StaffAlertView>;

/** An alert as this caller may see it: citizens get the reduced view, staff and units the full one. */
export const AlertView = Type.Union([StaffAlertView, CitizenAlertView]);
export type AlertView = Static<typeof AlertView>;

/** One entry of an alert's append-only log (GET /api/v1/alerts/{id}/events). */
export const AlertEventView = Type.Object({
  alertId: Type.String(),
  seq: Type.Integer({ description: 'Position in the alert\'s log, from 1; ask for later ones with ?after=' }),
  at: IsoTime(),
  type: AlertEventType,
  fromStatus: Nullable(AlertStatus),
  toStatus: Nullable(AlertStatus),
  actorId: Nullable(Type.String()),
  actorRole: Type.String(),
  unitId: Nullable(Type.String()),
  details: Type.Record(Type.String(), Type.Unknown(), { description: 'Depends on the type (e.g. outcome, stage, paged units)' }),
});
export type AlertEventView = Static<typeof AlertEventView>;

/** A patrol unit (GET /api/v1/units, the `units` and `unit` realtime messages). */
export const UnitView = Type.Object({
  id: Type.String(),
  callsign: Type.String(),
  type: UnitType,
  phone: Nullable(Type.String({ description: 'E.164' })),
  shiftState: ShiftState,
  quadrantIds: Type.Array(Type.String()),
  createdAt: Type.Integer({ description: 'Epoch milliseconds' }),
  updatedAt: Type.Integer({ description: 'Epoch milliseconds' }),
});
export type UnitView = Static<typeof UnitView>;

export const GroupStats = Type.Object({
  group: Type.String(),
  alerts: Type.Integer(),
  acknowledged: Type.Integer(),
  onScene: Type.Integer(),
  ackMedianS: Nullable(Type.Number()),
  ackP90S: Nullable(Type.Number()),
  arriveMedianS: Nullable(Type.Number()),
  arriveP90S: Nullable(Type.Number()),
  withinTargetShare: Nullable(Type.Number({ description: 'Share of alerts with a unit on scene that got there within the target' })),
});
export type GroupStats = Static<typeof GroupStats>;

/** GET /api/v1/stats/response-times. */
export const ResponseTimes = Type.Object({ from: IsoTime(), to: IsoTime(), group: StatsGroup, targetS: Type.Number(), groups: Type.Array(GroupStats) });
export type ResponseTimes = Static<typeof ResponseTimes>;
