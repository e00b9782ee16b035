// Turns alerts into the view each audience may see, with unit callsigns filled in.
import type { Alert, Unit } from './model.js';
import type { Actor } from './ports.js';
import type { DispatchStore } from './storage.js';
import type { UnitService } from './units.js';
import { citizenView, staffView } from './views.js';

export class AlertPresenter {
  constructor(private store: DispatchStore, private units: UnitService, private emergencyNumber: string) {}

  unitMap(): Promise<ReadonlyMap<string, Unit>> {
    return this.units.map();
  }

  async view(actor: Pick<Actor, 'role'>, alert: Alert, paged?: readonly string[]) {
    const [units, pagedIds] = await Promise.all([this.unitMap(), paged ? Promise.resolve(paged) : this.store.pagedUnits(alert.id).then((s) => [...s])]);
    return this.viewWith(actor, alert, units, pagedIds);
  }

  viewWith(actor: Pick<Actor, 'role'>, alert: Alert, units: ReadonlyMap<string, Unit>, paged: readonly string[]) {
    return actor.role === 'citizen' ? citizenView(alert, units, paged, this.emergencyNumber) : staffView(alert, units, paged);
  }

  async views(actor: Pick<Actor, 'role'>, alerts: readonly Alert[]) {
    const units = await this.unitMap();
    return Promise.all(alerts.map(async (a) => this.viewWith(actor, a, units, [...(await this.store.pagedUnits(a.id))])));
  }
}
