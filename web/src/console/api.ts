import type { RaiseBody } from '../../../src/contracts/dispatch.js';
import type { RegisteredTracker, SweepNoticeView } from '../../../src/contracts/tracking.js';
import type { AlertAction, AlertKind, Outcome, StaffAlertView, Unit } from '../shared/alerts.js';
import { request } from '../shared/api.js';
import { actOnAlert, listAlerts, listUnits, logout, type SessionCall } from '../shared/dispatchApi.js';
import type {
  AlertEvent, ConsoleSettings, GeofenceEvent, NewUnit, ResponseTimes, StatsGroup, TrackCollection, Tracker, UnitChanges, UnitPosition,
} from './types.js';

/** A network that sent many unregistered tracker ids (GET /api/v1/trackers/sweeps); `network` is a keyed hash. */
export type TrackerSweep = SweepNoticeView;

// The console's HTTP calls, on top of the shared dispatch client, each made through the session
// (bearer token; a 401 ends the session, see sessionCaller).

/** A random key per draft, so a retried submission never creates a second alert. */
export function idempotencyKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return 'console-' + Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** A dispatcher's alert from a phone call always says what kind it is. */
export type NewAlert = Omit<RaiseBody, 'accuracy'> & { kind: AlertKind };

/** The calls a signed-in dispatcher makes. */
export function staffApi(authed: SessionCall) {
  const path = (id: string) => `/api/v1/alerts/${encodeURIComponent(id)}`;
  const unitPath = (id: string) => `/api/v1/units/${encodeURIComponent(id)}`;
  return {
    signOut: () => authed((o) => logout(o)),
    openAlerts: () => authed((o) => listAlerts<StaffAlertView>(o)),
    units: () => authed((o) => listUnits(o)),
    events: (id: string, signal?: AbortSignal) => authed((o) => request<AlertEvent[]>('GET', `${path(id)}/events`, undefined, o), signal),
    assign: (id: string, unitId: string) => authed((o) => request<StaffAlertView>('POST', `${path(id)}/assign`, { unitId }, o)),
    act: (id: string, action: AlertAction, outcome?: Outcome) =>
      authed((o) => actOnAlert<StaffAlertView>(id, outcome ? { action, outcome } : { action }, o)),
    raise: (alert: NewAlert, key: string) =>
      authed((o) => request<StaffAlertView>('POST', '/api/v1/alerts', alert, { ...o, headers: { 'idempotency-key': key } })),
    responseTimes: (group: StatsGroup, signal?: AbortSignal) =>
      authed((o) => request<ResponseTimes>('GET', `/api/v1/stats/response-times?group=${group}`, undefined, o), signal),
    settings: () => authed((o) => request<ConsoleSettings>('GET', '/api/v1/dispatch/settings', undefined, o)),
    // patrol tracking
    positions: () => authed((o) => request<UnitPosition[]>('GET', '/api/v1/units/positions', undefined, o)),
    track: (unitId: string, from: Date, to: Date, signal?: AbortSignal) => {
      const query = new URLSearchParams({ from: from.toISOString(), to: to.toISOString() });
      return authed((o) => request<TrackCollection>('GET', `${unitPath(unitId)}/track?${query}`, undefined, o), signal);
    },
    geofenceEvents: () => authed((o) => request<GeofenceEvent[]>('GET', '/api/v1/geofence-events', undefined, o)),
    // units and trackers (admins)
    createUnit: (unit: NewUnit) => authed((o) => request<Unit>('POST', '/api/v1/units', unit, o)),
    updateUnit: (id: string, changes: UnitChanges) => authed((o) => request<Unit>('PATCH', unitPath(id), changes, o)),
    trackers: (signal?: AbortSignal) => authed((o) => request<Tracker[]>('GET', '/api/v1/trackers', undefined, o), signal),
    addTracker: (uniqueId: string, unitId: string, label?: string) =>
      authed((o) => request<RegisteredTracker>('POST', '/api/v1/trackers', { uniqueId, unitId, ...(label ? { label } : {}) }, o)),
    removeTracker: (uniqueId: string) =>
      authed((o) => request<void>('DELETE', `/api/v1/trackers/${encodeURIComponent(uniqueId)}`, undefined, o)),
    /** Networks that swept tracker ids and were throttled (the trackers panel shows them). */
    trackerSweeps: (signal?: AbortSignal) => authed((o) => request<TrackerSweep[]>('GET', '/api/v1/trackers/sweeps', undefined, o), signal),
  };
}

export type StaffApi = ReturnType<typeof staffApi>;
