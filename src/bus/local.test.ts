// The single-instance bus: events reach this process's subscribers at commit, never before and
// never for a rolled-back change; resuming within the process works like the stream's.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { sqliteEngine } from '../../tests/support/engines.js';
import { openStorage, type Storage } from '../storage/index.js';
import { createBus, LocalBus, subjectMatcher, type BusEvent, type DeliveredEvent } from './index.js';
import { defaultConfig } from '../config/index.js';

const ev = (n: number, subject = 'dispatch.alert.changed'): BusEvent => ({ id: randomUUID(), subject, payload: { n, when: new Date(5) }, at: n });

describe('local bus', () => {
  let storage: Storage;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    const fresh = await sqliteEngine.fresh();
    cleanup = fresh.cleanup;
    storage = await openStorage({ databaseUrl: null, dataDir: fresh.config.dataDir });
  });
  afterAll(async () => { await storage?.close(); await cleanup?.(); });

  it('is what the configuration gives without CUADRANTE_NATS_URL, and writes no outbox rows', async () => {
    const bus = createBus({ config: defaultConfig, db: storage.db });
    expect(bus).toBeInstanceOf(LocalBus);
    const got: DeliveredEvent[] = [];
    bus.subscribe({ from: 'new', handler: (e) => { got.push(e); } });
    const e = ev(1);
    const value = await bus.transact(storage.db, async (trx) => {
      await trx.insertInto('meta').values({ key: 'local-bus', value: '1' }).execute();
      expect(got).toEqual([]); // nothing before the commit
      return { value: 'done', events: [e] };
    });
    expect(value).toBe('done');
    // Plain JSON, as over NATS (the Date arrives as its string).
    expect(got).toEqual([{ id: e.id, subject: e.subject, at: 1, seq: 1, payload: { n: 1, when: new Date(5).toISOString() } }]);
    expect(await storage.db.selectFrom('event_outbox').selectAll().execute()).toEqual([]);
  });

  it('delivers nothing for a rolled-back change', async () => {
    const bus = new LocalBus();
    const got: DeliveredEvent[] = [];
    bus.subscribe({ from: 'new', handler: (e) => { got.push(e); } });
    await expect(bus.transact(storage.db, async () => { throw new Error('failed'); })).rejects.toThrow('failed');
    expect(got).toEqual([]);
  });

  it('resumes from a sequence it still holds, reports a gap beyond it, filters by subject', () => {
    const warnings: string[] = [];
    const bus = new LocalBus({ replay: 5, log: { warn: (m) => { warnings.push(m); } } });
    bus.committed(Array.from({ length: 8 }, (_, i) => ev(i, i % 2 ? 'fleet.unit.changed' : 'dispatch.alert.changed')));
    const resumed: number[] = [];
    bus.subscribe({ from: { seq: 6 }, handler: (e) => { resumed.push(e.seq); } });
    const gaps: unknown[] = [];
    const old: number[] = [];
    bus.subscribe({ from: { seq: 1 }, onGap: (g) => gaps.push(g), handler: (e) => { old.push(e.seq); } });
    const fleet: number[] = [];
    bus.subscribe({ from: 'new', filter: 'fleet.>', handler: (e) => { fleet.push(e.seq); } });
    const known: number[] = [];
    bus.subscribe({ from: 'new', known: (s) => s.startsWith('dispatch.'), handler: (e) => { known.push(e.seq); } });
    bus.committed([ev(8, 'fleet.unit.changed'), ev(9)]);
    expect(resumed).toEqual([6, 7, 8, 9, 10]);
    expect(gaps).toEqual([{ requested: 1, first: 4 }]);
    expect(old).toEqual([4, 5, 6, 7, 8, 9, 10]);
    expect(fleet).toEqual([9]);
    expect(known).toEqual([10]);
    expect(warnings).toEqual(['event bus: unknown event skipped']);
  });

  it('a throwing or rejecting handler is logged and does not stop the others or the caller', async () => {
    const warnings: string[] = [];
    const bus = new LocalBus({ log: { warn: (m) => { warnings.push(m); } } });
    const got: number[] = [];
    bus.subscribe({ from: 'new', handler: () => { throw new Error('bug'); } });
    bus.subscribe({ from: 'new', handler: async () => { throw new Error('async bug'); } });
    bus.subscribe({ from: 'new', handler: (e) => { got.push(e.seq); } });
    bus.committed([ev(1), ev(2)]);
    await new Promise((r) => setTimeout(r, 0));
    expect(got).toEqual([1, 2]);
    expect(warnings.filter((w) => w === 'event bus: handler failed, event skipped')).toHaveLength(4);
  });

  it('refuses at record time a payload the NATS bus could not store', async () => {
    const bus = new LocalBus();
    await expect(bus.record(storage.db, [{ id: 'x', subject: 'a.b', payload: 10n, at: 1 }])).rejects.toThrow();
  });

  it('matches subjects as NATS does', () => {
    const m = subjectMatcher('dispatch.*.changed');
    expect([m('dispatch.alert.changed'), m('dispatch.alert.paged'), m('dispatch.alert.changed.x'), m('fleet.unit.changed')]).toEqual([true, false, false, false]);
    const g = subjectMatcher('dispatch.>');
    expect([g('dispatch.alert.changed'), g('dispatch'), g('fleet.x')]).toEqual([true, false, false]);
  });
});
