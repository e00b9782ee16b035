// Fans events out over WebSocket, each audience seeing only what it may: a unit its pages and
// the alerts it was paged to, a citizen their own alerts, dispatchers everything. On
// (re)connection each client first gets a snapshot, which is how a phone that lost its connection
// catches up. The hub holds sockets and routing only: which view each audience gets (and the
// duress freeze) is dispatch's read model; how far the unit coming is, the fleet's.
import type { WebSocket } from 'ws';
import type { AccountService, Principal, SessionInfo, SessionsEnded } from '../accounts/index.js';
import type { AlertChanged, Approach, DispatchReadModel } from '../dispatch/index.js';
import { distanceAndEta, type FleetBus, type LastKnownPositions, type Unit } from '../fleet/index.js';
import type { Fix, GeofenceEvent, TrackingBus } from '../tracking/index.js';
import type { CheckinService } from '../family/index.js';
import { isDispatchStaff } from '../rules/index.js';
import { DomainError } from '../kernel/index.js';
import type { CitizenMessage, DispatcherMessage, ServerMessage, UnitAudienceMessage } from '../contracts/realtime.js';

// Each message is typed against what its audience may receive (src/contracts/realtime.ts).
const toStaff = (m: DispatcherMessage): string => JSON.stringify(m);
const toUnits = (m: UnitAudienceMessage): string => JSON.stringify(m);
const toCitizens = (m: CitizenMessage): string => JSON.stringify(m);

/** What the hub reads from the other contexts, each through its public face. */
export interface HubPorts {
  dispatch: DispatchReadModel;
  accounts: AccountService;
  fleetBus: FleetBus;
  positions: LastKnownPositions<Fix>;
  trackingBus: TrackingBus;
  checkins: CheckinService;
}

/**
 * A signed-in socket, with the session it stands on: it is closed the moment that session ends.
 * `told`: the version of each alert this socket has been shown (staff and units). With several
 * instances one alert's changes reach a hub out of order — its own instance's at once, another's a
 * bus hop later (seconds, across a stream leader change) — and a snapshot read from the database may
 * already hold a change still on its way; the socket gets each version at most once, never an older
 * one after a newer. `pending`: alert messages held while the socket's snapshot is read, sent after it.
 */
interface Client {
  socket: WebSocket; principal: Principal; alive: boolean; tokenHash: string; expiresAt: number;
  told: Map<string, number>; pending: (() => void)[] | null;
}

const AUTH_TIMEOUT_MS = 5000;
/**
 * How often open sockets are checked against their sessions: expiry (by the injected clock) and
 * tokens revoked or users disabled by any instance on the same database. Revocations in this
 * process close sockets at once (AccountService's event); this catches the rest within a second.
 */
const SESSION_CHECK_MS = 500;
/** Revocations are read back this far, so a row committed late or stamped by a clock slightly behind is still seen. */
const REVOCATION_OVERLAP_MS = 10_000;
/** Close code for a session that ended (revoked, expired, disabled) or a token refused; pages go back to sign-in. */
export const CLOSE_SESSION_ENDED = 4401;
/** Close code for a session that must change its password before it may see anything. */
export const CLOSE_PASSWORD_CHANGE = 4403;
/** "Service restart" (RFC 6455): this instance cannot see the others' changes; reconnect, and the load balancer sends you to one that can. */
export const CLOSE_MOVE_ELSEWHERE = 1012;
/** "Internal error" (RFC 6455): the session could not be checked (the database did not answer); try again. */
export const CLOSE_SERVER_ERROR = 1011;
const HEARTBEAT_MS = 25_000;
/** Positions are coalesced per unit and sent at most this often: a thousand units cannot flood a page. */
const POSITION_FLUSH_MS = 500;
/** Alerts whose last shown version a socket remembers (oldest forgotten first): a console's shift, with room. */
const TOLD_MAX = 5000;

export class RealtimeHub {
  private byUnit = new Map<string, Set<Client>>();
  private byUser = new Map<string, Set<Client>>();
  private staff = new Set<Client>();
  private timers: NodeJS.Timeout[] = [];
  private queue: Promise<void> = Promise.resolve();
  private pendingPositions = new Map<string, Fix>();
  /** The open alert each unit is coming to (dispatch's rule: approachOf), by unit id. */
  private assignments = new Map<string, Approach>();
  /** Every signed-in socket by user id, whatever the role (for cutting sessions off). */
  private sessions = new Map<string, Set<Client>>();
  private checkedUntil = 0;
  private checking = false;
  /** This hub's own subscriptions: close() removes these and nothing else. */
  private disposers: (() => void)[] = [];
  private accounts: AccountService;
  private dispatch: DispatchReadModel;
  private positions: LastKnownPositions<Fix>;

