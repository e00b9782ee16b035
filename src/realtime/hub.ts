// Fans dispatch events out over WebSocket, each audience seeing only what it may:
// a unit its pages and the alerts it was paged to, a citizen their own alerts (frozen after a
// duress cancel), dispatchers everything. On (re)connection each client first gets a snapshot,
// which is how a phone that lost its connection catches up.
import type { WebSocket } from 'ws';
import type { AccountService, Principal, SessionInfo, SessionsEnded } from '../accounts/service.js';
import type { AlertChanged, DispatchBus, DispatchService, Unit } from '../dispatch/index.js';
import type { AlertPresenter } from '../dispatch/presenter.js';
import type { DispatchStore } from '../dispatch/storage.js';
import { isOpen } from '../dispatch/domain/lifecycle.js';
import type { Fix, GeofenceEvent, TrackingBus, TrackingService } from '../tracking/index.js';
import { etaSeconds } from '../tracking/index.js';
import { haversineMeters } from '../kernel/index.js';
import type { CheckinService } from '../extortion/index.js';

/** A signed-in socket, with the session it stands on: it is closed the moment that session ends. */
interface Client { socket: WebSocket; principal: Principal; alive: boolean; tokenHash: string; expiresAt: number }

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
const HEARTBEAT_MS = 25_000;
/** Positions are coalesced per unit and sent at most this often: a thousand units cannot flood a page. */
const POSITION_FLUSH_MS = 500;

/** The open alert a unit is assigned to, for telling its citizen how close the unit is. */
interface Assignment { alertId: string; ownerId: string; lat: number; lon: number }

export class RealtimeHub {
  private byUnit = new Map<string, Set<Client>>();
  private byUser = new Map<string, Set<Client>>();
  private staff = new Set<Client>();
  private paged = new Map<string, Set<string>>();
  private heartbeat: NodeJS.Timeout;
  private positionTimer: NodeJS.Timeout;
  private queue: Promise<void> = Promise.resolve();
  private pendingPositions = new Map<string, Fix>();
  private assignments = new Map<string, Assignment>();
  /** Every signed-in socket by user id, whatever the role (for cutting sessions off). */
  private sessions = new Map<string, Set<Client>>();
  private sessionTimer: NodeJS.Timeout;
  private checkedUntil: number;
  private checking = false;
  private offSessionsEnded: () => void;

  constructor(
    private bus: DispatchBus,
    private accounts: AccountService,
    private dispatch: DispatchService,
    private presenter: AlertPresenter,
    private store: DispatchStore,
    private tracking: TrackingService,
    private trackingBus: TrackingBus,
    private checkins: CheckinService,
    private onError: (err: unknown) => void,
  ) {
    // The requester sees a check-in's answer live.
    checkins.on('checkin', ({ ownerId, checkin }) => {
      const msg = JSON.stringify({ type: 'checkin', checkin });
      for (const c of this.byUser.get(ownerId) ?? []) this.sendRaw(c, msg);
    });
    bus.on('alert.changed', (c) => this.enqueue(() => this.alertChanged(c)));
    bus.on('unit.changed', (u) => this.enqueue(async () => this.unitChanged(u)));
    trackingBus.on('position', (f) => { this.pendingPositions.set(f.unitId, f); });
    trackingBus.on('geofence', (e) => this.geofence(e));
    this.heartbeat = setInterval(() => this.ping(), HEARTBEAT_MS);
    this.heartbeat.unref();
    this.positionTimer = setInterval(() => this.flushPositions(), POSITION_FLUSH_MS);
    this.positionTimer.unref();
    this.offSessionsEnded = accounts.onSessionsEnded((e) => this.sessionsEnded(e));
    this.checkedUntil = accounts.now();
    this.sessionTimer = setInterval(() => { void this.checkSessions(); }, SESSION_CHECK_MS);
    this.sessionTimer.unref();
    // After a restart: which units are on their way to which citizens.
    this.enqueue(async () => { for (const a of await dispatch.openAlerts()) this.trackAssignment(a); });
  }

  get connections(): number { return this.staff.size + [...this.byUnit.values(), ...this.byUser.values()].reduce((n, s) => n + s.size, 0); }

  /** Messages go out in the order events happened. */
  private enqueue(task: () => Promise<void>): void {
    this.queue = this.queue.then(task).catch(this.onError);
  }

  /** The first message must be {"type":"auth","token":"…"} (tokens stay out of URLs and logs). */
  attach(socket: WebSocket): void {
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
    try { session = await this.accounts.session(token); } catch { socket.close(CLOSE_SESSION_ENDED, 'invalid token'); return; }
    if (session.mustChangePassword) { socket.close(CLOSE_PASSWORD_CHANGE, 'password change required'); return; }
    if (socket.readyState !== socket.OPEN) return; // gone while the token was looked up
    const { principal } = session;
    const client: Client = { socket, principal, alive: true, tokenHash: session.tokenHash, expiresAt: session.expiresAt };
    this.add(client);
    socket.on('pong', () => { client.alive = true; });
    socket.on('message', (d) => { if (String(d).includes('"ping"')) this.send(client, { type: 'pong' }); });
    socket.on('close', () => this.remove(client));
    socket.on('error', () => this.remove(client));
    this.send(client, { type: 'hello', role: principal.role, unitId: principal.unitId });
    await this.snapshot(client);
  }

