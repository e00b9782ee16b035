import type { AlertStatus, UnitType } from '../shared/alerts.js';
import type { StaffSession } from '../shared/session.js';

// Shapes the console reads beyond the shared alert and unit views (web/src/shared/alerts.ts).

export type StaffRole = 'dispatcher' | 'admin';

/** A signed-in staff account, as POST /api/v1/auth/login answers. */
export type Session = StaffSession;

/** One entry of an alert's append-only log (GET /api/v1/alerts/{id}/events). */
export interface AlertEvent {
  seq: number;
  at: string;
  type: string;
  fromStatus: AlertStatus | null;
  toStatus: AlertStatus | null;
  actorRole: string;
  unitId: string | null;
  details: Record<string, unknown>;
}

export type StatsGroup = 'sector' | 'alcaldia' | 'city';

export interface GroupStats {
  group: string;
  alerts: number;
  acknowledged: number;
  onScene: number;
  ackMedianS: number | null;
  ackP90S: number | null;
  arriveMedianS: number | null;
  arriveP90S: number | null;
  withinTargetShare: number | null;
}

export interface ResponseTimes { from: string; to: string; group: StatsGroup; targetS: number; groups: GroupStats[] }

// ——— patrol tracking (src/tracking) ———

/** A unit's last known position (GET /api/v1/units/positions and the `positions` realtime message). */
export interface UnitPosition {
  unitId: string;
  callsign: string;
  type: string;
  shiftState: string;
  lat: number;
  lon: number;
  /** When the fix was taken (device time), ISO. */
  at: string;
  speedMps: number | null;
  course: number | null;
  accuracyM: number | null;
  /** The quadrant the fix falls in (not necessarily the unit's own). */
  quadrantId: string | null;
  /** The server found no fix for longer than its no-signal threshold when it sent this. */
  noSignal: boolean;
}

export type GeofenceEventType = 'left_assignment' | 'returned' | 'outside_too_long';

/** A unit leaving or re-entering its assigned quadrants (GET /api/v1/geofence-events, `geofence` messages). */
export interface GeofenceEvent { unitId: string; at: string; type: GeofenceEventType; quadrantId: string | null; outsideSinceMs?: number }

/** A GPS tracker (Traccar Client, OsmAnd device) linked to a unit. */
export interface Tracker { uniqueId: string; unitId: string; label: string | null; createdAt: number }

/** GET /api/v1/units/{id}/track: a LineString, then one Point per fix. */
export interface TrackCollection {
  type: 'FeatureCollection';
  features: Array<
    | { type: 'Feature'; geometry: { type: 'LineString'; coordinates: Array<[number, number]> }; properties: Record<string, unknown> }
    | { type: 'Feature'; geometry: { type: 'Point'; coordinates: [number, number] }; properties: { at: string } & Record<string, unknown> }
  >;
}

/** One fix of a trail, oldest first. */
export interface TrackPoint { lat: number; lon: number; at: number }

/** The realtime messages of tracking, which the shared ServerMessage union does not list. */
export type TrackingMessage =
  | { type: 'positions'; positions: UnitPosition[] }
  | { type: 'geofence'; event: GeofenceEvent };

/** GET /api/v1/dispatch/settings, with the tracking fields the server may publish. */
export interface ConsoleSettings {
  ackTimeoutS: number;
  escalateAfterS: number;
  targetOnSceneS: number;
  emergencyNumber: string;
  /** A unit without a fix for this long is "no signal" (when the server publishes it). */
  noSignalS?: number;
  /** The OsmAnd listener's port, 0 when off (when the server publishes it). */
  osmandPort?: number;
}

export interface NewUnit {
  callsign: string;
  type: UnitType;
  quadrantIds: string[];
  phone?: string;
  username?: string;
  password?: string;
}

export interface UnitChanges { type?: UnitType; quadrantIds?: string[]; phone?: string | null }
