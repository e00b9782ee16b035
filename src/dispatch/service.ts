// Alert use-cases: raise, act on (acknowledge, en route, on scene, resolve, cancel, confirm),
// assign, and escalate when a deadline passes. Every change is stored (with its events, pages and
// the units' shift changes) before it is announced, so an accepted alert survives a crash, a unit
// is never paged twice and a unit's state never disagrees with its alert.
import { createHash } from 'node:crypto';
import { DomainError, type Clock, type IdGenerator } from '../kernel/index.js';
import type { AuditLog } from '../audit/index.js';
import type { Db } from '../storage/index.js';
import { RateLimiter, type Limit } from '../limits/index.js';
import { INITIAL_STATUS, isOpen, step, type Action, type Actor as Role, type AlertStatus, type LifecycleEvent, type Outcome, type Refusal, type StepInput } from './domain/lifecycle.js';
import { onCreated, onDeadline, type Decision, type DispatchSettings, type UnitCandidate } from './domain/escalation.js';
import { holdFor, type FloodVerdicts, type HoldReason } from './domain/hold.js';
import { responseStats, type Grouping, type ResponseStats } from './domain/stats.js';
import type { DispatchBus } from './events.js';
import type { Alert, AlertEvent, AlertKind } from './model.js';
import type { Actor, DeadlineTimer, QuadrantLookup, UnitLocator } from './ports.js';
import type { AlertPresenter } from './presenter.js';
import type { AlertWrite, DispatchStore, UnitShiftChange } from './storage.js';
import type { UnitService } from '../fleet/index.js';
import { haversineMeters } from '../kernel/index.js';
import { isDispatchStaff, isOpenForOwner } from '../rules/index.js';

export interface DispatchOptions extends DispatchSettings {
  targetOnSceneMs: number;
  /** Where escalations are handed to 911/C5; null = no integration configured. */
  webhookUrl: string | null;
  /** Citizens' alerts per device and per network: past either, alerts are held (never refused). */
  alertLimits: { device: { max: number; windowMs: number }; network: { max: number; windowMs: number } };
}

export interface RaiseInput {
  lat: number;
  lon: number;
  accuracy?: number | undefined;
  kind?: AlertKind | undefined;
  note?: string | undefined;
  address?: string | undefined;
}

/** What the edge knows about where an alert comes from; domain code never sees a request. */
export interface RaiseContext {
  /** Keyed hash of the client's network (req.networkKey); absent when not raised over HTTP. */
  networkKey?: string | null | undefined;
  /** The device is on probation until then (created past its network's device limit). */
  probationUntil?: number | null | undefined;
  /** Hold the alert for a dispatcher whoever raised it (e.g. an unconfirmed tracker SOS). */
  hold?: HoldReason | null | undefined;
}

type StaffRole = 'unit' | 'dispatcher';
type ActableAction = Exclude<Action, 'page'>;
type EventDraft = Omit<AlertEvent, 'seq'>;
/** A write before it is numbered: `sealed` gives it its version and its events their seqs. */
type Draft = Omit<AlertWrite, 'events'> & { events: EventDraft[] };

export class DispatchService {
  private readonly deviceLimit: Limit;
  private readonly networkLimit: Limit;

  constructor(
    private store: DispatchStore,
    private units: UnitService,
    private quadrants: QuadrantLookup,
    private bus: DispatchBus,
    private clock: Clock,
    private ids: IdGenerator,
    readonly opts: DispatchOptions,
    private audit: AuditLog,
    private presenter: AlertPresenter,
    /** Where units are now (the fleet's last known positions). */
    private locator: UnitLocator,
    /** Arms the in-process timer for stored deadlines (the DeadlineScheduler). */
    private timer: DeadlineTimer,
  ) {
    this.deviceLimit = { scope: 'dispatch.alerts.device', ...opts.alertLimits.device };
    this.networkLimit = { scope: 'dispatch.alerts.network', ...opts.alertLimits.network };
  }

