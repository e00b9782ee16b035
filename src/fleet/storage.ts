// Persistence of units (the `units` table belongs to this context).
import type { Db } from '../storage/index.js';
import type { ChangeLog } from '../bus/index.js';
import type { ShiftState, Unit, UnitShiftChange } from './model.js';

/** The subject of a unit created, edited or changing shift (to the other instances); payload `{ unit }`. */
export const UNIT_CHANGED = 'fleet.unit.changed';

export class FleetStore {
  /** `changes`: with several instances, every unit write is also recorded for the others (src/bus). */
  constructor(private db: Db, private changes: ChangeLog | null = null) {}

  /** Inserts or updates a unit; between instances, with its change record in the same transaction. */
  async saveUnit(u: Unit, kind: 'insert' | 'update'): Promise<void> {
    const changes = this.changes;
    if (!changes) { await (kind === 'insert' ? this.insertUnit(u) : this.updateUnit(u)); return; }
    await this.db.transaction().execute(async (trx) => {
      const store = new FleetStore(trx);
      await (kind === 'insert' ? store.insertUnit(u) : store.updateUnit(u));
      await changes.record(trx, UNIT_CHANGED, { unit: u });
    }).finally(() => changes.committed());
  }

  /** A unit inserted in the caller's transaction (enrolment), its change record with it. */
  async insertUnitIn(trx: Db, u: Unit): Promise<void> {
    await new FleetStore(trx).insertUnit(u);
    await this.changes?.record(trx, UNIT_CHANGED, { unit: u });
  }

  /** After a transaction that called insertUnitIn committed. */
  committed(): void { this.changes?.committed(); }

  async insertUnit(u: Unit): Promise<void> {
    await this.db.insertInto('units').values(unitRow(u)).execute();
  }
  async updateUnit(u: Unit): Promise<void> {
    await this.db.updateTable('units').set(unitRow(u)).where('id', '=', u.id).execute();
  }
  async listUnits(): Promise<Unit[]> {
    return (await this.db.selectFrom('units').selectAll().orderBy('callsign').execute()).map(toUnit);
  }
  async findUnit(id: string): Promise<Unit | undefined> {
    const r = await this.db.selectFrom('units').selectAll().where('id', '=', id).executeTakeFirst();
    return r && toUnit(r);
  }
  async findUnitByCallsign(callsign: string): Promise<Unit | undefined> {
    const r = await this.db.selectFrom('units').selectAll().where('callsign', '=', callsign).executeTakeFirst();
    return r && toUnit(r);
  }
}

/**
 * Shift changes written in the caller's transaction (dispatch: busy while a unit works an alert,
 * available after — in the alert's own transaction); answers those that changed. The caller then
 * hands them to UnitService.applied once committed.
 */
export async function writeShiftChanges(trx: Db, changes: readonly UnitShiftChange[], at: number): Promise<UnitShiftChange[]> {
  const changed: UnitShiftChange[] = [];
  for (const c of changes) {
    let q = trx.updateTable('units').set({ shift_state: c.state, updated_at: at })
      .where('id', '=', c.unitId).where('shift_state', '!=', c.state);
    if (c.unlessOffDuty) q = q.where('shift_state', '!=', 'off_duty');
    const r = await q.executeTakeFirst();
    if (Number(r.numUpdatedRows) === 1) changed.push(c);
  }
  return changed;
}

function unitRow(u: Unit) {
  return { id: u.id, callsign: u.callsign, type: u.type, phone: u.phone, shift_state: u.shiftState, quadrant_ids: JSON.stringify(u.quadrantIds), created_at: u.createdAt, updated_at: u.updatedAt };
}
function toUnit(r: { id: string; callsign: string; type: string; phone: string | null; shift_state: string; quadrant_ids: string; created_at: number; updated_at: number }): Unit {
  return { id: r.id, callsign: r.callsign, type: r.type as Unit['type'], phone: r.phone, shiftState: r.shift_state as ShiftState, quadrantIds: JSON.parse(r.quadrant_ids) as string[], createdAt: Number(r.created_at), updatedAt: Number(r.updated_at) };
}
