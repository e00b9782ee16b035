// Version and seq on a real database (SQLite and PostgreSQL): every committed change bumps the
// alert's version once, its events are numbered on from the row's last seq (the numbers the log
// stores are the ones announced), and what clients are shown carries both — so they order updates
// by version, never by a clock. The lifecycle table judges assign too.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { availableEngines } from '../../tests/support/engines.js';
import { openStorage, type Storage } from '../storage/index.js';
import { createServices, type Services } from '../services.js';
import { ManualClock } from '../kernel/index.js';
import type { Actor } from './ports.js';
import type { AlertChanged } from './events.js';

const engines = await availableEngines();

const square = { type: 'Feature', properties: { clave: 'Q-1', sector: 'S' }, geometry: { type: 'Polygon', coordinates: [[[-99.2, 19.4], [-99.19, 19.4], [-99.19, 19.41], [-99.2, 19.41], [-99.2, 19.4]]] } };
const inside = { lat: 19.405, lon: -99.195 };

describe.each(engines)('alert version and seq on $name', (engine) => {
  let storage: Storage;
  let cleanup: () => Promise<void>;
  let s: Services;
  let clock: ManualClock;
  let changes: AlertChanged[];
  let unitId: string;
  let n = 0;
  const dispatcher: Actor = { userId: 'dispatcher-1', role: 'dispatcher', unitId: null };
  const officer = (): Actor => ({ userId: 'officer-1', role: 'unit', unitId });

  beforeEach(async () => {
    clock = new ManualClock(Date.UTC(2026, 10, 22, 3, 0, 0));
    changes = [];
    const fresh = await engine.fresh();
    cleanup = fresh.cleanup;
    storage = await openStorage({ databaseUrl: fresh.config.databaseUrl, dataDir: fresh.config.dataDir, schema: fresh.config.databaseSchema });
    s = createServices(storage, fresh.config, clock, () => `o-${engine.name}-${++n}`, undefined, undefined, { deadlines: { autoRun: false, sweepMs: 3_600_000 } });
    await s.quadrants.importSet(null, { type: 'FeatureCollection', features: [square] }, { id: 'clave', sector: 'sector' }, { name: 'one', source: 'test', activate: true });
    s.bus.on('alert.changed', (c) => changes.push(c));
    const u = await s.units.create(null, { callsign: 'UNO', type: 'car', quadrantIds: ['Q-1'] });
    await s.units.setShift(u.id, 'available');
    unitId = u.id;
  });
  afterEach(async () => { s?.scheduler.stop(); await storage?.close(); await cleanup?.(); });

  /** What the log holds and what was announced must be the same numbers. */
  const expectAnnouncedAsStored = async (alertId: string) => {
    const stored = (await s.dispatchStore.events(alertId)).map((e) => [e.seq, e.type]);
    const announced = changes.filter((c) => c.alert.id === alertId).flatMap((c) => c.events.map((e) => [e.seq, e.type]));
    expect(announced).toEqual(stored);
    expect(stored.map(([seq]) => seq)).toEqual(stored.map((_, i) => i + 1));
  };

  it('bumps the version once per committed change and numbers events on from the last seq', async () => {
    const { alert } = await s.dispatch.raise({ userId: 'c1', role: 'citizen', unitId: null }, { ...inside, kind: 'robbery' }, null);
    expect(alert).toMatchObject({ version: 1, seq: 2, status: 'paging' }); // created, page
    clock.advance(1000);
    const acked = await s.dispatch.act(officer(), alert.id, 'acknowledge');
    expect(acked).toMatchObject({ version: 2, seq: 3 });
    clock.advance(1000);
    const resolved = await s.dispatch.act(officer(), alert.id, 'resolve', { outcome: 'attended' });
    expect(resolved).toMatchObject({ version: 3, seq: 4 });
    expect(await s.dispatchStore.findAlert(alert.id)).toMatchObject({ version: 3, seq: 4 });
    await expectAnnouncedAsStored(alert.id);
    expect(changes.map((c) => c.alert.version)).toEqual([1, 2, 3]);
    expect(await s.dispatch.events(dispatcher, alert.id, resolved.seq)).toEqual([]);
  });

  it('shows every audience the version and seq, and one of two racing changes wins a version', async () => {
    const { alert } = await s.dispatch.raise({ userId: 'c2', role: 'citizen', unitId: null }, inside, null);
    const race = await Promise.allSettled([s.dispatch.act(officer(), alert.id, 'acknowledge'), s.dispatch.assign(dispatcher, alert.id, unitId)]);
    const stored = (await s.dispatchStore.findAlert(alert.id))!;
    const won = race.filter((r) => r.status === 'fulfilled').map((r) => (r as PromiseFulfilledResult<{ version: number }>).value.version);
    expect(stored.version).toBe(Math.max(...won));
    expect(new Set(changes.map((c) => c.alert.version)).size).toBe(changes.length); // never two changes with one version
    expect(await s.presenter.view(dispatcher, stored)).toMatchObject({ version: stored.version, seq: stored.seq });
    expect(await s.presenter.view({ role: 'citizen' }, stored)).toMatchObject({ version: stored.version, seq: stored.seq });
    await expectAnnouncedAsStored(alert.id);
  });

  it('judges assign by the lifecycle table: a closed alert cannot be given to a unit', async () => {
    const { alert } = await s.dispatch.raise({ userId: 'c3', role: 'citizen', unitId: null }, inside, null);
    await s.dispatch.act(dispatcher, alert.id, 'cancel');
    await expect(s.dispatch.assign(dispatcher, alert.id, unitId)).rejects.toMatchObject({ code: 'INVALID_TRANSITION', params: { action: 'assign', status: 'cancelled' } });
    const events = await s.dispatchStore.events(alert.id);
    expect(events.map((e) => e.type)).toEqual(['created', 'page', 'cancel']);
  });

  it("freezes the phone's view after a duress cancel at that write's version and seq, while staff's keep moving", async () => {
    const device = await s.accounts.registerDevice();
    const owner: Actor = { userId: device.user.id, role: 'citizen', unitId: null };
    await s.pins.change(owner.userId, { cancelPin: '1111', duressPin: '9999' }, null, async () => false);
    const { alert } = await s.dispatch.raise(owner, inside, null);
    const seen = await s.dispatch.act(owner, alert.id, 'cancel', { pin: '9999', verifyPin: (pin) => s.pins.check(owner.userId, pin) });
    expect(seen).toMatchObject({ version: 2, seq: 3, duress: true, status: 'paging' });
    const frozen = await s.presenter.view({ role: 'citizen' }, seen);
    expect(frozen).toMatchObject({ status: 'cancelled', version: 2, seq: 3 });
    await s.dispatch.act(officer(), alert.id, 'acknowledge');
    const later = (await s.dispatchStore.findAlert(alert.id))!;
    expect(later).toMatchObject({ version: 3, seq: 4 });
    expect(await s.presenter.view({ role: 'citizen' }, later)).toEqual(frozen);
    expect(await s.presenter.view(dispatcher, later)).toMatchObject({ version: 3, seq: 4, status: 'acknowledged' });
    await expectAnnouncedAsStored(alert.id);
  });
});