  /**
   * An officer's tracker sent an SOS: raise one officer-in-danger alert (not one per report).
   * `hold: 'unverified_sos'` stores it for a dispatcher to confirm instead of paging at once (an
   * SOS the unit's recent track does not support); the dispatcher's confirm runs the ladder.
   */
  async raiseOfficerAlarm(unitId: string, lat: number, lon: number, opts: { hold?: HoldReason | null } = {}): Promise<Alert> {
    const ownerId = `unit:${unitId}`;
    const open = (await this.store.alertsOf(ownerId, 5)).find((a) => isOpen(a.status) && a.kind === 'officer_in_danger');
    if (open) return open;
    return (await this.raise({ userId: ownerId, role: 'unit', unitId }, { lat, lon, kind: 'officer_in_danger' }, null, { hold: opts.hold ?? null })).alert;
  }

  // ——— raising ———

  async raise(actor: Actor, input: RaiseInput, idempotencyKey: string | null, ctx: RaiseContext = {}): Promise<{ alert: Alert; replayed: boolean; pagedUnitIds?: string[] }> {
    const requestHash = hashRequest(input);
    if (idempotencyKey) {
      const prior = await this.store.findByIdempotencyKey(actor.userId, idempotencyKey);
      if (prior) return this.replay(prior, requestHash);
    }
    const now = this.clock.now().getTime();
    const q = this.quadrants.locate(input.lon, input.lat);
    const source = actor.role === 'citizen' ? 'citizen' : actor.role === 'unit' ? 'officer' : 'dispatcher';
    const base: Alert = {
      id: this.ids(), ownerId: actor.userId, source, kind: input.kind ?? 'other', note: input.note?.trim() || null,
      address: input.address?.trim() || null, lat: input.lat, lon: input.lon, accuracyM: input.accuracy ?? null,
      quadrantId: q?.id ?? null, sector: q?.sector ?? null, alcaldia: q?.alcaldia ?? null, quadrantSetVersion: q?.version ?? null,
      status: INITIAL_STATUS, ring: 0, nextDeadlineAt: null, assignedUnitId: null, outcome: null, duress: false,
      hold: null, confirmedAt: null, duressView: null, escalatedAt: null,
      createdAt: now, acknowledgedAt: null, enRouteAt: null, onSceneAt: null, closedAt: null, updatedAt: now, version: 0, seq: 0,
      idempotencyKey, requestHash,
    };
    // Ring 1 needs only the quadrant's own units; all units, with distances, only when none of them is free.
    let decision = onCreated(this.snapshot(base, new Set()), this.neighbours(base), await this.quadrantCandidates(base), this.opts);
    if (decision.kind !== 'page' || decision.ring !== 1) decision = onCreated(this.snapshot(base, new Set()), this.neighbours(base), await this.candidates(base), this.opts);
    const created = () => this.event(base, 'created', null, 'new', actor.userId, actor.role, null, { kind: base.kind, source });
    const paged = this.applyDecision(base, decision, now, [created()]);
    let write: AlertWrite;
    try {
      // Counted in the alert's own transaction: an alert that was not stored never counts.
      write = await this.store.createAlert(async (trx) => {
        const flood = source === 'citizen' && !ctx.hold ? await this.countFlood(trx, actor, ctx) : null;
        const hold = holdFor({ source, requested: ctx.hold ?? null, flood, now });
        return this.sealed(null, hold ? this.held(base, hold, created()) : paged);
      });
    } catch (err) {
      // Two retries with the same key raced: the loser returns the winner's alert.
      const prior = idempotencyKey ? await this.store.findByIdempotencyKey(actor.userId, idempotencyKey) : undefined;
      if (prior) return this.replay(prior, requestHash);
      throw err;
    }
    const pagedUnitIds = write.pages.map((p) => p.unitId);
    this.announce(write, pagedUnitIds);
    return { alert: write.alert, replayed: false, pagedUnitIds };
  }

  private replay(prior: Alert, requestHash: string): { alert: Alert; replayed: boolean } {
    if (prior.requestHash !== requestHash) throw new DomainError('IDEMPOTENCY_KEY_REUSED');
    return { alert: prior, replayed: true };
  }

