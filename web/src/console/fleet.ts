import { useEffect, useState } from 'preact/hooks';
import type { ServerMessage } from '../shared/alerts.js';
import type { ConnectionState } from '../shared/realtime.js';
import type { StaffApi } from './api.js';
import { serverNow } from './clock.js';
import { throttle } from './throttle.js';
import type { ConsoleSettings, GeofenceEvent, UnitPosition } from './types.js';

// Where every unit is, kept apart from the alerts: positions change twice a second for a thousand
// units, and only the map (and a few small panels, at their own pace) should pay for that.
//
// Normalised by unitId. A fix never replaces a newer one (a REST answer may cross a live update).
// The positions message that directly follows `units` is the connection's snapshot and replaces
// everything (the server sends the two back to back); later ones carry only the units that moved.
//
// "No signal": the server marks a position stale when it sends it. It does not tell when a unit
// goes quiet afterwards, so the store ages fixes itself with the server's threshold when the
// server publishes it (`noSignalS` in /api/v1/dispatch/settings), and otherwise relies on
// re-reading /api/v1/units/positions every few seconds (see useFleetSync).

export interface Fix extends UnitPosition { atMs: number }

const DAY_MS = 24 * 3600_000;

export class FleetStore {
  private fixes = new Map<string, Fix>();
  private silent = new Set<string>();
  private noSignalMs: number | null = null;
  private events = new Map<string, GeofenceEvent>();
  private outsideByUnit = new Map<string, GeofenceEvent>();
  private dismissed = new Set<string>();
  private previousType: string | null = null;
  private listeners = new Set<() => void>();
  /** Bumps on every change. */
  version = 0;

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Every realtime message goes through here; only tracking ones matter. */
  apply(m: ServerMessage): void {
    if (m.type === 'positions') this.upsert(m.positions, this.previousType === 'units');
    else if (m.type === 'geofence') this.addGeofence([m.event]);
    this.previousType = m.type;
  }

  /** Newer fixes win; with `replace`, units missing from `list` are forgotten. */
  upsert(list: readonly UnitPosition[], replace = false): void {
    const next = replace ? new Map<string, Fix>() : this.fixes;
    for (const p of list) {
      const atMs = Date.parse(p.at);
      if (!Number.isFinite(atMs) || !Number.isFinite(p.lat) || !Number.isFinite(p.lon)) continue;
      const known = this.fixes.get(p.unitId);
      next.set(p.unitId, known && known.atMs > atMs ? known : { ...p, atMs });
    }
    this.fixes = next;
    this.age(serverNow());
    this.changed();
  }

  /** The server's no-signal threshold, when it publishes one. */
  setNoSignalMs(ms: number | null): void {
    this.noSignalMs = ms;
    this.tick(serverNow());
  }

  get knowsThreshold(): boolean { return this.noSignalMs !== null; }

  /** Re-judges every fix's age; notifies only when a unit went quiet (or came back). */
  tick(now: number): void {
    if (this.age(now)) this.changed();
  }

  get(unitId: string): Fix | undefined { return this.fixes.get(unitId); }

  /** Shown as "no signal": stale when the server last said so, or older than its threshold. */
  isSilent(unitId: string): boolean { return this.silent.has(unitId); }

  all(): IterableIterator<Fix> { return this.fixes.values(); }

  get size(): number { return this.fixes.size; }

  // ——— geofence ———

  addGeofence(events: readonly GeofenceEvent[]): void {
    const horizon = serverNow() - DAY_MS;
    for (const e of events) if (Date.parse(e.at) >= horizon) this.events.set(eventKey(e), e);
    const out = new Map<string, GeofenceEvent>();
    for (const e of [...this.events.values()].sort((a, b) => Date.parse(a.at) - Date.parse(b.at))) {
      if (e.type === 'outside_too_long') out.set(e.unitId, e);
      else if (e.type === 'returned') out.delete(e.unitId);
    }
    for (const [key, e] of this.events) if (Date.parse(e.at) < horizon) this.events.delete(key);
    this.outsideByUnit = out;
    this.changed();
  }

