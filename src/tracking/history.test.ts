// The position-history writer on the server's SQLite file: inserts in a worker thread with its own
// connection, main-thread writes beside it, and a stop that writes everything accepted.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { openStorage, type Storage } from '../storage/index.js';
import type { Fix } from './domain/fix.js';
import { historyWriter } from './history.js';
import { HistoryWorkerGone, startHistoryWorker } from './history-worker.js';
import { POSITION_INSERT_SQL, TrackingStore } from './storage.js';

const dirs: string[] = [];
const opened: Storage[] = [];
afterEach(async () => {
  for (const s of opened.splice(0)) await s.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function open(dir = mkdtempSync(join(tmpdir(), 'cuadrante-history-'))): Promise<{ storage: Storage; dir: string }> {
  if (!dirs.includes(dir)) dirs.push(dir);
  // As the server opens it: the WAL checkpointer in a worker, which is what turns the history worker on.
  const storage = await openStorage({ databaseUrl: null, dataDir: dir, backgroundCheckpoints: true });
  opened.push(storage);
  return { storage, dir };
}

const T0 = Date.UTC(2026, 11, 6, 12, 0, 0);
function fixes(n: number, units = 50, from = 0): Fix[] {
  return Array.from({ length: n }, (_, k) => {
    const i = from + k;
    return {
      unitId: `unit-${i % units}`, unitType: 'car', source: 'osmand', trackerId: `trk-${i % units}`, at: T0 + i * 1000, receivedAt: T0 + i * 1000 + 50,
      lat: 19.43 + (i % 100) * 1e-5, lon: -99.13, speedMps: 4, course: 90, altitudeM: null, accuracyM: 6, batteryPct: 81,
      alarm: null, attributes: (i % 7 === 0 ? { ignition: true } : {}) as Fix['attributes'], quadrantId: 'Q1', late: false,
    };
  });
}

const count = async (storage: Storage) => (await sql<{ n: number }>`select count(*) as n from positions`.execute(storage.db)).rows[0]!.n;
/** Rows changed by the main connection itself (SQLite's total_changes() is per connection). */
const mainChanges = (storage: Storage) => storage.sqlite!.prepare('select total_changes() as n').get() as { n: number };

describe('position history in a worker thread (SQLite)', () => {
  it('writes the rows on its own connection, and the main connection reads them back whole', async () => {
    const { storage } = await open();
    const store = new TrackingStore(storage.db, storage.sqlite);
    const errors: unknown[] = [];
    const writer = historyWriter(storage, store, (e) => errors.push(e));
    const before = mainChanges(storage).n;
    for (const f of fixes(2345)) writer.push(f);
    await writer.flush();

    expect(errors).toEqual([]);
    expect(writer.written).toBe(2345);
    // Not one of them was inserted on the main connection (the event loop's).
    expect(mainChanges(storage).n).toBe(before);
    expect(await count(storage)).toBe(2345);
    const track = await store.track('unit-7', T0, T0 + 3000 * 1000, 10_000);
    expect(track).toHaveLength(47); // 7, 57, …, 2307
    expect(track[0]).toEqual({ at: T0 + 7000, lat: 19.43007, lon: -99.13, speedMps: 4, course: 90, accuracyM: 6, quadrantId: 'Q1', source: 'osmand' });
    const attrs = await sql<{ attributes: string | null }>`select attributes from positions where fix_at = ${T0 + 7000}`.execute(storage.db);
    expect(attrs.rows[0]!.attributes).toBe('{"ignition":true}');
  });

  it('a stop without a crash writes every accepted position, also those still buffered', async () => {
    const { storage, dir } = await open();
    const writer = historyWriter(storage, new TrackingStore(storage.db, storage.sqlite), (e) => { throw e; });
    // 10,000 handed over (a backlog in the worker) and 123 still in the event loop's buffer.
    for (const f of fixes(10_123)) writer.push(f);
    expect(writer.pending).toBe(123);
    // What the composition root does on stop: flush the buffered writes, then close the storage.
    await writer.flush();
    await storage.close();
    opened.splice(opened.indexOf(storage), 1);

    const { storage: again } = await open(dir);
    expect(await count(again)).toBe(10_123);
  });

  it('closing the storage alone still writes what was buffered', async () => {
    const { storage, dir } = await open();
    const writer = historyWriter(storage, new TrackingStore(storage.db, storage.sqlite), (e) => { throw e; });
    for (const f of fixes(777)) writer.push(f);
    await storage.close();
    opened.splice(opened.indexOf(storage), 1);
    const { storage: again } = await open(dir);
    expect(await count(again)).toBe(777);
  });

  it('main-thread transactions that read before they write do not fail while the worker writes', async () => {
    const { storage } = await open();
    const writer = historyWriter(storage, new TrackingStore(storage.db, storage.sqlite), (e) => { throw e; }, { chunkRows: 200 });
    await sql`create table tally (id integer primary key, n integer not null)`.execute(storage.db);
    await sql`insert into tally (id, n) values (1, 0)`.execute(storage.db);
    // Keep the worker committing (many short transactions) for the whole test.
    let more = true;
    let fed = 0;
    const feed = (async () => {
      while (more) {
        for (const f of fixes(500, 50, fed)) writer.push(f);
        fed += 500;
        await new Promise((r) => setTimeout(r, 2));
      }
    })();
    // Read, let the worker commit meanwhile, then write: a deferred transaction would now fail with
    // SQLITE_BUSY_SNAPSHOT (its snapshot is older than the worker's commit).
    const results = await Promise.allSettled(Array.from({ length: 40 }, async () => {
      await storage.db.transaction().execute(async (trx) => {
        const { rows } = await sql<{ n: number }>`select n from tally where id = 1`.execute(trx);
        await new Promise((r) => setTimeout(r, 3));
        await sql`update tally set n = ${rows[0]!.n + 1} where id = 1`.execute(trx);
      });
    }));
    more = false;
    await feed;
    await writer.flush();

    expect(results.filter((r) => r.status === 'rejected').map((r) => String((r as PromiseRejectedResult).reason))).toEqual([]);
    // No update was lost either: each read the value the previous one wrote.
    expect((await sql<{ n: number }>`select n from tally where id = 1`.execute(storage.db)).rows[0]!.n).toBe(40);
    expect(await count(storage)).toBe(fed);
    expect(fed).toBeGreaterThan(2000);
  });

  it('without the worker (PostgreSQL, the commands, or asked not to) it writes on the main connection as before', async () => {
    const { storage } = await open();
    const store = new TrackingStore(storage.db, storage.sqlite);
    const writer = historyWriter(storage, store, (e) => { throw e; }, { worker: false });
    const before = mainChanges(storage).n;
    for (const f of fixes(300)) writer.push(f);
    await writer.flush();
    expect(mainChanges(storage).n).toBe(before + 300);
  });
});

describe('the history worker itself', () => {
  it('a worker that cannot open its file gives the rows back instead of losing them', async () => {
    const w = startHistoryWorker(join(tmpdir(), 'no-such-dir-cuadrante', 'x', 'cuadrante.db'), POSITION_INSERT_SQL);
    await expect(w.ready).rejects.toThrow();
    await expect(w.write([[1]])).rejects.toBeInstanceOf(HistoryWorkerGone);
    expect(w.alive).toBe(false);
    await w.stop();
  });

  it('reports a row the database refuses as an error, and keeps writing the next ones', async () => {
    const { storage } = await open();
    const w = startHistoryWorker(storage.sqlite!.name, POSITION_INSERT_SQL);
    await w.ready;
    const good = ['u1', 'osmand', null, T0, T0, 19.4, -99.1, null, null, null, null, null, null, null];
    const bad = ['u1', 'osmand', null, T0, T0, null, -99.1, null, null, null, null, null, null, null]; // lat is not null
    await expect(w.write([bad], true)).rejects.toThrow(/NOT NULL/);
    await w.write([good, good], true);
    await w.stop();
    expect(await count(storage)).toBe(2);
  });
});

describe('the batch writer', () => {
  it('makes ingest wait once too many positions are handed over and not yet written, and lets it go when they are', async () => {
    const { BatchWriter } = await import('./writer.js');
    const settle: (() => void)[] = [];
    let hold = true;
    const writer = new BatchWriter(() => (hold ? new Promise<void>((ok) => settle.push(ok)) : Promise.resolve()), { intervalMs: 1000, maxBatch: 100, maxUnwritten: 250, onError: (e) => { throw e; }, pipelined: true });
    for (const f of fixes(200)) writer.push(f);
    expect(writer.room()).toBeUndefined(); // 200 waiting: under the cap
    for (const f of fixes(100, 50, 200)) writer.push(f);
    const room = writer.room();
    expect(room).toBeInstanceOf(Promise);
    let letGo = false;
    void room!.then(() => { letGo = true; });
    await new Promise((r) => setTimeout(r, 10));
    expect(letGo).toBe(false);
    settle.shift()!(); // 100 written: 200 left, under the cap again
    await new Promise((r) => setTimeout(r, 0));
    expect(letGo).toBe(true);
    hold = false;
    for (const ok of settle.splice(0)) ok();
    await writer.flush();
    expect(writer.written).toBe(300);
  });
});