  private add(c: Client): void {
    const { role, unitId, userId } = c.principal;
    setAdd(this.sessions, userId, c);
    if (role === 'dispatcher' || role === 'admin') this.staff.add(c);
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
    const actor = { userId: c.principal.userId, role, unitId };
    // Staff snapshots are audited (one entry per connection); a citizen's holds only what is open to their phone.
    const alerts = await this.dispatch.snapshotFor(actor);
    this.send(c, { type: 'snapshot', alerts: await this.presenter.views(actor, alerts) });
    if (role === 'dispatcher' || role === 'admin') {
      this.send(c, { type: 'units', units: await this.presenterUnits() });
      this.send(c, { type: 'positions', positions: this.tracking.positions() });
    }
  }

  private async presenterUnits(): Promise<Unit[]> {
    return [...(await this.presenter.unitMap()).values()];
  }

  private async pagedFor(alertId: string, newly: readonly string[], isNew: boolean): Promise<Set<string>> {
    let set = this.paged.get(alertId);
    if (!set && isNew) {
      set = new Set();
      this.paged.set(alertId, set);
    }
    if (!set) {
      set = await this.store.pagedUnits(alertId);
      this.paged.set(alertId, set);
    }
    for (const u of newly) set.add(u);
    return set;
  }

  private async alertChanged({ alert, events, pagedUnitIds }: AlertChanged): Promise<void> {
    const paged = await this.pagedFor(alert.id, pagedUnitIds, events.some((e) => e.type === 'created'));
    this.trackAssignment(alert);
    if (!isOpen(alert.status)) this.paged.delete(alert.id);
    const units = await this.presenter.unitMap();
    const pagedList = [...paged];
    const staffView = this.presenter.viewWith({ role: 'dispatcher' }, alert, units, pagedList);
    const eventTypes = events.map((e) => e.type);

    const staffMsg = JSON.stringify({ type: 'alert', alert: staffView, events: eventTypes });
    for (const c of this.staff) this.sendRaw(c, staffMsg);

    const pageMsg = JSON.stringify({ type: 'page', alert: staffView });
    const unitMsg = JSON.stringify({ type: 'alert', alert: staffView, events: eventTypes });
    for (const unitId of new Set([...paged, ...(alert.assignedUnitId ? [alert.assignedUnitId] : [])])) {
      const msg = pagedUnitIds.includes(unitId) ? pageMsg : unitMsg;
      for (const c of this.byUnit.get(unitId) ?? []) this.sendRaw(c, msg);
    }

    // After a duress cancel the owner gets exactly what a real cancel sends (the frozen view), then
    // nothing more, whatever staff do.
    if (alert.ownerId && (!alert.duress || eventTypes.includes('duress_cancel'))) {
      const owners = this.byUser.get(alert.ownerId);
      if (owners?.size) {
        const view = this.presenter.viewWith({ role: 'citizen' }, alert, units, pagedList);
        const msg = JSON.stringify({ type: 'alert', alert: view, events: alert.duress ? ['cancel'] : eventTypes });
        for (const c of owners) this.sendRaw(c, msg);
      }
    }
  }

  private trackAssignment(alert: AlertChanged['alert']): void {
    for (const [unitId, a] of this.assignments) if (a.alertId === alert.id) this.assignments.delete(unitId);
    if (alert.assignedUnitId && alert.ownerId && !alert.duress && isOpen(alert.status) && alert.status !== 'on_scene') {
      this.assignments.set(alert.assignedUnitId, { alertId: alert.id, ownerId: alert.ownerId, lat: alert.lat, lon: alert.lon });
    }
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
      const v = this.tracking.viewOf(f.unitId);
      return v ? [v] : [];
    });
    if (views.length && this.staff.size) {
      const msg = JSON.stringify({ type: 'positions', positions: views });
      for (const c of this.staff) this.sendRaw(c, msg);
    }
    for (const f of fixes) {
      const a = this.assignments.get(f.unitId);
      const owners = a && this.byUser.get(a.ownerId);
      if (!a || !owners?.size) continue;
      const exact = haversineMeters(f.lat, f.lon, a.lat, a.lon);
      const msg = JSON.stringify({ type: 'unit-position', alertId: a.alertId, ...coarseApproach(exact, etaSeconds(exact, f.unitType)) });
      for (const c of owners) this.sendRaw(c, msg);
    }
  }

  private geofence(e: GeofenceEvent): void {
    const msg = JSON.stringify({ type: 'geofence', event: { ...e, at: new Date(e.at).toISOString() } });
    for (const c of this.staff) this.sendRaw(c, msg);
  }

  private unitChanged(unit: Unit): void {
    const msg = JSON.stringify({ type: 'unit', unit });
    for (const c of this.staff) this.sendRaw(c, msg);
    for (const c of this.byUnit.get(unit.id) ?? []) this.sendRaw(c, msg);
  }

  private send(c: Client, msg: unknown): void { this.sendRaw(c, JSON.stringify(msg)); }

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
    clearInterval(this.sessionTimer);
    this.offSessionsEnded();
    clearInterval(this.heartbeat);
    clearInterval(this.positionTimer);
    this.bus.removeAllListeners();
    this.trackingBus.removeAllListeners();
    this.checkins.removeAllListeners();
  }
}

/** What a citizen may know of the unit coming: distance rounded to 100 m, ETA rounded up to the minute. */
export function coarseApproach(distanceM: number, etaS: number): { distanceM: number; etaMin: number } {
  return { distanceM: Math.round(distanceM / 100) * 100, etaMin: Math.ceil(etaS / 60) };
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
