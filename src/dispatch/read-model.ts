// The read side of dispatch as a fan-out adapter (the WebSocket hub; later a NATS bridge) needs
// it: which audience gets which view of a change, and which unit is coming to which citizen.
// The rules live here, beside the lifecycle and the views; the hub only routes bytes to sockets.
import { isOpen } from './domain/lifecycle.js';
import { isDispatchStaff } from '../rules/index.js';
import type { AlertChanged, DispatchBus } from './events.js';
import type { Alert, AlertEventType, Unit } from './model.js';
import type { Actor } from './ports.js';
import type { AlertPresenter } from './presenter.js';
import type { DispatchService } from './service.js';
import type { DispatchStore } from './storage.js';
import type { CitizenAlertView, StaffAlertView } from './views.js';

/** An open alert whose assigned unit is on its way: its citizen may be told how far and how long. */
export interface Approach { alertId: string; ownerId: string; unitId: string; lat: number; lon: number }

/** One alert change, rendered once per audience. */
export interface AlertFanOut {
  alertId: string;
  /** Dispatchers (and the units that get it) see this view. */
  staff: { alert: StaffAlertView; events: AlertEventType[] };
  /** Units paged by this very change (they get a "page"); `units` get an "alert" update. */
  newlyPaged: readonly string[];
  units: readonly string[];
  /** The owner's view, or null when the owner must hear nothing (after a duress cancel). */
  citizen: { ownerId: string; alert: CitizenAlertView; events: AlertEventType[] } | null;
  /** Who is coming to this alert's citizen after the change (null: nobody). */
  approach: Approach | null;
}

export interface DispatchSnapshot { alerts: (StaffAlertView | CitizenAlertView)[]; units: Unit[] | null }

/** The port the realtime hub depends on: nothing of dispatch's storage, presenter or lifecycle leaks through it. */
export interface DispatchReadModel {
  /** Subscribes to alert changes; the returned function removes exactly this listener. */
  onAlertChanged(listener: (change: AlertChanged) => void): () => void;
  /** Every audience's view of one change. Call in the order changes happened. */
  fanOut(change: AlertChanged): Promise<AlertFanOut>;
  /** What a socket gets on (re)connecting (staff snapshots are audited); units for staff only. */
  snapshot(actor: Actor): Promise<DispatchSnapshot>;
  /** Who is coming to whom now (after a restart, before any change arrives). */
  approaches(): Promise<Approach[]>;
}

/** The assigned unit is coming while the alert is open and it is not there yet; never after a duress cancel. */
export function approachOf(alert: Alert): Approach | null {
  if (!alert.assignedUnitId || !alert.ownerId || alert.duress || !isOpen(alert.status) || alert.status === 'on_scene') return null;
  return { alertId: alert.id, ownerId: alert.ownerId, unitId: alert.assignedUnitId, lat: alert.lat, lon: alert.lon };
}

export class AlertReadModel implements DispatchReadModel {
  /** Units ever paged per open alert: a page is never undone, so the set only grows until it closes. */
  private paged = new Map<string, Set<string>>();

  constructor(
    private bus: DispatchBus,
    private dispatch: DispatchService,
    private presenter: AlertPresenter,
    private store: DispatchStore,
  ) {}

  onAlertChanged(listener: (change: AlertChanged) => void): () => void {
    return this.bus.onAlertChanged(listener);
  }

  async fanOut({ alert, events, pagedUnitIds }: AlertChanged): Promise<AlertFanOut> {
    const paged = await this.pagedFor(alert.id, pagedUnitIds, events.some((e) => e.type === 'created'));
    if (!isOpen(alert.status)) this.paged.delete(alert.id);
    const units = await this.presenter.unitMap();
    const pagedList = [...paged];
    const eventTypes = events.map((e) => e.type);
    // After a duress cancel the owner gets exactly what a real cancel sends (the frozen view), then
    // nothing more, whatever staff do.
    const citizen = alert.ownerId && (!alert.duress || eventTypes.includes('duress_cancel'))
      ? { ownerId: alert.ownerId, alert: this.presenter.viewWith({ role: 'citizen' }, alert, units, pagedList) as CitizenAlertView, events: alert.duress ? ['cancel' as const] : eventTypes }
      : null;
    return {
      alertId: alert.id,
      staff: { alert: this.presenter.viewWith({ role: 'dispatcher' }, alert, units, pagedList) as StaffAlertView, events: eventTypes },
      newlyPaged: pagedUnitIds,
      units: [...new Set([...paged, ...(alert.assignedUnitId ? [alert.assignedUnitId] : [])])],
      citizen,
      approach: approachOf(alert),
    };
  }

  async snapshot(actor: Actor): Promise<DispatchSnapshot> {
    const alerts = await this.dispatch.snapshotFor(actor);
    const staff = isDispatchStaff(actor.role);
    return {
      alerts: await this.presenter.views(actor, alerts) as (StaffAlertView | CitizenAlertView)[],
      units: staff ? [...(await this.presenter.unitMap()).values()] : null,
    };
  }

  async approaches(): Promise<Approach[]> {
    return (await this.dispatch.openAlerts()).flatMap((a) => { const x = approachOf(a); return x ? [x] : []; });
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
}
