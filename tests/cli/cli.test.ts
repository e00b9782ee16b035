// The CLI against the same database as a running server: the server picks the change up by
// itself. And a restart does not reload unchanged data.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { run } from '../../src/cli/main.js';
import { startServer } from '../../src/server.js';
import { sqliteEngine } from '../support/engines.js';
import type { Config } from '../../src/config/index.js';
import { connect } from '../support/ws.js';

const repo = new URL('../../', import.meta.url).pathname;

describe('cuadrante CLI', () => {
  let config: Config;
  let cleanup: () => Promise<void>;
  let server: Awaited<ReturnType<typeof startServer>>;
  const locate = async (lat: number, lon: number) =>
    (await (await fetch(`${server.url}/api/v1/locate?lat=${lat}&lon=${lon}`)).json()) as { version: number; quadrant: { id: string } | null };

  beforeAll(async () => {
    const fresh = await sqliteEngine.fresh();
    ({ config, cleanup } = fresh);
    server = await startServer(config, { webDir: null });
  }, 60_000);
  afterAll(async () => { await server?.close(); await cleanup?.(); });

  it('loads the shipped data on first start and nothing on the second', async () => {
    expect(server.seed).toEqual({ quadrants: 'loaded', crimes: 'loaded' });
    await server.close();
    server = await startServer(config, { webDir: null });
    expect(server.seed).toEqual({ quadrants: 'unchanged', crimes: 'unchanged' });
    expect((await locate(19.4326, -99.1332)).quadrant?.id).toBe('C-1.1.3');
  });

  it('imports a redrawn city with a property mapping; the running server swaps it in', async () => {
    const file = join(config.dataDir, 'nuevos.geojson');
    writeFileSync(file, JSON.stringify({
      type: 'FeatureCollection',
      features: [{ type: 'Feature', properties: { CVE: 'Q-001', SECT: 'Uno', ALC: 'Cuauhtémoc' }, geometry: { type: 'MultiPolygon', coordinates: [[[[-99.14, 19.42], [-99.12, 19.42], [-99.12, 19.44], [-99.14, 19.44], [-99.14, 19.42]], [[-99.135, 19.425], [-99.125, 19.425], [-99.125, 19.435], [-99.135, 19.435], [-99.135, 19.425]]]] } }],
    }));
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const code = await run(['import', 'quadrants', file, '--id-prop', 'CVE', '--sector-prop', 'SECT', '--alcaldia-prop', 'ALC', '--name', 'Redibujo 2025'], config);
    log.mockRestore();
    expect(code).toBe(0);
    await vi.waitFor(async () => expect((await locate(19.421, -99.139)).quadrant?.id).toBe('Q-001'), { timeout: 5000, interval: 100 });
    // The hole is outside the new quadrant.
    expect((await locate(19.43, -99.13)).quadrant).toBeNull();
  });

  it('refuses a bad file with the feature named, and changes nothing', async () => {
    const file = join(config.dataDir, 'malo.geojson');
    writeFileSync(file, JSON.stringify({ type: 'FeatureCollection', features: [
      { type: 'Feature', properties: { cuadrante: 'X-1' }, geometry: { type: 'Point', coordinates: [-99.1, 19.4] } },
    ] }));
    const errors: string[] = [];
    const err = vi.spyOn(console, 'error').mockImplementation((m: string) => { errors.push(m); });
    const code = await run(['import', 'quadrants', file], config);
    err.mockRestore();
    expect(code).toBe(2);
    expect(errors.join('\n')).toMatch(/IMPORT_INVALID_FEATURE/);
    expect(errors.join('\n')).toMatch(/X-1/);
    expect(errors.join('\n')).toMatch(/Point/);
    const before = (await locate(19.421, -99.139)).version;
    await new Promise((r) => setTimeout(r, 400));
    expect((await locate(19.421, -99.139)).version).toBe(before);
  });

  it('activates an earlier version and recomputes threat from a crime file', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    expect(await run(['activate', '1'], config)).toBe(0);
    expect(await run(['import', 'crimes', join(repo, 'data/cdmx/crimes-by-quadrant-2013-2015.csv.gz'), '--population', join(repo, 'data/cdmx/quadrant-population.csv')], config)).toBe(0);
    log.mockRestore();
    await vi.waitFor(async () => expect((await locate(19.4326, -99.1332)).quadrant?.id).toBe('C-1.1.3'), { timeout: 5000, interval: 100 });
  });

  it('cuts accounts off from the command line; the running server closes their sockets within a second', async () => {
    const post = async (path: string, body: unknown, token?: string) => {
      const res = await fetch(`${server.url}${path}`, {
        method: 'POST', body: JSON.stringify(body),
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      });
      return { status: res.status, body: (await res.json()) as Record<string, any> }; // eslint-disable-line @typescript-eslint/no-explicit-any
    };
    const login = (password: string) => post('/api/v1/auth/login', { username: 'turno-noche', password });
    const admin = (await post('/api/v1/auth/login', { username: config.adminUsername, password: config.adminPassword })).body.token as string;
    expect((await post('/api/v1/users', { username: 'turno-noche', password: 'contraseña-turno-noche', role: 'dispatcher' }, admin)).status).toBe(201);
    const out: string[] = [];
    const errors: string[] = [];
    const log = vi.spyOn(console, 'log').mockImplementation((m: string) => { out.push(m); });
    const err = vi.spyOn(console, 'error').mockImplementation((m: string) => { errors.push(m); });
    try {
      expect(await run(['help'], config)).toBe(0);
      expect(out.join('\n')).toMatch(/user disable USERNAME[\s\S]*user enable[\s\S]*user password[\s\S]*user role[\s\S]*user sign-out/);

      const socket = await connect(server.url, (await login('contraseña-turno-noche')).body.token as string);
      await socket.next((m) => m.type === 'snapshot');
      const t0 = performance.now();
      expect(await run(['user', 'disable', 'turno-noche'], config)).toBe(0);
      expect(await Promise.race([socket.closed, new Promise((r) => setTimeout(() => r('still open'), 1000))])).toBe(4401);
      expect(performance.now() - t0).toBeLessThan(1500);
      expect((await login('contraseña-turno-noche')).status).toBe(401);
      expect(await run(['user', 'enable', 'turno-noche'], config)).toBe(0);
      expect((await login('contraseña-turno-noche')).status).toBe(200);

      expect(await run(['user', 'role', 'turno-noche', 'analyst'], config)).toBe(0);
      expect((await login('contraseña-turno-noche')).body.user.role).toBe('analyst');

      const other = await connect(server.url, (await login('contraseña-turno-noche')).body.token as string);
      await other.next((m) => m.type === 'snapshot');
      expect(await run(['user', 'sign-out', 'turno-noche'], config)).toBe(0);
      expect(await Promise.race([other.closed, new Promise((r) => setTimeout(() => r('still open'), 1000))])).toBe(4401);

      out.length = 0;
      expect(await run(['user', 'password', 'turno-noche'], config)).toBe(0);
      const generated = /shown once\): (\S+)/.exec(out.join('\n'))?.[1];
      expect(generated).toMatch(/^[a-z2-9]{5}(-[a-z2-9]{5}){3}$/);
      expect((await login('contraseña-turno-noche')).status).toBe(401);
      expect((await login(generated!)).body.mustChangePassword).toBe(true);

      out.length = 0;
      expect(await run(['user', 'list'], config)).toBe(0);
      expect(out.join('\n')).toMatch(/turno-noche +analyst +must change password/);

      expect(await run(['user', 'disable', config.adminUsername], config)).toBe(2);
      expect(errors.join('\n')).toMatch(/LAST_ADMIN/);
      expect(await run(['user', 'role', 'turno-noche', 'root'], config)).toBe(2);
      expect(await run(['user', 'disable', 'nadie'], config)).toBe(2);
      expect(errors.join('\n')).toMatch(/USER_NOT_FOUND/);
    } finally {
      log.mockRestore();
      err.mockRestore();
    }
    const audit = await fetch(`${server.url}/api/v1/audit?limit=100`, { headers: { authorization: `Bearer ${admin}` } });
    const actions = ((await audit.json()) as { action: string; actorId: string | null }[]).filter((e) => e.actorId === null).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['user.disable', 'user.enable', 'user.role_change', 'user.sign_out_everywhere', 'user.password_reset']));
  }, 60_000);

  it('runs as `npx cuadrante` from the package bin', () => {
    const r = spawnSync('npx', ['cuadrante', 'quadrant-sets'], {
      cwd: repo, encoding: 'utf8', timeout: 120_000,
      env: { ...process.env, CUADRANTE_DATA_DIR: config.dataDir, DATABASE_URL: '' },
    });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/\* v1 +847 quadrants/);
    expect(r.stdout).toMatch(/ v2 +1 quadrants/);
  }, 130_000);

  it('rotates the secret key: the next start derives with the new one, the old one stays known', async () => {
    const before = server.services.secrets.keyId;
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const code = await run(['keys', 'rotate'], config);
    log.mockRestore();
    expect(code).toBe(0);
    await server.close();
    server = await startServer(config, { webDir: null });
    expect(server.services.secrets.keyId).not.toBe(before);
    expect(server.services.secrets.keyIds).toEqual([server.services.secrets.keyId, before]);
    const err = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    expect(await run(['keys', 'rotate'], { ...config, secretKey: 'ab'.repeat(32) })).toBe(2);
    err.mockRestore();
  });
});

