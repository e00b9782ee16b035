// Every message /api/v1/ws sends, per audience. The first message a client sends is
// {"type":"auth","token":"…"}; it then gets `hello`, a `snapshot`, and changes as they happen.
// Dispatchers and admins see everything; a unit its pages and the alerts it was paged to; anyone
// else (a citizen's device) only their own alerts, how close the unit coming to them is, and the
// answers to their family check-ins.
import { Type, type Static } from 'typebox';
import { Role } from './accounts.js';
import { AlertEventType, CitizenAlertView, StaffAlertView, UnitView } from './dispatch.js';
import { Checkin } from './family.js';
import { GeofenceEventView, UnitPositionView } from './tracking.js';

// ——— what a client sends ———

export const AuthMessage = Type.Object({ type: Type.Literal('auth'), token: Type.String() });
export type AuthMessage = Static<typeof AuthMessage>;
export const PingMessage = Type.Object({ type: Type.Literal('ping') });
export type PingMessage = Static<typeof PingMessage>;
export const ClientMessage = Type.Union([AuthMessage, PingMessage]);
export type ClientMessage = Static<typeof ClientMessage>;

// ——— what the server sends ———

export const HelloMessage = Type.Object({ type: Type.Literal('hello'), role: Role, unitId: Type.Union([Type.String(), Type.Null()]) });
export type HelloMessage = Static<typeof HelloMessage>;

export const PongMessage = Type.Object({ type: Type.Literal('pong') });
export type PongMessage = Static<typeof PongMessage>;

/** Staff and units: the alerts open to them, on (re)connection. */
export const StaffSnapshotMessage = Type.Object({ type: Type.Literal('snapshot'), alerts: Type.Array(StaffAlertView) });
export type StaffSnapshotMessage = Static<typeof StaffSnapshotMessage>;

/** A citizen: their own alerts open to their phone, on (re)connection. */
export const CitizenSnapshotMessage = Type.Object({ type: Type.Literal('snapshot'), alerts: Type.Array(CitizenAlertView) });
export type CitizenSnapshotMessage = Static<typeof CitizenSnapshotMessage>;

/** `events`: the types of the log entries this change appended, oldest first. */
const alertEvents = Type.Array(AlertEventType, { description: 'The log entries this change appended, oldest first; the last one has seq = alert.seq' });

export const StaffAlertMessage = Type.Object({ type: Type.Literal('alert'), alert: StaffAlertView, events: alertEvents });
export type StaffAlertMessage = Static<typeof StaffAlertMessage>;

/** After a duress cancel the owner gets the frozen view once, with events ["cancel"], then nothing more. */
export const CitizenAlertMessage = Type.Object({ type: Type.Literal('alert'), alert: CitizenAlertView, events: alertEvents });
export type CitizenAlertMessage = Static<typeof CitizenAlertMessage>;

/** A unit is paged to this alert now: ring. */
export const PageMessage = Type.Object({ type: Type.Literal('page'), alert: StaffAlertView });
export type PageMessage = Static<typeof PageMessage>;

export const UnitsMessage = Type.Object({ type: Type.Literal('units'), units: Type.Array(UnitView) });
export type UnitsMessage = Static<typeof UnitsMessage>;

export const UnitMessage = Type.Object({ type: Type.Literal('unit'), unit: UnitView });
export type UnitMessage = Static<typeof UnitMessage>;

/** Last known positions: all of them after the snapshot, then the ones that moved (at most every 500 ms). */
export const PositionsMessage = Type.Object({ type: Type.Literal('positions'), positions: Type.Array(UnitPositionView) });
export type PositionsMessage = Static<typeof PositionsMessage>;

export const GeofenceMessage = Type.Object({ type: Type.Literal('geofence'), event: GeofenceEventView });
export type GeofenceMessage = Static<typeof GeofenceMessage>;

/**
 * How far the unit assigned to a citizen's open alert is — to the nearest 100 m — and in how many
 * whole minutes it should arrive; sent to that citizen only. Never where it is.
 */
export const UnitApproachMessage = Type.Object({
  type: Type.Literal('unit-position'), alertId: Type.String(),
  distanceM: Type.Integer({ description: 'Rounded to 100 m' }), etaMin: Type.Integer({ description: 'Rounded up to the minute' }),
});
export type UnitApproachMessage = Static<typeof UnitApproachMessage>;

/** A family check-in the person asked for was answered (or expired). */
export const CheckinMessage = Type.Object({ type: Type.Literal('checkin'), checkin: Checkin });
export type CheckinMessage = Static<typeof CheckinMessage>;

// ——— per audience ———

/** Dispatchers and admins. */
export const DispatcherMessage = Type.Union([
  HelloMessage, StaffSnapshotMessage, StaffAlertMessage, UnitsMessage, UnitMessage, PositionsMessage, GeofenceMessage, PongMessage,
]);
export type DispatcherMessage = Static<typeof DispatcherMessage>;

/** A unit's officer: `page` when paged, `alert` for changes to alerts it was paged to or holds. */
export const UnitAudienceMessage = Type.Union([HelloMessage, StaffSnapshotMessage, PageMessage, StaffAlertMessage, UnitMessage, PongMessage]);
export type UnitAudienceMessage = Static<typeof UnitAudienceMessage>;

/** A citizen's device (and any other signed-in account that is neither staff nor a unit). */
export const CitizenMessage = Type.Union([HelloMessage, CitizenSnapshotMessage, CitizenAlertMessage, UnitApproachMessage, CheckinMessage, PongMessage]);
export type CitizenMessage = Static<typeof CitizenMessage>;

/** Anything /api/v1/ws sends, whoever listens. */
export type ServerMessage = DispatcherMessage | UnitAudienceMessage | CitizenMessage;
