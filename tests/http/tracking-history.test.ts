// The server on SQLite writes position history in a worker thread: what it answered as accepted is
// in the file after a stop without a crash, and main-thread writes made meanwhile commit.
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { expect, it } from 'vitest';
import { startServer } from '../../src/server.js';
import { sqliteEngine } from '../support/engines.js';
import { freePort } from '../support/net.js';

it('a stop without a crash writes every accepted position to the file, and main-thread writes commit while the worker writes', async () => {
  const db = await sqliteEngine.fresh();
  const port = await freePort();
  const server = await startServer({ ...db.config, port, publicUrl: `http://127.0.0.1:${port}` }, { webDir: null });
  try {
    const call = async (method: string, path: string, token?: string, body?: unknown) => {
      const res = await fetch(`${server.url}${path}`, {
        method, body: body === undefined ? undefined : JSON.stringify(body),
        headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...(token ? { authorization: `Bearer ${token}` } : {}) },
      });
      return { status: res.status, body: (await res.json().catch(() => null)) as any };
    };
    const admin = (await call('POST', '/api/v1/auth/login', undefined, { username: db.config.adminUsername, password: db.config.adminPassword })).body.token as string;
    const home = (await call('GET', '/api/v1/quadrants/P-1.4.8')).body.properties.interiorPoint as { lat: number; lon: number };
    const units: string[] = [];
    for (let u = 0; u < 4; u++) {
      const username = `hist${u}`;
      const created = await call('POST', '/api/v1/units', admin, { callsign: `H${u}`, type: 'car', quadrantIds: ['P-1.4.8'], username, password: `clave-${username}-segura` });
      expect(created.status).toBe(201);
      units.push(created.body.id);
    }
    // 4 units × ~2,500 fixes a second apart, in batches of 1,001 (the last rows still buffered at the stop), with a tracker registered after each.
    const t0 = Date.now() - 3 * 3600_000;
    let accepted = 0;
    const writes: Promise<number>[] = [];
    for (let b = 0; b < 10; b++) {
      const positions = Array.from({ length: 1001 }, (_, k) => {
        const i = b * 1001 + k;
        return { unitId: units[i % 4]!, at: t0 + Math.floor(i / 4) * 1000, lat: home.lat + (i % 8) * 1e-6, lon: home.lon };
      });
      const r = await call('POST', '/api/v1/positions/batch', admin, { positions });
      expect(r.status).toBe(200);
      accepted += r.body.accepted as number;
      // A write on the main connection (the tracker, its audit entry) while the worker has a backlog.
      writes.push(call('POST', '/api/v1/trackers', admin, { uniqueId: `hist-tracker-${b}-Qx7mZ2`, unitId: units[b % 4]! }).then((res) => res.status));
    }
    expect(accepted).toBe(10_010);
    expect(await Promise.all(writes)).toEqual(Array(10).fill(201));
  } finally {
    await server.close();
  }
  try {
    // Read after the stop, on a connection of our own: every accepted position is there.
    const file = new SQLite(join(db.config.dataDir, 'cuadrante.db'), { readonly: true });
    try {
      expect((file.prepare('select count(*) as n from positions').get() as { n: number }).n).toBe(10_010);
    } finally { file.close(); }
  } finally {
    await db.cleanup();
  }
}, 60_000);
