// Kill the server with SIGKILL after an alert is accepted and before its deadline; restart it.
// The escalation must still happen — late, exactly once — and no unit may be paged twice.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableEngines, type EngineCase } from '../support/engines.js';
import { spawnServer, type ChildServer } from '../support/process.js';
import { connect, type Msg, type TestSocket } from '../support/ws.js';

const engines = await availableEngines();

describe.each(engines)('a crash between an alert and its deadline, on $name', (engine: EngineCase) => {
  let env: Record<string, string>;
  let cleanup: () => Promise<void>;
  let server: ChildServer | null = null;

  beforeAll(async () => {
    const fresh = await engine.fresh();
    cleanup = fresh.cleanup;
    env = {
      CUADRANTE_DATA_DIR: fresh.config.dataDir,
      CUADRANTE_ADMIN_PASSWORD: 'crash-test-admin-pw',
      CUADRANTE_ACK_TIMEOUT_S: '3',
      CUADRANTE_ESCALATE_AFTER_S: '9',
      CUADRANTE_OSMAND_PORT: '0',
      ...(fresh.config.databaseUrl ? { DATABASE_URL: fresh.config.databaseUrl, CUADRANTE_DB_SCHEMA: fresh.config.databaseSchema! } : {}),
    };
  });
  afterAll(async () => { await server?.kill('SIGKILL'); await cleanup?.(); });

  it('re-arms the deadline after SIGKILL: escalates once, pages nobody twice', async () => {
    server = await spawnServer(env);
    const call = async (path: string, token?: string, body?: unknown, method = 'POST') => {
      const res = await fetch(`${server!.url}${path}`, { method, body: body === undefined ? undefined : JSON.stringify(body), headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...(token ? { authorization: `Bearer ${token}` } : {}) } });
      return res.json() as Promise<any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    };
    const admin = (await call('/api/v1/auth/login', undefined, { username: 'admin', password: 'crash-test-admin-pw' })).token as string;
    const point = (await call('/api/v1/quadrants/P-1.4.8', undefined, undefined, 'GET')).properties.interiorPoint;
    const units: Record<string, { token: string; id: string }> = {};
    for (const [callsign, q] of [['HOME', 'P-1.4.8'], ['NEXT', 'P-1.4.7']] as const) {
      const u = await call('/api/v1/units', admin, { callsign, type: 'car', quadrantIds: [q], username: callsign.toLowerCase(), password: `clave-${callsign}-segura` });
      const token = (await call('/api/v1/auth/login', undefined, { username: callsign.toLowerCase(), password: `clave-${callsign}-segura` })).token as string;
      await call(`/api/v1/units/${u.id}/shift`, token, { state: 'available' }, 'PUT');
      units[callsign] = { token, id: u.id };
    }
    const pages = new Map<string, number>();
    const listen = async (s: TestSocket) => {
      await s.next((m) => m.type === 'snapshot');
      return s;
    };
    const count = (sockets: Record<string, TestSocket>, alertId: string) => {
      for (const [callsign, s] of Object.entries(sockets)) {
        pages.set(callsign, (pages.get(callsign) ?? 0) + s.messages.filter((m) => m.type === 'page' && m.alert?.id === alertId).length);
      }
    };

    let sockets = { HOME: await listen(await connect(server.url, units.HOME!.token)), NEXT: await listen(await connect(server.url, units.NEXT!.token)) };
    const device = (await call('/api/v1/devices')).token as string;
    const alert = await call('/api/v1/alerts', device, { ...point, kind: 'violence' });
    expect(alert.status).toBe('paging');
    await sockets.HOME.next((m) => m.type === 'page' && m.alert?.id === alert.id);

    // The process dies with the deadline still ahead of it, and stays down until it has passed:
    // the restart fires it while starting (before it listens), so no socket can see that page.
    await server.kill('SIGKILL');
    count(sockets, alert.id);
    expect(Object.fromEntries(pages)).toEqual({ HOME: 1, NEXT: 0 });
    const ackDeadline = Date.parse(alert.nextDeadlineAt as string);
    if (ackDeadline + 100 > Date.now()) await new Promise((r) => setTimeout(r, ackDeadline + 100 - Date.now()));

    server = await spawnServer(env);
    sockets = { HOME: await listen(await connect(server.url, units.HOME!.token)), NEXT: await listen(await connect(server.url, units.NEXT!.token)) };
    // The accepted alert survived, and its deadline fires after the restart.
    const admin2 = (await call('/api/v1/auth/login', undefined, { username: 'admin', password: 'crash-test-admin-pw' })).token as string;
    await expect.poll(async () => (await call(`/api/v1/alerts/${alert.id}`, admin2, undefined, 'GET')).status, { timeout: 20_000, interval: 250 }).toBe('escalated');
    // A socket's messages arrive in order: once HOME has the escalation (live, or in its snapshot if it
    // came first), every page sent to it before has arrived too — nothing to wait out.
    const escalatedIn = (m: Msg) => (m.type === 'alert' && m.alert?.id === alert.id && m.alert?.status === 'escalated')
      || (m.type === 'snapshot' && (m.alerts ?? []).some((a) => a.id === alert.id && a.status === 'escalated'));
    if (!sockets.HOME.messages.some(escalatedIn)) await sockets.HOME.next(escalatedIn, 20_000);
    count(sockets, alert.id);

    const events = await call(`/api/v1/alerts/${alert.id}/events`, admin2, undefined, 'GET') as { type: string; details: { unitIds?: string[] } }[];
    expect(events.filter((e) => e.type === 'escalate')).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: 'created' });
    const pagedInLog = events.flatMap((e) => e.details.unitIds ?? []);
    expect(new Set(pagedInLog).size).toBe(pagedInLog.length); // nobody paged twice
    expect(pagedInLog.filter((id) => id === units.HOME!.id)).toHaveLength(1);
    // HOME's one page before the crash; NEXT's (if the second ring ran) was sent before it reconnected.
    expect(Object.fromEntries(pages)).toEqual({ HOME: 1, NEXT: 0 });
    // The citizen's view says so: no unit answered, call 911.
    expect(await call(`/api/v1/alerts/${alert.id}`, device, undefined, 'GET')).toMatchObject({ status: 'escalated', emergencyNumber: '911' });
    sockets.HOME.close();
    sockets.NEXT.close();
  }, 120_000);
});
