// Turns alerts into the view each audience may see, with unit callsigns filled in. After a duress
// cancel the citizen gets the view frozen at that moment, byte for byte, whatever staff do next.
import type { Alert, Unit } from './model.js';
import type { Actor } from './ports.js';
import type { DispatchStore } from './storage.js';
import type { UnitService } from '../fleet/index.js';
import { citizenView, staffView, type CitizenAlertView } from './views.js';
import { statusSeenBy } from './domain/lifecycle.js';
import { servesFrozenView } from '../rules/index.js';

export class AlertPresenter {
  constructor(private store: DispatchStore, private units: UnitService, private emergencyNumber: string) {}

  unitMap(): Promise<ReadonlyMap<string, Unit>> {
    return this.units.map();
  }

  async view(actor: Pick<Actor, 'role'>, alert: Alert, paged?: readonly string[]) {
    if (servesFrozenView(actor.role, alert)) return this.frozen(alert);
    const [units, pagedIds] = await Promise.all([this.unitMap(), paged ? Promise.resolve(paged) : this.store.pagedUnits(alert.id).then((s) => [...s])]);
    return this.viewWith(actor, alert, units, pagedIds);
  }

  viewWith(actor: Pick<Actor, 'role'>, alert: Alert, units: ReadonlyMap<string, Unit>, paged: readonly string[]) {
    if (actor.role !== 'citizen') return staffView(alert, units, paged);
    return alert.duress ? this.frozen(alert) : citizenView(alert, units, paged, this.emergencyNumber);
  }

  async views(actor: Pick<Actor, 'role'>, alerts: readonly Alert[]) {
    const units = await this.unitMap();
    return Promise.all(alerts.map(async (a) => (servesFrozenView(actor.role, a)
      ? this.frozen(a)
      : this.viewWith(actor, a, units, [...(await this.store.pagedUnits(a.id))]))));
  }

  /** What the citizen's phone saw when a real cancel would have closed it (see DispatchService.duress). */
  citizenViewAsCancelled(cancelled: Alert, units: ReadonlyMap<string, Unit>, paged: readonly string[]): string {
    return JSON.stringify(citizenView(cancelled, units, paged, this.emergencyNumber));
  }

  private frozen(alert: Alert): CitizenAlertView {
    if (alert.duressView) {
      const view = JSON.parse(alert.duressView) as CitizenAlertView;
      // Frozen before views carried a version: pinned as below (the answer's schema requires both).
      return view.version === undefined ? { ...view, version: 1, seq: 0 } : view;
    }
    // A duress cancel stored before frozen views existed: "cancelled", as it always showed; its
    // version and seq pinned too, so nothing the phone is shown moves while staff work the alert.
    const status = statusSeenBy('citizen', alert.status, true);
    return citizenView({ ...alert, status, nextDeadlineAt: null, hold: null, closedAt: alert.closedAt ?? alert.updatedAt, version: 1, seq: 0 }, new Map(), [], this.emergencyNumber);
  }
}