  /** This alert counted against its device and its network (one upsert each, in the alert's transaction). */
  private async countFlood(trx: Db, actor: Actor, ctx: RaiseContext): Promise<FloodVerdicts> {
    const limiter = new RateLimiter(trx, this.clock);
    // Always device first, then network: concurrent transactions lock the rows in the same order.
    const device = await limiter.hit(this.deviceLimit, actor.userId);
    const network = ctx.networkKey ? await limiter.hit(this.networkLimit, ctx.networkKey) : null;
    return { deviceOver: device.over, networkOver: network ? network.over : null, probationUntil: ctx.probationUntil ?? null };
  }

  /** Stored and shown to dispatchers, but nobody paged, no deadline, no 911 hand-off. */
  private held(base: Alert, hold: HoldReason, created: EventDraft): Draft {
    const s = this.step(base, 'hold', 'system', base.createdAt, { reason: hold });
    return { alert: s.alert, events: [created, this.event(s.alert, 'held', s.from, s.to, null, 'system', null, { reason: hold })], pages: [] };
  }

  /**
   * The lifecycle table's answer for this event (domain/lifecycle.ts step): the only way any
   * status changes. A refusal is the caller's error (409/403/400) — or, for the system, a race lost.
   */
  private step(a: Alert, event: LifecycleEvent, role: Role, now: number, input: StepInput = {}, name: string = event) {
    const s = step(a, event, role, now, input);
    if (!s.ok) throw this.transitionError(s.reason, name, s.seen);
    return { ...s, alert: { ...s.alert, updatedAt: now } };
  }

  /** Numbers a write: the version one above the stored row's, events from its last seq on. */
  private sealed(prev: Alert | null, d: Draft): AlertWrite {
    const from = prev?.seq ?? 0;
    const events = d.events.map((e, i) => ({ ...e, seq: from + i + 1 }));
    return { ...d, alert: { ...d.alert, version: (prev?.version ?? 0) + 1, seq: from + events.length }, events };
  }

  // ——— acting ———

  /** Loads an alert the actor may see; anyone else gets the same 404 as for a missing alert. */
  async visible(actor: Actor, id: string): Promise<Alert> {
    const alert = await this.store.findAlert(id);
    if (!alert || !(await this.canSee(actor, alert))) throw new DomainError('ALERT_NOT_FOUND', { id });
    return alert;
  }

  /** One alert, read by whoever may see it; staff reads of a citizen's alert are audited. */
  async read(actor: Actor, id: string): Promise<Alert> {
    const alert = await this.visible(actor, id);
    if (actor.role !== 'citizen') await this.audit.record(actor.userId, 'alert.read', id);
    return alert;
  }

  private async canSee(actor: Actor, alert: Alert): Promise<boolean> {
    switch (actor.role) {
      case 'citizen': return alert.ownerId === actor.userId;
      case 'unit': return !!actor.unitId && (alert.assignedUnitId === actor.unitId || (await this.store.pagedUnits(alert.id)).has(actor.unitId));
      case 'dispatcher': case 'admin': return true;
      case 'analyst': case 'gateway': return false;
    }
  }

