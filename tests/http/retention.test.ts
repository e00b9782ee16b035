// Retention on a running server (SQLite and PostgreSQL) with an injected clock: the job runs at
// start-up, so a server started after the period has passed reduces an old closed alert at once —
// its citizen can no longer find it, staff see only its quadrant, the response-time statistics are
// unchanged — while an open alert of the same age stays exactly as it was.
import { describe, expect, it } from 'vitest';
import { availableEngines } from '../support/engines.js';
import { freePort } from '../support/net.js';
import { startServer, type RunningServer } from '../../src/server.js';
import { ManualClock } from '../../src/kernel/index.js';
import type { Config } from '../../src/config/index.js';

const engines = await availableEngines();
const DAY = 86_400_000;

interface Api { status: number; body: any } // eslint-disable-line @typescript-eslint/no-explicit-any

describe.each(engines)('retention on a running server on $name', (engine) => {
  it('runs at start-up on the injected clock: a server started after alertLocations days reduces the old closed alert, not the open one', async () => {
    const fresh = await engine.fresh();
    const port = await freePort();
    const config: Config = { ...fresh.config, port, publicUrl: `http://127.0.0.1:${port}` };
    const clock = new ManualClock(Date.UTC(2026, 4, 4, 18, 0, 0));
    let server: RunningServer = await startServer(config, { clock, webDir: null });
    const call = async (method: string, path: string, token?: string, body?: unknown): Promise<Api> => {
      const res = await fetch(`${server.url}${path}`, {
        method, body: body === undefined ? undefined : JSON.stringify(body),
        headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...(token ? { authorization: `Bearer ${token}` } : {}) },
      });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : null };
    };
    const admin = async () => (await call('POST', '/api/v1/auth/login', undefined, { username: config.adminUsername, password: config.adminPassword })).body.token as string;
    const retentionRuns = async (token: string) => ((await call('GET', '/api/v1/audit?limit=500', token)).body as { action: string; at: string; details: { counts: Record<string, number> } }[])
      .filter((e) => e.action === 'retention.run').reverse();
    try {
      // Started: the job already ran once (nothing to do on a new database).
      await server.retention.run();
      let staff = await admin();
      expect((await retentionRuns(staff))[0]!.details.counts.alertLocations).toBe(0);

      const point = (await call('GET', '/api/v1/quadrants/P-1.4.8')).body.properties.interiorPoint as { lat: number; lon: number };
      const exact = { lat: point.lat + 0.0012345, lon: point.lon - 0.0006789 };
      const citizen = (await call('POST', '/api/v1/devices')).body.token as string;
      const closed = await call('POST', '/api/v1/alerts', citizen, { ...exact, accuracy: 8, kind: 'robbery', note: 'frente a la farmacia' });
      const open = await call('POST', '/api/v1/alerts', citizen, { ...exact, kind: 'followed' });
      expect([closed.status, open.status]).toEqual([201, 201]);
      expect((await call('POST', `/api/v1/alerts/${closed.body.id}/actions`, staff, { action: 'cancel' })).status).toBe(200);
      const from = new Date(clock.now().getTime() - DAY).toISOString();
      const to = new Date(clock.now().getTime() + DAY).toISOString();
      const stats = (await call('GET', `/api/v1/stats/response-times?from=${from}&to=${to}&group=quadrant`, staff)).body;
      expect((await call('GET', `/api/v1/alerts/${closed.body.id}`, staff)).body).toMatchObject({ lat: exact.lat, lon: exact.lon });
      expect((await call('GET', `/api/v1/alerts/${closed.body.id}`, citizen)).status).toBe(200);
      const openBefore = (await call('GET', `/api/v1/alerts/${open.body.id}`, staff)).body;
      await server.close();

      // Restarted once the period has passed: the start-up run reduces it.
      clock.advance(config.retentionDays.alertLocations * DAY + 60_000);
      server = await startServer(config, { clock, webDir: null });
      await server.retention.run();
      staff = await admin();
      const startupRun = (await retentionRuns(staff)).find((r) => Date.parse(r.at) === clock.now().getTime())!;
      expect(startupRun.details.counts.alertLocations).toBe(1);

      expect((await call('GET', `/api/v1/alerts/${closed.body.id}`, citizen)).status).toBe(404);
      expect(((await call('GET', '/api/v1/alerts', citizen)).body as { id: string }[]).map((a) => a.id)).toEqual([open.body.id]);
      const reduced = (await call('GET', `/api/v1/alerts/${closed.body.id}`, staff)).body;
      expect(reduced).toMatchObject({ lat: point.lat, lon: point.lon, status: 'cancelled' });
      expect(JSON.stringify(reduced)).toContain('P-1.4.8');
      expect(JSON.stringify(reduced)).not.toContain('farmacia');
      expect((await call('GET', `/api/v1/stats/response-times?from=${from}&to=${to}&group=quadrant`, staff)).body).toEqual(stats);
      // The open alert, as old, is untouched: exact location, its citizen still sees it.
      const openAfter = (await call('GET', `/api/v1/alerts/${open.body.id}`, staff)).body;
      expect(openAfter).toMatchObject({ lat: exact.lat, lon: exact.lon });
      expect(openAfter.createdAt).toBe(openBefore.createdAt);
      expect((await call('GET', `/api/v1/alerts/${open.body.id}`, citizen)).status).toBe(200);
    } finally {
      await server.close();
      await fresh.cleanup();
    }
  }, 120_000);
});
