// A second `npm start` on a machine where one is already running: one line naming the setting to
// change and exit status 1 — not an EADDRINUSE stack trace.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';
import { freePort, projectRoot } from '../support/net.js';

/** Runs the real entry point (src/main.ts) to its end; what it printed on stderr, and how it exited. */
function runSecondInstance(env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'cuadrante-second-'));
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: projectRoot, stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, HOST: '127.0.0.1', CUADRANTE_DATA_DIR: dataDir, CUADRANTE_SEED: 'none', CUADRANTE_ADMIN_PASSWORD: 'second-instance-pw', LOG_LEVEL: 'silent', ...env },
  });
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += String(d); });
  return new Promise((resolve) => child.once('exit', (code) => {
    rmSync(dataDir, { recursive: true, force: true });
    resolve({ code, stderr });
  }));
}

describe('a second instance on a taken port', () => {
  let first: TestServer;
  beforeAll(async () => { first = await startTestServer({ config: { osmandPort: await freePort() }, webDir: null }); });
  afterAll(async () => { await first?.close(); });

  it('names PORT when the HTTP port is taken', async () => {
    const { code, stderr } = await runSecondInstance({ PORT: String(first.config.port), CUADRANTE_OSMAND_PORT: '0' });
    expect(code).toBe(1);
    expect(stderr).toBe(`cuadrante: HTTP port 127.0.0.1:${first.config.port} is already in use (is another Cuadrante running?): set PORT to a free port.\n`);
  });

  it('names CUADRANTE_OSMAND_PORT when the tracker port is taken', async () => {
    const { code, stderr } = await runSecondInstance({ PORT: String(await freePort()), CUADRANTE_OSMAND_PORT: String(first.config.osmandPort) });
    expect(code).toBe(1);
    expect(stderr).toBe(`cuadrante: OsmAnd (Traccar Client) port 127.0.0.1:${first.config.osmandPort} is already in use (is another Cuadrante running?): set CUADRANTE_OSMAND_PORT to a free port, or 0 to turn that listener off.\n`);
  });

  it('still answers on the first instance', async () => {
    expect((await fetch(`${first.url}/health`)).status).toBe(200);
  });
});