  async act(actor: Actor, id: string, action: ActableAction, opts: { outcome?: Outcome | undefined; pin?: string | undefined; verifyPin?: (pin: string) => Promise<'cancel' | 'duress' | 'wrong' | 'unset'> } = {}): Promise<Alert> {
    for (let attempt = 0; attempt < 3; attempt++) {
      const alert = await this.visible(actor, id);
      const role = this.roleFor(actor);
      let pin: 'cancel' | 'duress' | 'wrong' | 'unset' | null = null;
      if (action === 'cancel' && role === 'owner' && opts.verifyPin) {
        pin = await opts.verifyPin(opts.pin ?? '');
        if (pin === 'wrong') throw new DomainError('WRONG_PIN');
      }
      // After a duress cancel the phone sees "cancelled", and everything it does answers as for a
      // really cancelled alert (another cancel, with either PIN: the same 409): the table's rule.
      const now = this.clock.now().getTime();
      const s = this.step(alert, action, role, now, { outcome: opts.outcome ?? null, unitId: role === 'unit' ? actor.unitId : null });
      if (pin === 'duress') return this.duress(actor, alert);
      if (role === 'unit' && action !== 'acknowledge' && alert.assignedUnitId !== actor.unitId) throw new DomainError('NOT_ASSIGNED');
      const draft = action === 'confirm' ? await this.confirmation(alert, s.alert, actor, now) : this.transition(alert, s, action, actor, role, now, opts.outcome ?? null);
      const write = this.sealed(alert, draft);
      const res = await this.store.updateAlert(write, alert.version);
      if (!res.ok) continue; // someone else changed it meanwhile: re-read and re-decide
      await this.committed(write, res.unitsChanged);
      this.announce(write, res.pagedUnitIds);
      return write.alert;
    }
    throw new DomainError('INVALID_TRANSITION', { action, status: 'changing' });
  }

  private roleFor(actor: Actor): 'owner' | 'unit' | 'dispatcher' {
    if (actor.role === 'citizen') return 'owner';
    return actor.role === 'unit' ? 'unit' : 'dispatcher';
  }

  private transitionError(reason: Refusal, action: string, status: AlertStatus): DomainError {
    if (reason === 'not_allowed') return new DomainError('FORBIDDEN');
    if (reason === 'outcome_required') return new DomainError('OUTCOME_REQUIRED');
    return new DomainError('INVALID_TRANSITION', { action, status });
  }

  private transition(alert: Alert, s: { alert: Alert; from: AlertStatus; to: AlertStatus }, action: Action, actor: Actor, role: string, now: number, outcome: Outcome | null): Draft {
    const next = s.alert;
    const unitId = role === 'unit' ? actor.unitId : null;
    const ev = this.event(next, action, s.from, s.to, actor.userId, role, unitId, outcome ? { outcome } : {});
    const draft: Draft = { alert: next, events: [ev], pages: [], units: shiftChanges(alert, next) };
    if (action === 'escalate') draft.outbox = this.outbox(next, now);
    return draft;
  }

  /** A dispatcher confirms a held alert: released, and the ladder runs from now (ring 1, deadlines, 911). */
  private async confirmation(alert: Alert, next: Alert, actor: Actor, now: number): Promise<Draft> {
    const ev = this.event(next, 'confirm', alert.status, next.status, actor.userId, 'dispatcher', null, { hold: alert.hold });
    const paged = await this.store.pagedUnits(alert.id);
    let decision = onCreated(this.snapshot(next, paged), this.neighbours(next), await this.quadrantCandidates(next), this.opts);
    if (decision.kind !== 'page' || decision.ring !== 1) decision = onCreated(this.snapshot(next, paged), this.neighbours(next), await this.candidates(next), this.opts);
    return this.applyDecision(next, decision, now, [ev]);
  }

  /** After a write is committed: the timer, and the units' new shifts in the cache (announced). */
  private async committed(write: AlertWrite, unitsChanged: readonly UnitShiftChange[]): Promise<void> {
    if (write.alert.nextDeadlineAt === null) this.timer.disarm(write.alert.id);
    await this.units.applied(unitsChanged, write.alert.updatedAt);
  }

