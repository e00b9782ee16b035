// The units cache is what every alert reads (ring 1 asks a quadrant's units, the console the list):
// after any change it must answer exactly what the database holds, in callsign order — whether
// the change kept the unit's place (a shift change, updated in place) or not (an edit).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sqliteEngine } from '../../tests/support/engines.js';
import { openStorage, type Storage } from '../storage/index.js';
import { AuditLog } from '../audit/index.js';
import { ManualClock } from '../kernel/index.js';
import { FleetBus, FleetStore, UnitService, writeShiftChanges } from './index.js';

describe('UnitService cache', () => {
  let storage: Storage;
  let cleanup: () => Promise<void>;
  let units: UnitService;
  let n = 0;

  beforeEach(async () => {
    const fresh = await sqliteEngine.fresh();
    cleanup = fresh.cleanup;
    storage = await openStorage({ databaseUrl: null, dataDir: fresh.config.dataDir });
    const clock = new ManualClock(Date.UTC(2026, 11, 6));
    units = new UnitService(new FleetStore(storage.db), new FleetBus(), new AuditLog(storage.db, clock), clock, () => `u-${++n}`, () => true);
  });
  afterEach(async () => { await storage?.close(); await cleanup?.(); });

  /** What a fresh service (no cache) reads from the database. */
  const stored = () => new UnitService(new FleetStore(storage.db), new FleetBus(), new AuditLog(storage.db, new ManualClock(0)), new ManualClock(0), () => 'x', () => true);

  it('answers what the database holds after shift changes and edits, by callsign, in the list, the id map and each quadrant', async () => {
    const c = await units.create(null, { callsign: 'C3', type: 'car', quadrantIds: ['Q1'] });
    const a = await units.create(null, { callsign: 'A1', type: 'car', quadrantIds: ['Q1', 'Q2'] });
    const b = await units.create(null, { callsign: 'B2', type: 'motorcycle', quadrantIds: ['Q2'] });
    // Warm every index, then change through each path.
    await units.list(); await units.map(); await units.inQuadrant('Q1'); await units.inQuadrant('Q2');
    await units.setShift(a.id, 'available');
    // As dispatch does: the shift written in the alert's transaction, then applied to the cache.
    const taken = await writeShiftChanges(storage.db, [{ unitId: b.id, state: 'busy', unlessOffDuty: false }], Date.UTC(2026, 11, 6, 1));
    await units.applied(taken, Date.UTC(2026, 11, 6, 1));
    await units.update(null, c.id, { quadrantIds: ['Q2'] });
    await units.setShift(c.id, 'available');

    const fresh = stored();
    const view = async (s: UnitService) => ({
      list: (await s.list()).map((u) => [u.callsign, u.shiftState, u.quadrantIds.join()]),
      byId: [a.id, b.id, c.id].map((id) => s.get(id).then((u) => u.shiftState)),
      q1: (await s.inQuadrant('Q1')).map((u) => [u.callsign, u.shiftState]),
      q2: (await s.inQuadrant('Q2')).map((u) => [u.callsign, u.shiftState]),
    });
    const [mine, db] = [await view(units), await view(fresh)];
    expect(await Promise.all(mine.byId)).toEqual(await Promise.all(db.byId));
    expect({ ...mine, byId: null }).toEqual({ ...db, byId: null });
    expect(mine.list).toEqual([['A1', 'available', 'Q1,Q2'], ['B2', 'busy', 'Q2'], ['C3', 'available', 'Q2']]);
    expect(mine.q1).toEqual([['A1', 'available']]);
    expect(mine.q2).toEqual([['A1', 'available'], ['B2', 'busy'], ['C3', 'available']]);
  });
});