  /** Nothing runs until start(): the composition root starts and stops the hub in its order. */
  constructor(private ports: HubPorts, private onError: (err: unknown) => void) {
    this.accounts = ports.accounts;
    this.dispatch = ports.dispatch;
    this.positions = ports.positions;
  }

  start(): void {
    if (this.disposers.length) return;
    const { accounts, dispatch, checkins, fleetBus, trackingBus } = this.ports;
    this.disposers = [
      // The requester sees a check-in's answer live.
      checkins.onCheckin(({ ownerId, checkin }) => {
        const msg = toCitizens({ type: 'checkin', checkin });
        for (const c of this.byUser.get(ownerId) ?? []) this.sendRaw(c, msg);
      }),
      dispatch.onAlertChanged((c) => this.enqueue(() => this.alertChanged(c))),
      fleetBus.onUnitChanged((u) => this.enqueue(async () => this.unitChanged(u))),
      trackingBus.subscribe('position', (f) => { this.pendingPositions.set(f.unitId, f); }),
      trackingBus.subscribe('geofence', (e) => this.geofence(e)),
      accounts.onSessionsEnded((e) => this.sessionsEnded(e)),
    ];
    this.checkedUntil = accounts.now();
    this.timers = [
      setInterval(() => this.ping(), HEARTBEAT_MS),
      setInterval(() => this.flushPositions(), POSITION_FLUSH_MS),
      setInterval(() => { void this.checkSessions(); }, SESSION_CHECK_MS),
    ];
    for (const t of this.timers) t.unref();
    // After a restart: which units are on their way to which citizens.
    this.enqueue(async () => { for (const a of await dispatch.approaches()) this.assignments.set(a.unitId, a); });
  }

  /** False while this instance is cut off from the bus: what it would send could miss other instances' changes. */
  get accepting(): boolean { return this.unavailable === null; }
  private unavailable: string | null = null;

  /**
   * Cut off from the others (the bus is lost): every open socket is closed with 1012 so its page
   * reconnects — through the load balancer, to an instance that is ready — and new ones are turned
   * away until the bus is back. Alerts posted here still commit; only live views move.
   */
  setAvailable(available: boolean, reason = 'instance not ready'): void {
    this.unavailable = available ? null : reason;
    if (available) return;
    const all = new Set<Client>([...this.staff, ...[...this.byUnit.values(), ...this.byUser.values()].flatMap((set) => [...set])]);
    for (const c of all) c.socket.close(CLOSE_MOVE_ELSEWHERE, reason);
  }

  get connections(): number { return this.staff.size + [...this.byUnit.values(), ...this.byUser.values()].reduce((n, s) => n + s.size, 0); }

  /** Messages go out in the order events happened. */
  private enqueue(task: () => Promise<void>): void {
    this.queue = this.queue.then(task).catch(this.onError);
  }

  /** The first message must be {"type":"auth","token":"…"} (tokens stay out of URLs and logs). */
  attach(socket: WebSocket): void {
    if (this.unavailable !== null) { socket.close(CLOSE_MOVE_ELSEWHERE, this.unavailable); return; }
    const timeout = setTimeout(() => socket.close(CLOSE_SESSION_ENDED, 'auth required'), AUTH_TIMEOUT_MS);
    // ws closes the socket itself (1009) on a message over maxPayload, after an 'error' event that
    // must be listened to: unheard, it would throw.
    socket.on('error', () => clearTimeout(timeout));
    socket.once('close', () => clearTimeout(timeout));
    socket.once('message', (data) => {
      clearTimeout(timeout);
      void this.authenticate(socket, String(data));
    });
  }