  /**
   * The coerced citizen sees "cancelled"; staff see the alert continue, flagged and prioritised.
   * What the phone is shown is what a real cancel would have shown at this very moment (the unit,
   * the pages, the times), frozen: it never moves again, whatever staff do next.
   */
  private async duress(actor: Actor, alert: Alert): Promise<Alert> {
    for (let attempt = 0; attempt < 3; attempt++) {
      const current = attempt === 0 ? alert : await this.store.findAlert(alert.id);
      if (!current) throw new DomainError('ALERT_NOT_FOUND', { id: alert.id });
      const now = this.clock.now().getTime();
      const s = this.step(current, 'duress_cancel', 'owner', now, {}, 'cancel');
      // What a real cancel would have made of it (never stored), numbered as this very write.
      const draft: Draft = { alert: s.alert, events: [this.event(s.alert, 'duress_cancel', s.from, s.to, actor.userId, 'owner', null, {})], pages: [] };
      const asCancelled = this.sealed(current, { ...draft, alert: this.step(current, 'cancel', 'owner', now).alert }).alert;
      const [units, paged] = await Promise.all([this.presenter.unitMap(), this.store.pagedUnits(current.id)]);
      const write = this.sealed(current, { ...draft, alert: { ...s.alert, duressView: this.presenter.citizenViewAsCancelled(asCancelled, units, [...paged]) } });
      const next = write.alert;
      const res = await this.store.updateAlert(write, current.version);
      if (res.ok) { this.announce(write, []); return next; }
    }
    throw new DomainError('INVALID_TRANSITION', { action: 'cancel', status: 'changing' });
  }

  /** A dispatcher gives the alert to a unit (taking over at any time, or reassigning). */
  async assign(actor: Actor, id: string, unitId: string): Promise<Alert> {
    const unit = await this.units.get(unitId);
    for (let attempt = 0; attempt < 3; attempt++) {
      const alert = await this.visible(actor, id);
      const now = this.clock.now().getTime();
      const s = this.step(alert, 'assign', 'dispatcher', now, { unitId: unit.id });
      const ev = this.event(s.alert, 'assigned', s.from, s.to, actor.userId, 'dispatcher', unit.id, { previousUnitId: alert.assignedUnitId });
      const units: UnitShiftChange[] = [];
      if (alert.assignedUnitId && alert.assignedUnitId !== unit.id) units.push({ unitId: alert.assignedUnitId, state: 'available', unlessOffDuty: true });
      // Whatever its state was (even off duty, radioed by the console), the unit is now working this alert.
      units.push({ unitId: unit.id, state: 'busy', unlessOffDuty: false });
      const write = this.sealed(alert, { alert: s.alert, events: [ev], pages: [{ unitId: unit.id, ring: 0 }], units });
      const res = await this.store.updateAlert(write, alert.version);
      if (!res.ok) continue;
      await this.committed(write, res.unitsChanged);
      // The assigned unit hears about it even if it was paged before.
      this.announce(write, res.pagedUnitIds.length ? res.pagedUnitIds : [unit.id]);
      return write.alert;
    }
    throw new DomainError('INVALID_TRANSITION', { action: 'assign', status: 'changing' });
  }

  // ——— deadlines ———

  /** Called by the timer (possibly late, possibly on two instances at once): escalates at most once. */
  async processDeadline(id: string): Promise<void> {
    for (let attempt = 0; attempt < 3; attempt++) {
      const alert = await this.store.findAlert(id);
      // A held alert has no deadline; should one linger, it still never escalates by itself.
      if (!alert || alert.nextDeadlineAt === null || alert.hold !== null) return;
      const now = this.clock.now().getTime();
      if (alert.nextDeadlineAt > now) { this.timer.arm(id, alert.nextDeadlineAt); return; }
      const paged = await this.store.pagedUnits(id);
      const decision = onDeadline(this.snapshot(alert, paged), now, this.neighbours(alert), await this.candidates(alert), this.opts);
      const next: Alert = { ...alert, updatedAt: now, nextDeadlineAt: null };
      const write = this.sealed(alert, this.applyDecision(next, decision, now, []));
      const res = await this.store.updateAlert(write, alert.version);
      if (!res.ok) continue;
      this.announce(write, res.pagedUnitIds);
      return;
    }
  }

