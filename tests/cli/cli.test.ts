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

  it('runs as `npx cuadrante` from the package bin', () => {
    const r = spawnSync('npx', ['cuadrante', 'quadrant-sets'], {
      cwd: repo, encoding: 'utf8', timeout: 120_000,
      env: { ...process.env, CUADRANTE_DATA_DIR: config.dataDir, DATABASE_URL: '' },
    });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/\* v1 +847 quadrants/);
    expect(r.stdout).toMatch(/ v2 +1 quadrants/);
  }, 130_000);
});