  private async authenticate(socket: WebSocket, raw: string): Promise<void> {
    let token: unknown;
    try { token = (JSON.parse(raw) as { type?: string; token?: unknown }).token; } catch { /* handled below */ }
    if (typeof token !== 'string') { socket.close(4400, 'first message must be {"type":"auth","token":…}'); return; }
    let session: SessionInfo;
    try {
      session = await this.accounts.session(token);
    } catch (err) {
      // Only a refused token signs the page out; a database that does not answer is ours to fix, and
      // the page should simply try again (1011), not drop an officer's session.
      if (err instanceof DomainError && err.code === 'INVALID_TOKEN') socket.close(CLOSE_SESSION_ENDED, 'invalid token');
      else { socket.close(CLOSE_SERVER_ERROR, 'try again'); this.onError(err); }
      return;
    }
    if (session.mustChangePassword) { socket.close(CLOSE_PASSWORD_CHANGE, 'password change required'); return; }
    if (socket.readyState !== socket.OPEN) return; // gone while the token was looked up
    const { principal } = session;
    const client: Client = { socket, principal, alive: true, tokenHash: session.tokenHash, expiresAt: session.expiresAt, told: new Map(), pending: [] };
    this.add(client);
    socket.on('pong', () => { client.alive = true; });
    socket.on('message', (d) => { if (String(d).includes('"ping"')) this.send(client, { type: 'pong' }); });
    socket.on('close', () => this.remove(client));
    socket.on('error', () => this.remove(client));
    this.send(client, { type: 'hello', role: principal.role, unitId: principal.unitId });
    try {
      await this.snapshot(client);
    } finally {
      // Changes that came in while the snapshot was read, each sent only if newer than what it showed.
      const held = client.pending ?? [];
      client.pending = null;
      for (const deliver of held) deliver();
    }
  }

  private add(c: Client): void {
    const { role, unitId, userId } = c.principal;
    setAdd(this.sessions, userId, c);
    if (isDispatchStaff(role)) this.staff.add(c);
    else if (role === 'unit' && unitId) setAdd(this.byUnit, unitId, c);
    else setAdd(this.byUser, userId, c);
  }

  private remove(c: Client): void {
    setDelete(this.sessions, c.principal.userId, c);
    this.staff.delete(c);
    if (c.principal.unitId) setDelete(this.byUnit, c.principal.unitId, c);
    setDelete(this.byUser, c.principal.userId, c);
  }

  private async snapshot(c: Client): Promise<void> {
    const { role, unitId } = c.principal;
    // Staff snapshots are audited (one entry per connection); a citizen's holds only what is open to their phone.
    const snap = await this.dispatch.snapshot({ userId: c.principal.userId, role, unitId });
    if (role !== 'citizen') for (const a of snap.alerts) this.remember(c, a.id, a.version);
    // The read model chose the view by the socket's role: staff views for staff and units, the citizen's otherwise.
    this.send(c, { type: 'snapshot', alerts: snap.alerts } as ServerMessage);
    if (snap.units) {
      this.send(c, { type: 'units', units: snap.units });
      this.send(c, { type: 'positions', positions: this.positions.positions() });
    }
  }

  private async alertChanged(change: AlertChanged): Promise<void> {
    const out = await this.dispatch.fanOut(change);
    this.trackAssignment(out.alertId, out.approach);
    const { id, version } = out.staff.alert;
    const staffMsg = toStaff({ type: 'alert', alert: out.staff.alert, events: out.staff.events });
    for (const c of this.staff) this.deliver(c, id, version, staffMsg);

    // A unit paged to it that this socket has not been told of yet gets the page (whichever change
    // reaches this instance first); the others an update.
    const pageMsg = toUnits({ type: 'page', alert: out.staff.alert });
    const paged = new Set([...out.newlyPaged, ...out.staff.alert.pagedUnits.map((u) => u.id)]);
    for (const unitId of out.units) {
      for (const c of this.byUnit.get(unitId) ?? []) this.deliver(c, id, version, staffMsg, paged.has(unitId) ? pageMsg : staffMsg);
    }

    if (out.citizen) {
      const owners = this.byUser.get(out.citizen.ownerId);
      if (owners?.size) {
        const msg = toCitizens({ type: 'alert', alert: out.citizen.alert, events: out.citizen.events });
        // Not by version: a duress cancel's frozen view keeps the version of the duress write.
        for (const c of owners) this.deliver(c, null, 0, msg);
      }
    }
  }

  /** One alert change to one socket: after its snapshot, and never a version it was already shown (or an older one). */
  private deliver(c: Client, alertId: string | null, version: number, update: string, first = update): void {
    if (c.pending) { c.pending.push(() => this.deliver(c, alertId, version, update, first)); return; }
    if (alertId === null) { this.sendRaw(c, update); return; }
    const shown = c.told.get(alertId);
    if (shown !== undefined && version <= shown) return;
    this.remember(c, alertId, version);
    this.sendRaw(c, shown === undefined ? first : update);
  }

  private remember(c: Client, alertId: string, version: number): void {
    c.told.delete(alertId); // re-inserted last: the oldest-touched alert is forgotten first
    c.told.set(alertId, version);
    if (c.told.size > TOLD_MAX) c.told.delete(c.told.keys().next().value!);
  }

  private trackAssignment(alertId: string, approach: Approach | null): void {
    for (const [unitId, a] of this.assignments) if (a.alertId === alertId) this.assignments.delete(unitId);
    if (approach) this.assignments.set(approach.unitId, approach);
  }