  /** The unit has been outside its quadrants for too long (and has not come back since). */
  outside(unitId: string): GeofenceEvent | undefined { return this.outsideByUnit.get(unitId); }

  /** Units still outside for too long that the dispatcher has not dismissed, newest first. */
  notices(): GeofenceEvent[] {
    return [...this.outsideByUnit.values()]
      .filter((e) => !this.dismissed.has(eventKey(e)))
      .sort((a, b) => Date.parse(b.at) - Date.parse(a.at));
  }

  dismiss(e: GeofenceEvent): void {
    this.dismissed.add(eventKey(e));
    this.changed();
  }

  close(): void { this.listeners.clear(); }

  private age(now: number): boolean {
    let changed = false;
    const next = new Set<string>();
    for (const f of this.fixes.values()) {
      const silent = f.noSignal || (this.noSignalMs !== null && now - f.atMs > this.noSignalMs);
      if (silent) next.add(f.unitId);
      if (silent !== this.silent.has(f.unitId)) changed = true;
    }
    if (next.size !== this.silent.size) changed = true;
    this.silent = next;
    return changed;
  }

  private changed(): void {
    this.version += 1;
    for (const l of [...this.listeners]) l();
  }
}

const eventKey = (e: GeofenceEvent) => `${e.unitId}|${e.at}|${e.type}`;

/** Re-renders at most once per `everyMs` when the fleet changes; returns its version. */
export function useFleetVersion(fleet: FleetStore, everyMs = 1000): number {
  const [version, setVersion] = useState(fleet.version);
  useEffect(() => {
    const update = throttle(() => setVersion(fleet.version), everyMs);
    const off = fleet.subscribe(update);
    update();
    return () => { off(); update.cancel(); };
  }, [fleet, everyMs]);
  return version;
}

const AGE_EVERY_MS = 1000;
/** Re-read every position this often when the server's threshold is unknown (see above) … */
const RECONCILE_BLIND_MS = 2000;
/** … and this often when it is known, in case a message was missed. */
const RECONCILE_MS = 60_000;

/**
 * Keeps the fleet honest beyond the socket: the no-signal threshold, the last 24 h of geofence
 * events after every (re)connection, and a periodic re-read of all positions.
 */
export function useFleetSync(fleet: FleetStore, api: StaffApi, connection: ConnectionState, settings: ConsoleSettings | null): void {
  const connected = connection === 'connected';
  const thresholdMs = typeof settings?.noSignalS === 'number' ? settings.noSignalS * 1000 : null;

  useEffect(() => { fleet.setNoSignalMs(thresholdMs); }, [fleet, thresholdMs]);

  useEffect(() => {
    const timer = setInterval(() => fleet.tick(serverNow()), AGE_EVERY_MS);
    return () => clearInterval(timer);
  }, [fleet]);

  useEffect(() => {
    if (!connected) return;
    let live = true;
    api.geofenceEvents().then((list) => { if (live) fleet.addGeofence(list); }, () => undefined);
    return () => { live = false; };
  }, [fleet, api, connected]);

  useEffect(() => {
    if (!connected) return;
    let live = true;
    let busy = false;
    const every = setInterval(() => {
      if (busy) return;
      busy = true;
      api.positions().then((list) => { if (live) fleet.upsert(list); }, () => undefined).finally(() => { busy = false; });
    }, thresholdMs === null ? RECONCILE_BLIND_MS : RECONCILE_MS);
    return () => { live = false; clearInterval(every); };
  }, [fleet, api, connected, thresholdMs]);
}

/** GET /api/v1/dispatch/settings once per session (null until it answers, or if it fails). */
export function useSettings(api: StaffApi): ConsoleSettings | null {
  const [settings, setSettings] = useState<ConsoleSettings | null>(null);
  useEffect(() => {
    let live = true;
    api.settings().then((s) => { if (live) setSettings(s); }, () => undefined);
    return () => { live = false; };
  }, [api]);
  return settings;
}
