// Turns alerts into the view each audience may see, with unit callsigns filled in. After a duress
// cancel the citizen gets the view frozen at that moment, byte for byte, whatever staff do next.
import type { Alert, Unit } from './model.js';
import type { Actor } from './ports.js';
import type { DispatchStore } from './storage.js';
import type { UnitService } from './units.js';
import { citizenView, staffView, type CitizenAlertView } from './views.js';

export class AlertPresenter {
  constructor(private store: DispatchStore, private units: UnitService, private emergencyNumber: string) {}

  unitMap(): Promise<ReadonlyMap<string, Unit>> {
    return this.units.map();
  }

  async view(actor: Pick<Actor, 'role'>, alert: Alert, paged?: readonly string[]) {
    if (actor.role === 'citizen' && alert.duress) return this.frozen(alert);
    const [units, pagedIds] = await Promise.all([this.unitMap(), paged ? Promise.resolve(paged) : this.store.pagedUnits(alert.id).then((s) => [...s])]);
    return this.viewWith(actor, alert, units, pagedIds);
  }

  viewWith(actor: Pick<Actor, 'role'>, alert: Alert, units: ReadonlyMap<string, Unit>, paged: readonly string[]) {
    if (actor.role !== 'citizen') return staffView(alert, units, paged);
    return alert.duress ? this.frozen(alert) : citizenView(alert, units, paged, this.emergencyNumber);
  }

  async views(actor: Pick<Actor, 'role'>, alerts: readonly Alert[]) {
    const units = await this.unitMap();
    return Promise.all(alerts.map(async (a) => (actor.role === 'citizen' && a.duress
      ? this.frozen(a)
      : this.viewWith(actor, a, units, [...(await this.store.pagedUnits(a.id))]))));
  }

  /** What the citizen's phone saw when a real cancel would have closed it (see DispatchService.duress). */
  citizenViewAsCancelled(cancelled: Alert, units: ReadonlyMap<string, Unit>, paged: readonly string[]): string {
    return JSON.stringify(citizenView(cancelled, units, paged, this.emergencyNumber));
  }

  private frozen(alert: Alert): CitizenAlertView {
    if (alert.duressView) return JSON.parse(alert.duressView) as CitizenAlertView;
    // A duress cancel stored before frozen views existed: "cancelled", as it always showed.
    return citizenView({ ...alert, status: 'cancelled', nextDeadlineAt: null, hold: null, closedAt: alert.closedAt ?? alert.updatedAt }, new Map(), [], this.emergencyNumber);
  }
}
