// A unit and its officer account are created in one transaction (SQLite and PostgreSQL): when the
// account cannot be stored, neither is the unit — no unit without its officer, nothing announced.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { availableEngines } from '../../tests/support/engines.js';
import { openStorage, type Storage } from '../storage/index.js';
import { createServices, type Services } from '../services.js';
import { ManualClock } from '../kernel/index.js';
import { FleetStore, UnitEnrolment, type OfficerAccounts, type Unit } from './index.js';

const engines = await availableEngines();

describe.each(engines)('unit enrolment on $name', (engine) => {
  let storage: Storage;
  let cleanup: () => Promise<void>;
  let s: Services;
  let n = 0;
  let announced: Unit[];

  beforeEach(async () => {
    const fresh = await engine.fresh();
    cleanup = fresh.cleanup;
    storage = await openStorage({ databaseUrl: fresh.config.databaseUrl, dataDir: fresh.config.dataDir, schema: fresh.config.databaseSchema });
    s = createServices(storage, fresh.config, new ManualClock(Date.UTC(2026, 10, 22)), () => `e-${engine.name}-${++n}`, undefined, undefined, { deadlines: { autoRun: false } });
    announced = [];
    s.fleetBus.on('unit.changed', (u) => announced.push(u));
  });
  afterEach(async () => { s?.scheduler.stop(); await storage?.close(); await cleanup?.(); });

  const audited = async (action: string) => (await storage.db.selectFrom('audit_log').select('target').where('action', '=', action).execute()).map((r) => r.target);

  it('creates the unit and the account that signs in to it together', async () => {
    const unit = await s.enrolment.enrol('admin-1', { callsign: 'p-101', type: 'car', quadrantIds: [] }, { username: 'Oficial.101', password: 'contraseña-larga-101' });
    expect(unit).toMatchObject({ callsign: 'P-101', shiftState: 'off_duty' });
    const user = await storage.db.selectFrom('users').selectAll().where('username', '=', 'oficial.101').executeTakeFirstOrThrow();
    expect(user).toMatchObject({ role: 'unit', unit_id: unit.id, display_name: 'P-101' });
    expect(await audited('unit.create')).toEqual([unit.id]);
    expect(await audited('user.create')).toEqual([user.id]);
    expect(announced.map((u) => u.id)).toEqual([unit.id]);
  });

  it('stores neither when the account cannot be stored, and announces nothing', async () => {
    const failing: OfficerAccounts<string> = {
      assertUsernameFree: async () => undefined,
      draftUser: async () => 'draft',
      // As a username taken between the check and the insert would: the unique index refuses it.
      insertUserIn: async () => { throw new Error('users_username unique violation'); },
      userCreated: async () => { throw new Error('must not be called'); },
    };
    const enrolment = new UnitEnrolment(storage.db, s.units, failing);
    await expect(enrolment.enrol('admin-1', { callsign: 'P-102', type: 'car', quadrantIds: [] }, { username: 'oficial.102', password: 'x'.repeat(20) }))
      .rejects.toThrow('unique violation');
    expect(await new FleetStore(storage.db).findUnitByCallsign('P-102')).toBeUndefined();
    expect((await s.units.list()).map((u) => u.callsign)).not.toContain('P-102');
    expect(await audited('unit.create')).toEqual([]);
    expect(announced).toEqual([]);
  });

  it('answers a taken username before anything is written, as the console always saw it', async () => {
    await s.accounts.createUser(null, { username: 'ocupado', password: 'contraseña-larga-1', role: 'dispatcher' });
    await expect(s.enrolment.enrol('admin-1', { callsign: 'P-103', type: 'car', quadrantIds: [] }, { username: 'OCUPADO', password: 'contraseña-larga-2' }))
      .rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(await new FleetStore(storage.db).findUnitByCallsign('P-103')).toBeUndefined();
  });
});
