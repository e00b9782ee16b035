// The outbox on both engines: an event exists iff the change it reports committed, rows come back
// in the order they were written, and sent rows leave after their retention.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { availableEngines } from '../../tests/support/engines.js';
import { openStorage, type Storage } from '../storage/index.js';
import { appendEvents, EventOutbox } from './outbox.js';
import type { BusEvent } from './types.js';

const engines = await availableEngines();
const ev = (n: number, subject = 'test.thing'): BusEvent => ({ id: randomUUID(), subject, payload: { n }, at: 1_000 + n });

describe.each(engines)('event outbox on $name', (engine) => {
  let storage: Storage;
  let cleanup: () => Promise<void>;
  let outbox: EventOutbox;
  beforeAll(async () => {
    const fresh = await engine.fresh();
    cleanup = fresh.cleanup;
    storage = await openStorage({ databaseUrl: fresh.config.databaseUrl, dataDir: fresh.config.dataDir, schema: fresh.config.databaseSchema });
    outbox = new EventOutbox(storage.db);
  });
  afterAll(async () => { await storage?.close(); await cleanup?.(); });

  it('writes the events with the change, and none when the transaction rolls back', async () => {
    const kept = [ev(1), ev(2)];
    await storage.db.transaction().execute(async (trx) => {
      await trx.insertInto('meta').values({ key: 'bus-test-committed', value: 'x' }).execute();
      await appendEvents(trx, kept);
    });
    const lost = ev(3);
    await expect(storage.db.transaction().execute(async (trx) => {
      await trx.insertInto('meta').values({ key: 'bus-test-rolled-back', value: 'x' }).execute();
      await appendEvents(trx, [lost]);
      throw new Error('the change failed');
    })).rejects.toThrow('the change failed');
    const rows = await outbox.unsent(100);
    expect(rows.map((r) => r.id)).toEqual(kept.map((e) => e.id));
    expect(rows.map((r) => JSON.parse(r.payload))).toEqual([{ n: 1 }, { n: 2 }]);
    expect(await storage.db.selectFrom('meta').select('key').where('key', '=', 'bus-test-rolled-back').execute()).toEqual([]);
    await outbox.markSent(rows.map((r) => r.seq), 5000);
  });

  it('gives back unsent rows in write order, even many written in one millisecond', async () => {
    const batch = Array.from({ length: 1200 }, (_, i) => ({ ...ev(i), at: 7777 }));
    await storage.db.transaction().execute((trx) => appendEvents(trx, batch));
    const rows = await outbox.unsent(2000);
    expect(rows.map((r) => r.id)).toEqual(batch.map((e) => e.id));
    await outbox.markSent(rows.slice(0, 1000).map((r) => r.seq), 6000);
    expect(await outbox.backlog()).toBe(200);
    expect((await outbox.unsent(1))[0]!.id).toBe(batch[1000]!.id);
    await outbox.markSent(rows.slice(1000).map((r) => r.seq), 9000);
  });

  it('refuses a payload JSON cannot carry, and a second row with the same event id', async () => {
    await expect(appendEvents(storage.db, [{ id: randomUUID(), subject: 'x.y', payload: undefined, at: 1 }])).rejects.toThrow(/not JSON-serialisable/);
    const e = ev(9);
    await appendEvents(storage.db, [e]);
    await expect(appendEvents(storage.db, [e])).rejects.toThrow();
    await outbox.markSent((await outbox.unsent(10)).map((r) => r.seq), 9000);
  });

  it('deletes sent rows older than the retention, never unsent ones', async () => {
    const waiting = ev(50);
    await appendEvents(storage.db, [waiting]);
    const before = await storage.db.selectFrom('event_outbox').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(before.n)).toBe(1 + 2 + 1200 + 1);
    expect(await outbox.pruneSent(8000, 5000)).toBe(2 + 1000); // sent at 5000 and 6000
    expect(await outbox.pruneSent(10_000, 5000)).toBe(200 + 1);
    expect((await outbox.unsent(10)).map((r) => r.id)).toEqual([waiting.id]);
  });
});