  /** The escalation ladder's decision, applied as the lifecycle table's page or escalate. */
  private applyDecision(alert: Alert, d: Decision, now: number, events: EventDraft[]): Draft {
    if (d.kind === 'none') return { alert, events, pages: [] };
    if (d.kind === 'escalate') {
      const s = this.step(alert, 'escalate', 'system', now);
      const reason = alert.quadrantId ? 'no_acknowledgement' : 'outside_quadrants';
      return { alert: s.alert, events: [...events, this.event(s.alert, 'escalate', s.from, s.to, null, 'system', null, { reason })], pages: [], outbox: this.outbox(s.alert, now) };
    }
    // `wait`: ring 2 had nobody new to page; the ladder still counts it as reached and waits for 911.
    const unitIds = d.kind === 'page' ? d.unitIds : [];
    const s = this.step(alert, 'page', 'system', now, { ring: d.stage, nextDeadlineAt: d.nextDeadline });
    const type = d.kind === 'page' && s.from === 'new' ? 'page' : 'paged';
    const ev = this.event(s.alert, type, s.from, s.to, null, 'system', null, { ring: d.stage, unitIds });
    return { alert: s.alert, events: [...events, ev], pages: unitIds.map((unitId) => ({ unitId, ring: d.stage })) };
  }

  private outbox(a: Alert, now: number): AlertWrite['outbox'] {
    if (!this.opts.webhookUrl) return undefined;
    return { event: 'escalated', at: now, payload: JSON.stringify({
      event: 'alert.escalated', alertId: a.id, kind: a.kind, lat: a.lat, lon: a.lon, accuracyM: a.accuracyM,
      quadrantId: a.quadrantId, address: a.address, duress: a.duress, createdAt: new Date(a.createdAt).toISOString(),
      escalatedAt: new Date(now).toISOString(),
    }) };
  }

  private announce(write: AlertWrite, pagedUnitIds: string[]): void {
    if (write.alert.nextDeadlineAt !== null) this.timer.arm(write.alert.id, write.alert.nextDeadlineAt);
    this.bus.emit('alert.changed', { alert: write.alert, events: write.events, pagedUnitIds });
  }

  private snapshot(a: Alert, paged: ReadonlySet<string>) {
    // A confirmed held alert's ladder runs from its confirmation, not from its creation.
    return { status: a.status, ring: a.ring, quadrantId: a.quadrantId, createdAt: a.confirmedAt ?? a.createdAt, alreadyPaged: paged };
  }

  private neighbours(a: Alert): string[] {
    return a.quadrantId ? this.quadrants.neighbours(a.quadrantId) : [];
  }

  /** The units of the alert's own quadrant, without distances: all that ring 1 looks at. */
  private async quadrantCandidates(a: Alert): Promise<UnitCandidate[]> {
    if (!a.quadrantId) return [];
    return (await this.units.inQuadrant(a.quadrantId)).filter((u) => a.ownerId !== `unit:${u.id}`)
      .map((u) => ({ id: u.id, quadrantIds: u.quadrantIds, state: u.shiftState, distanceM: null }));
  }

  private async candidates(a: Alert): Promise<UnitCandidate[]> {
    // An officer in danger is never paged about their own alarm.
    return (await this.units.list()).filter((u) => a.ownerId !== `unit:${u.id}`).map((u) => {
      // Where the unit is: its last known position; without a fresh fix, its quadrant's centroid.
      const here = this.locator.position(u.id) ?? (u.quadrantIds[0] ? this.quadrants.centroid(u.quadrantIds[0]) : null);
      return { id: u.id, quadrantIds: u.quadrantIds, state: u.shiftState, distanceM: here ? haversineMeters(a.lat, a.lon, here.lat, here.lon) : null };
    });
  }

  private event(a: Alert, type: AlertEvent['type'], from: AlertStatus | null, to: AlertStatus | null, actorId: string | null, actorRole: string, unitId: string | null, details: Record<string, unknown>): EventDraft {
    return { alertId: a.id, at: a.updatedAt, type, fromStatus: from, toStatus: to, actorId, actorRole, unitId, details };
  }

  // ——— reading ———

  /**
   * Response-time KPIs over [from, to) (epoch ms; to defaults to now on the injected clock, from to
   * a day before it), grouped, against the on-scene target.
   */
  async responseTimes(range: { from: number | null; to: number | null }, group: Grouping): Promise<{ from: number; to: number; group: Grouping; targetS: number; groups: ResponseStats[] }> {
    const to = range.to ?? this.clock.now().getTime();
    const from = range.from ?? to - 24 * 3600_000;
    if (!(from < to)) throw new DomainError('VALIDATION_FAILED', { detail: { es: 'from debe ser anterior a to', en: 'from must be before to' } });
    const alerts = await this.store.alertsBetween(from, to);
    return { from, to, group, targetS: this.opts.targetOnSceneMs / 1000, groups: responseStats(alerts, group, this.opts.targetOnSceneMs) };
  }