  /**
   * Staff see every unit move; a citizen sees only how far the unit coming to their alert is and
   * when it should arrive — distance to the nearest 100 m, ETA in whole minutes — never where it
   * is: anyone can raise an alert, and must not be able to watch a patrol car come.
   */
  private flushPositions(): void {
    if (this.pendingPositions.size === 0) return;
    const fixes = [...this.pendingPositions.values()];
    this.pendingPositions.clear();
    const views = fixes.flatMap((f) => {
      const v = this.positions.viewOf(f.unitId);
      return v ? [v] : [];
    });
    if (views.length && this.staff.size) {
      const msg = toStaff({ type: 'positions', positions: views });
      for (const c of this.staff) this.sendRaw(c, msg);
    }
    for (const f of fixes) {
      const a = this.assignments.get(f.unitId);
      const owners = a && this.byUser.get(a.ownerId);
      if (!a || !owners?.size) continue;
      const msg = toCitizens({ type: 'unit-position', alertId: a.alertId, ...distanceAndEta(f, f.unitType, a) });
      for (const c of owners) this.sendRaw(c, msg);
    }
  }

  private geofence(e: GeofenceEvent): void {
    const msg = toStaff({ type: 'geofence', event: { ...e, at: new Date(e.at).toISOString() } });
    for (const c of this.staff) this.sendRaw(c, msg);
  }

  private unitChanged(unit: Unit): void {
    const msg = toStaff({ type: 'unit', unit }); // units get the same message
    for (const c of this.staff) this.sendRaw(c, msg);
    for (const c of this.byUnit.get(unit.id) ?? []) this.sendRaw(c, msg);
  }

  private send(c: Client, msg: ServerMessage): void { this.sendRaw(c, JSON.stringify(msg)); }

  private sendRaw(c: Client, msg: string): void {
    if (c.socket.readyState === c.socket.OPEN) c.socket.send(msg);
  }

  private ping(): void {
    for (const c of [...this.staff, ...[...this.byUnit.values(), ...this.byUser.values()].flatMap((s) => [...s])]) {
      if (!c.alive) { c.socket.terminate(); this.remove(c); continue; }
      c.alive = false;
      c.socket.ping();
    }
  }

  /** Ends one socket's session: no further message reaches it, and it is told why. */
  private endSession(c: Client, reason: string): void {
    this.remove(c);
    c.socket.close(CLOSE_SESSION_ENDED, reason);
  }

  /** Sessions this process ended (logout, sign-out everywhere, disable, role or password change). */
  private sessionsEnded(e: SessionsEnded): void {
    for (const c of [...(this.sessions.get(e.userId) ?? [])]) {
      if (e.tokenHash && c.tokenHash !== e.tokenHash) continue;
      if (e.exceptTokenHash && c.tokenHash === e.exceptTokenHash) continue;
      this.endSession(c, e.reason);
    }
  }

  /** Expired sessions, and sessions ended by any instance since the last check. */
  private async checkSessions(): Promise<void> {
    if (this.checking) return;
    const now = this.accounts.now();
    for (const set of [...this.sessions.values()]) {
      for (const c of [...set]) if (c.expiresAt <= now) this.endSession(c, 'session expired');
    }
    if (this.sessions.size === 0) { this.checkedUntil = now; return; }
    this.checking = true;
    try {
      const ended = await this.accounts.revocationsSince(this.checkedUntil - REVOCATION_OVERLAP_MS);
      this.checkedUntil = now;
      for (const userId of ended.disabledUserIds) {
        for (const c of [...(this.sessions.get(userId) ?? [])]) this.endSession(c, 'disabled');
      }
      for (const t of ended.tokens) {
        for (const c of [...(this.sessions.get(t.userId) ?? [])]) if (c.tokenHash === t.tokenHash) this.endSession(c, 'revoked');
      }
    } catch (err) {
      this.onError(err);
    } finally {
      this.checking = false;
    }
  }

  close(): void {
    for (const t of this.timers.splice(0)) clearInterval(t);
    for (const dispose of this.disposers.splice(0)) dispose();
  }
}


function setAdd<K, V>(m: Map<K, Set<V>>, k: K, v: V): void {
  const s = m.get(k) ?? new Set<V>();
  s.add(v);
  m.set(k, s);
}
function setDelete<K, V>(m: Map<K, Set<V>>, k: K, v: V): void {
  const s = m.get(k);
  if (!s) return;
  s.delete(v);
  if (s.size === 0) m.delete(k);
}
