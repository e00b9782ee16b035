import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { DataDirLockedError, lockDataDir, type DataDirLock } from './lock.js';
import { openStorage } from './database.js';

const dirs: string[] = [];
const locks: DataDirLock[] = [];
afterEach(() => {
  for (const l of locks.splice(0)) l.release();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const freshDir = () => { const d = mkdtempSync(join(tmpdir(), 'cuadrante-lock-')); dirs.push(d); return d; };
const take = (dir: string) => { const l = lockDataDir(dir); locks.push(l); return l; };

/** Another process that takes the lock, says so on stdout, and holds it until killed. */
async function holder(dir: string): Promise<{ kill(signal: NodeJS.Signals): Promise<void> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', '-e',
    `import('./src/storage/lock.ts').then((m) => { m.lockDataDir(${JSON.stringify(dir)}); console.log('locked'); setInterval(() => {}, 1000); })`],
  { cwd: join(import.meta.dirname, '../..'), stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((ok, fail) => {
    child.stdout.on('data', (d) => { if (String(d).includes('locked')) ok(); });
    child.once('exit', (code) => fail(new Error(`lock holder exited (${code})`)));
  });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  return { async kill(signal) { child.kill(signal); await exited; } };
}

describe('the data directory lock', () => {
  it('refuses a second holder with a message naming the directory and the settings, and lets the next in after release', () => {
    const dir = freshDir();
    const first = take(dir);
    let refused: unknown;
    try { take(dir); } catch (err) { refused = err; }
    expect(refused).toBeInstanceOf(DataDirLockedError);
    expect((refused as Error).message).toBe(`cuadrante: the data directory ${dir} is in use by another Cuadrante server (it holds ${join(dir, 'cuadrante.lock')}): `
      + 'stop that one, or set CUADRANTE_DATA_DIR to another directory; to run several instances on one database, set DATABASE_URL (PostgreSQL).');
    first.release();
    first.release();
    expect(() => take(dir)).not.toThrow();
  });

  it('is held against other processes, and is free again the moment the holder is SIGKILLed (no stale lock)', async () => {
    const dir = freshDir();
    const other = await holder(dir);
    expect(() => take(dir)).toThrow(DataDirLockedError);
    await other.kill('SIGKILL');
    expect(() => take(dir)).not.toThrow();
    // Nothing left beside it that a later start would have to clean up.
    expect(readdirSync(dir)).toEqual(['cuadrante.lock']);
  }, 30_000);

  it('does not lock the database file: a short-lived command opens it while a server holds the directory', async () => {
    const dir = freshDir();
    take(dir);
    const storage = await openStorage({ databaseUrl: null, dataDir: dir });
    try {
      await sql`insert into meta (key, value) values ('cli', 'ran')`.execute(storage.db);
      expect((await sql<{ value: string }>`select value from meta where key = 'cli'`.execute(storage.db)).rows[0]?.value).toBe('ran');
    } finally {
      await storage.close();
    }
  });

  it('creates a missing data directory', () => {
    const dir = join(freshDir(), 'nested', 'data');
    take(dir);
    expect(existsSync(join(dir, 'cuadrante.lock'))).toBe(true);
  });
});
