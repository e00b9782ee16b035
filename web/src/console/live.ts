import { useEffect, useMemo, useState } from 'preact/hooks';
import { isOpenStatus, type ServerMessage, type StaffAlertView, type Unit } from '../shared/alerts.js';
import { createRealtime, supersedes, type ConnectionState } from '../shared/realtime.js';
import type { StaffApi } from './api.js';
import { sampleServerTime } from './clock.js';
import { FleetStore } from './fleet.js';
import { throttle } from './throttle.js';
import { byUrgency } from './urgency.js';

// What the console knows right now: open alerts, recently closed ones (so a selection survives
// its own resolution), units, and the connection. Fed by the realtime socket — a snapshot after
// every (re)connection replaces everything — and by the answers to the console's own actions.
// Unit positions and geofence events go to a store of their own (fleet.ts), fed by the same socket.

export interface LiveState {
  /** Open alerts, most urgent first. */
  queue: StaffAlertView[];
  /** Open and recently closed alerts by id. */
  alerts: ReadonlyMap<string, StaffAlertView>;
  units: Unit[];
  connection: ConnectionState;
  /** Bumps whenever any alert changes (the KPI panel refreshes on it). */
  revision: number;
}

const RECENTLY_CLOSED = 30;
const RENDER_EVERY_MS = 120;

export class LiveStore {
  private open = new Map<string, StaffAlertView>();
  private closed = new Map<string, StaffAlertView>();
  private unitMap = new Map<string, Unit>();
  private connection: ConnectionState = 'idle';
  private revision = 0;
  private listeners = new Set<() => void>();
  private readonly notify = throttle(() => { for (const l of [...this.listeners]) l(); }, RENDER_EVERY_MS);

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  apply(message: ServerMessage): void {
    switch (message.type) {
      case 'snapshot': this.replaceAlerts(message.alerts as StaffAlertView[]); break;
      case 'alert': case 'page':
        sampleServerTime((message.alert as StaffAlertView).updatedAt);
        this.upsert(message.alert as StaffAlertView);
        break;
      case 'units': this.replaceUnits(message.units); break;
      case 'unit': this.unitMap.set(message.unit.id, message.unit); this.notify(); break;
      default: break;
    }
  }

  setConnection(state: ConnectionState): void {
    this.connection = state;
    this.notify();
  }

  /** An alert as the server last described it; an older description never overwrites a newer one. */
  upsert(alert: StaffAlertView): void {
    const known = this.open.get(alert.id) ?? this.closed.get(alert.id);
    if (!supersedes(alert, known)) return;
    if (isOpenStatus(alert.status)) {
      this.closed.delete(alert.id);
      this.open.set(alert.id, alert);
    } else {
      this.open.delete(alert.id);
      this.closed.set(alert.id, alert);
      if (this.closed.size > RECENTLY_CLOSED) this.closed.delete(this.closed.keys().next().value!);
    }
    this.changed();
  }

  replaceAlerts(alerts: readonly StaffAlertView[]): void {
    this.open = new Map(alerts.filter((a) => isOpenStatus(a.status)).map((a) => [a.id, a]));
    for (const id of this.open.keys()) this.closed.delete(id);
    this.changed();
  }

  replaceUnits(units: readonly Unit[]): void {
    this.unitMap = new Map(units.map((u) => [u.id, u]));
    this.notify();
  }

  state(): LiveState {
    return {
      queue: [...this.open.values()].sort(byUrgency),
      alerts: new Map([...this.closed, ...this.open]),
      units: [...this.unitMap.values()].sort((a, b) => a.callsign.localeCompare(b.callsign)),
      connection: this.connection,
      revision: this.revision,
    };
  }

  close(): void {
    this.notify.cancel();
    this.listeners.clear();
  }

  private changed(): void {
    this.revision += 1;
    this.notify();
  }
}

/** While the socket is down for longer than this, the queue is refreshed over HTTP instead. */
const FALLBACK_AFTER_MS = 5000;
const FALLBACK_EVERY_MS = 15_000;

/** Connects the store to the realtime socket for as long as the console is signed in. */
export function useLive(token: string, api: StaffApi) {
  const store = useMemo(() => new LiveStore(), [token]);
  const fleet = useMemo(() => new FleetStore(), [token]);
  const [state, setState] = useState<LiveState>(() => store.state());

  useEffect(() => {
    const realtime = createRealtime({ token });
    const offMessage = realtime.onMessage((m) => { store.apply(m); fleet.apply(m); });
    const offState = realtime.onState((s) => store.setConnection(s));
    const unsubscribe = store.subscribe(() => setState(store.state()));
    realtime.start();
    setState(store.state());
    return () => {
      offMessage();
      offState();
      unsubscribe();
      realtime.stop();
      store.close();
      fleet.close();
    };
  }, [store, fleet]);

  usePollingWhileDisconnected(state.connection, store, fleet, api);
  return { state, store, fleet };
}

function usePollingWhileDisconnected(connection: ConnectionState, store: LiveStore, fleet: FleetStore, api: StaffApi): void {
  const down = connection === 'reconnecting' || connection === 'connecting';
  useEffect(() => {
    if (!down) return;
    let stopped = false;
    const poll = async () => {
      try {
        const [alerts, units, positions] = await Promise.all([api.openAlerts(), api.units(), api.positions()]);
        if (stopped) return;
        store.replaceAlerts(alerts);
        store.replaceUnits(units);
        fleet.upsert(positions);
      } catch {
        // The banner already says the data may be stale.
      }
    };
    const first = setTimeout(poll, FALLBACK_AFTER_MS);
    const every = setInterval(poll, FALLBACK_EVERY_MS);
    return () => { stopped = true; clearTimeout(first); clearInterval(every); };
  }, [down, store, fleet, api]);
}
