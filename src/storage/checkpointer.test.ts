import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { openStorage, type Storage } from './database.js';

const dirs: string[] = [];
const opened: Storage[] = [];
afterEach(async () => {
  for (const s of opened.splice(0)) await s.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function open(backgroundCheckpoints: boolean): Promise<{ storage: Storage; dir: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'cuadrante-ckpt-'));
  dirs.push(dir);
  // A long interval: the test asks for each checkpoint itself.
  const storage = await openStorage({ databaseUrl: null, dataDir: dir, backgroundCheckpoints, checkpointIntervalMs: 3_600_000 });
  opened.push(storage);
  return { storage, dir };
}

async function writeRows(storage: Storage, n: number, from = 0): Promise<void> {
  for (let i = from; i < from + n; i++) {
    await sql`insert into meta (key, value) values (${`k${i}`}, ${'x'.repeat(2000)})`.execute(storage.db);
  }
}

describe('WAL checkpoints in a worker thread', () => {
  it('the main connection no longer checkpoints by itself; the worker copies the WAL into the file and the WAL restarts', async () => {
    const { storage, dir } = await open(true);
    expect(storage.checkpointer).toMatchObject({ ready: expect.any(Promise), checkpointNow: expect.any(Function), stop: expect.any(Function) });
    expect(storage.sqlite!.pragma('wal_autocheckpoint', { simple: true })).toBe(100000);
    await storage.checkpointer!.checkpointNow();

    const dbFile = join(dir, 'cuadrante.db');
    const before = statSync(dbFile).size;
    // ~3,000 pages: past SQLite's default autocheckpoint (1,000), which would have run in a commit.
    await writeRows(storage, 1500);
    expect(statSync(dbFile).size).toBe(before);

    const r = await storage.checkpointer!.checkpointNow();
    expect(r.busy).toBe(0);
    expect(r.log).toBeGreaterThan(1000);
    expect(r.checkpointed).toBe(r.log);
    expect(statSync(dbFile).size).toBeGreaterThan(before + 1500 * 2000);

    // After a complete checkpoint the next commit writes from the start of the WAL again.
    await writeRows(storage, 5, 1500);
    const again = await storage.checkpointer!.checkpointNow();
    expect(again.log).toBeLessThan(50);
    const rows = await sql<{ n: number }>`select count(*) as n from meta where key like 'k%'`.execute(storage.db);
    expect(rows.rows[0]!.n).toBe(1505);
  });

  it('is off unless asked for (short-lived commands keep SQLite\'s own checkpoints)', async () => {
    const { storage } = await open(false);
    expect(storage.checkpointer).toBeUndefined();
    expect(storage.sqlite!.pragma('wal_autocheckpoint', { simple: true })).toBe(20000);
  });

  it('close stops the worker and the data survives a reopen', async () => {
    const { storage, dir } = await open(true);
    await writeRows(storage, 10);
    await storage.close();
    opened.splice(opened.indexOf(storage), 1);
    const again = await openStorage({ databaseUrl: null, dataDir: dir });
    opened.push(again);
    const rows = await sql<{ n: number }>`select count(*) as n from meta where key like 'k%'`.execute(again.db);
    expect(rows.rows[0]!.n).toBe(10);
  });
});
