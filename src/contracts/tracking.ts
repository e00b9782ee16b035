// What the tracking routes answer and the positions and geofence events the console receives.
// Like all of src/contracts/, imports nothing but typebox: the pages import these types.
import { Type, type Static } from 'typebox';
import { IsoTime, Nullable } from './common.js';

/** One fix a unit page or a gateway sends. */
export const PositionIn = Type.Object({
  lat: Type.Number({ minimum: -90, maximum: 90 }),
  lon: Type.Number({ minimum: -180, maximum: 180 }),
  at: Type.Optional(Type.Union([Type.String({ format: 'date-time' }), Type.Integer({ minimum: 0, description: 'epoch ms' })])),
  accuracyM: Type.Optional(Type.Number({ minimum: 0 })),
  speedMps: Type.Optional(Type.Number({ minimum: 0 })),
  course: Type.Optional(Type.Number({ minimum: 0, maximum: 360 })),
  altitudeM: Type.Optional(Type.Number()),
  batteryPct: Type.Optional(Type.Number({ minimum: 0, maximum: 100 })),
}, { additionalProperties: false });
export type PositionIn = Static<typeof PositionIn>;

/** Fixes kept, and fixes dropped by reason (duplicate, future, inaccurate, too_fast…). */
export const IngestResult = Type.Object({ accepted: Type.Integer(), dropped: Type.Record(Type.String(), Type.Integer()) });
export type IngestResult = Static<typeof IngestResult>;

export const BatchIngestResult = Type.Object({
  ...IngestResult.properties,
  unknown: Type.Integer({ description: 'Positions for no known unit or registered tracker' }),
});
export type BatchIngestResult = Static<typeof BatchIngestResult>;

/** A unit's last known position (GET /api/v1/units/positions and the `positions` realtime message). */
export const UnitPositionView = Type.Object({
  unitId: Type.String(),
  callsign: Type.String(),
  type: Type.String(),
  shiftState: Type.String(),
  lat: Type.Number(),
  lon: Type.Number(),
  at: IsoTime({ description: 'When the fix was taken' }),
  speedMps: Nullable(Type.Number()),
  course: Nullable(Type.Number()),
  accuracyM: Nullable(Type.Number()),
  quadrantId: Nullable(Type.String({ description: "The quadrant the fix falls in (not necessarily the unit's own)" })),
  noSignal: Type.Boolean({ description: 'No fix for longer than the no-signal threshold when this was sent' }),
});
export type UnitPositionView = Static<typeof UnitPositionView>;

export const NearestUnit = Type.Object({
  unitId: Type.String(),
  callsign: Type.String(),
  type: Type.String(),
  distanceM: Type.Integer(),
  etaS: Type.Number(),
  etaSource: Type.Union([Type.Literal('road'), Type.Literal('estimate')]),
});
export type NearestUnit = Static<typeof NearestUnit>;

const Position = Type.Tuple([Type.Number({ description: 'lon' }), Type.Number({ description: 'lat' })]);

export const TrackLine = Type.Object({
  type: Type.Literal('Feature'),
  geometry: Type.Object({ type: Type.Literal('LineString'), coordinates: Type.Array(Position) }),
  properties: Type.Object({ unitId: Type.String(), from: IsoTime(), to: IsoTime(), points: Type.Integer(), times: Type.Array(IsoTime()) }),
});
export type TrackLine = Static<typeof TrackLine>;

export const TrackPoint = Type.Object({
  type: Type.Literal('Feature'),
  geometry: Type.Object({ type: Type.Literal('Point'), coordinates: Position }),
  properties: Type.Object({
    at: IsoTime(), speedMps: Nullable(Type.Number()), course: Nullable(Type.Number()), accuracyM: Nullable(Type.Number()),
    quadrantId: Nullable(Type.String()), source: Type.String(),
  }),
});
export type TrackPoint = Static<typeof TrackPoint>;

/** GET /api/v1/units/{id}/track: the LineString first, then one Point per fix, oldest first. */
export const UnitTrack = Type.Object({
  type: Type.Literal('FeatureCollection'),
  features: Type.Array(Type.Union([TrackLine, TrackPoint])),
});
export type UnitTrack = Static<typeof UnitTrack>;

/** A GPS tracker (Traccar Client, OsmAnd device) linked to a unit. */
export const Tracker = Type.Object({
  uniqueId: Type.String(), unitId: Type.String(), label: Nullable(Type.String()), createdAt: Type.Number({ description: 'epoch ms' }),
});
export type Tracker = Static<typeof Tracker>;

export const TrackerIdWarning = Type.Object({
  code: Type.Union([Type.Literal('TRACKER_ID_SHORT'), Type.Literal('TRACKER_ID_DIGITS_ONLY')], { description: 'TRACKER_ID_SHORT (fewer than 12 characters) or TRACKER_ID_DIGITS_ONLY (digits only, fewer than 16)' }),
  message: Type.Object({ es: Type.String(), en: Type.String() }),
});
export type TrackerIdWarning = Static<typeof TrackerIdWarning>;

export const RegisteredTracker = Type.Object({ ...Tracker.properties, warnings: Type.Array(TrackerIdWarning) });
export type RegisteredTracker = Static<typeof RegisteredTracker>;

export const TrackerBody = Type.Object({
  uniqueId: Type.String({ minLength: 1, maxLength: 128 }), unitId: Type.String({ minLength: 1, maxLength: 64 }), label: Type.Optional(Type.String({ maxLength: 120 })),
}, { additionalProperties: false });
export type TrackerBody = Static<typeof TrackerBody>;

/** A network that swept tracker ids and was throttled. */
export const SweepNoticeView = Type.Object({
  at: IsoTime(),
  network: Type.String({ description: 'keyed hash of the source network (never its address)' }),
  unknownIds: Type.Integer(), windowS: Type.Integer(), blockedUntil: Type.String(),
});
export type SweepNoticeView = Static<typeof SweepNoticeView>;

export const GeofenceEventType = Type.Union([Type.Literal('left_assignment'), Type.Literal('returned'), Type.Literal('outside_too_long')]);
export type GeofenceEventType = Static<typeof GeofenceEventType>;

/** A unit leaving or re-entering its assigned quadrants (GET /api/v1/geofence-events, `geofence` messages). */
export const GeofenceEventView = Type.Object({
  unitId: Type.String(), at: IsoTime(), type: GeofenceEventType, quadrantId: Nullable(Type.String()),
  outsideSinceMs: Type.Optional(Type.Number({ description: 'How long the unit has been out (outside_too_long)' })),
});
export type GeofenceEventView = Static<typeof GeofenceEventView>;
