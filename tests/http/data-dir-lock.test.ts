// A second server on the same SQLite data directory: one line naming the directory and the settings
// to change, exit status 1 — not two servers silently sharing one file. And the lock is the OS's:
// after `kill -9` of the first, the next start needs no clean-up.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { spawnServer, type ChildServer } from '../support/process.js';
import { freePort, projectRoot } from '../support/net.js';

const dataDir = mkdtempSync(join(tmpdir(), 'cuadrante-lock-'));
const env = { CUADRANTE_DATA_DIR: dataDir, DATABASE_URL: '', CUADRANTE_SEED: 'none', CUADRANTE_ADMIN_PASSWORD: 'lock-test-password', CUADRANTE_OSMAND_PORT: '0' };
const running: ChildServer[] = [];
afterAll(async () => {
  for (const s of running) if (s.child.exitCode === null && s.child.signalCode === null) await s.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

/** The real entry point to its end: what it printed on stderr and how it exited. */
async function runSecond(): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: projectRoot, stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, HOST: '127.0.0.1', PORT: String(await freePort()), LOG_LEVEL: 'silent', ...env },
  });
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += String(d); });
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, stderr })));
}

describe('a second server on the same SQLite data directory', () => {
  it('is refused with one line naming the directory, CUADRANTE_DATA_DIR and DATABASE_URL; the first keeps answering', async () => {
    const first = await spawnServer(env);
    running.push(first);
    const { code, stderr } = await runSecond();
    expect(code).toBe(1);
    expect(stderr).toBe(`cuadrante: the data directory ${dataDir} is in use by another Cuadrante server (it holds ${join(dataDir, 'cuadrante.lock')}): `
      + 'stop that one, or set CUADRANTE_DATA_DIR to another directory; to run several instances on one database, set DATABASE_URL (PostgreSQL).\n');
    expect((await fetch(`${first.url}/health`)).status).toBe(200);
  }, 120_000);

  it('starts as soon as the first is SIGKILLed: no stale lock', async () => {
    await running[0]!.kill('SIGKILL');
    const next = await spawnServer(env);
    running.push(next);
    expect((await fetch(`${next.url}/health`)).status).toBe(200);
    // And it holds the directory in turn.
    expect((await runSecond()).code).toBe(1);
  }, 120_000);
});