  openAlerts(): Promise<Alert[]> { return this.store.openAlerts(); }
  alertsOf(actor: Actor): Promise<Alert[]> { return this.store.alertsOf(actor.userId, 20); }

  /** Every open alert, for the console's list: staff reads of citizens' alerts are audited. */
  async openAlertsFor(actor: Actor): Promise<Alert[]> {
    const alerts = await this.store.openAlerts();
    await this.audit.record(actor.userId, 'alerts.list', null, { count: alerts.length });
    return alerts;
  }

  /**
   * What a socket gets on (re)connecting: dispatchers every open alert, a unit those paged to it, a
   * citizen their own open ones (as their phone sees them: a duress-cancelled one is closed).
   * Staff snapshots are audited, one entry per connection.
   */
  async snapshotFor(actor: Actor): Promise<Alert[]> {
    if (actor.role === 'citizen') return (await this.alertsOf(actor)).filter(isOpenForOwner);
    const alerts = isDispatchStaff(actor.role) ? await this.store.openAlerts()
      : actor.role === 'unit' && actor.unitId ? await this.alertsPagedTo(actor.unitId) : [];
    if (actor.role !== 'analyst' && actor.role !== 'gateway') await this.audit.record(actor.userId, 'alerts.snapshot', null, { count: alerts.length });
    return alerts;
  }

  /** An open alert as the citizen's phone sees it: PINs cannot change meanwhile (see PinService.change). */
  hasOpenAlertSeenBy(actor: Actor): Promise<boolean> { return this.store.hasOpenAlertSeenBy(actor.userId); }

  /** What GET /alerts lists: a citizen's recent alerts, a unit's pages, every open alert for staff. */
  async listFor(actor: Actor): Promise<Alert[]> {
    if (actor.role === 'citizen') return this.alertsOf(actor);
    if (actor.role === 'unit') return actor.unitId ? this.alertsPagedTo(actor.unitId) : [];
    if (isDispatchStaff(actor.role)) return this.openAlertsFor(actor);
    throw new DomainError('FORBIDDEN');
  }

  /** The alert's log, for staff: a citizen gets the same 404 as for a missing alert. */
  async events(actor: Actor, id: string, afterSeq = 0): Promise<AlertEvent[]> {
    if (actor.role === 'citizen') throw new DomainError('ALERT_NOT_FOUND', { id });
    await this.visible(actor, id);
    await this.audit.record(actor.userId, 'alert.events.read', id);
    return this.store.events(id, afterSeq);
  }
  async alertsPagedTo(unitId: string): Promise<Alert[]> {
    return this.store.openAlertsPagedTo(unitId);
  }
}

/**
 * The units' shifts that change with an alert: busy once one has it, available again once it is
 * closed — never bringing an off-duty unit back on shift. Written in the alert's transaction.
 */
function shiftChanges(before: Alert, after: Alert): UnitShiftChange[] {
  const out: UnitShiftChange[] = [];
  if (after.status === 'acknowledged' && after.assignedUnitId) out.push({ unitId: after.assignedUnitId, state: 'busy', unlessOffDuty: true });
  if (!isOpen(after.status) && before.assignedUnitId) out.push({ unitId: before.assignedUnitId, state: 'available', unlessOffDuty: true });
  return out;
}

/** Canonical hash of what was asked, so a retry with the same key must carry the same request. */
function hashRequest(input: RaiseInput): string {
  const canonical = JSON.stringify([input.lat, input.lon, input.accuracy ?? null, input.kind ?? null, input.note ?? null, input.address ?? null]);
  return createHash('sha256').update(canonical).digest('hex');
}

export type { StaffRole };
