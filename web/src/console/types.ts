import type { StatsGroup as ServerStatsGroup } from '../../../src/contracts/dispatch.js';
import type { StaffSession } from '../shared/session.js';

// Shapes the console reads beyond the shared alert and unit views (web/src/shared/alerts.ts): the
// server's contract (src/contracts/, type-only), under the names the console's code uses.

export type { DispatchRole as StaffRole } from '../../../src/rules/index.js';

/** A signed-in staff account, as POST /api/v1/auth/login answers. */
export type Session = StaffSession;

export type {
  AlertEventView as AlertEvent, DispatchSettings as ConsoleSettings, GroupStats, ResponseTimes,
  UnitBody as NewUnit, UnitPatch as UnitChanges,
} from '../../../src/contracts/dispatch.js';
export type {
  GeofenceEventType, GeofenceEventView as GeofenceEvent, Tracker, TrackPoint as TrackPointFeature, UnitPositionView as UnitPosition,
  UnitTrack as TrackCollection,
} from '../../../src/contracts/tracking.js';

/** The groupings the console offers (the API also knows 'quadrant'). */
export type StatsGroup = Exclude<ServerStatsGroup, 'quadrant'>;

/** One fix of a trail, oldest first (built from the track's Points and live positions). */
export interface TrackPoint { lat: number; lon: number; at: number }
