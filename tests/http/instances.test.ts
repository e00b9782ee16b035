// Two real server instances on one PostgreSQL schema, joined by real NATS JetStream (a server of
// their own, so it can be killed): what one instance changes, the other acts on. A unit on B is
// paged for an alert raised on A; A's citizen sees B's officer acknowledge; a unit's position sent
// to A is known on B; a logout on A closes the officer's socket on B; a key revoked on A is refused
// on B, and a key's per-minute allowance is one allowance whichever instance counts it; a
// quadrant's phone changed on A is used by B. When NATS dies, both report not ready and send their
// live clients elsewhere (1012) while alerts still commit.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresEngine, postgresUnavailable } from '../support/engines.js';
import { natsServerBin, startOwnNatsServer, uniqueStream, type OwnNatsServer } from '../support/nats.js';
import { existsSync } from 'node:fs';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect as natsConnect } from '@nats-io/transport-node';
import { request } from 'node:http';
import { freePort } from '../support/net.js';
import { connect } from '../support/ws.js';
import { startServer, type RunningServer } from '../../src/server.js';
import type { Config } from '../../src/config/index.js';

const reason = (await postgresUnavailable()) ?? (existsSync(natsServerBin) ? null : `nats-server not found at ${natsServerBin}`);
if (reason) {
  if (process.env.CUADRANTE_REQUIRE_POSTGRES === '1' || process.env.CUADRANTE_REQUIRE_NATS === '1') throw new Error(reason);
  console.warn(`⚠ skipping the two-instance suite: ${reason}`);
}

/** The HTTP status a WebSocket upgrade request gets (101: upgraded). */
function upgradeStatus(base: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(`${base}/api/v1/ws`, { headers: { connection: 'Upgrade', upgrade: 'websocket', 'sec-websocket-version': '13', 'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==' } });
    req.on('upgrade', (res, socket) => { socket.destroy(); resolve(res.statusCode ?? 0); });
    req.on('response', (res) => { res.resume(); resolve(res.statusCode ?? 0); });
    req.on('error', reject);
    req.end();
  });
}

interface Api { status: number; body: any } // eslint-disable-line @typescript-eslint/no-explicit-any

describe.skipIf(reason !== null)('two instances, one database, NATS between them', () => {
  let a: RunningServer;
  let b: RunningServer;
  let cleanup: () => Promise<void>;
  const stream = uniqueStream();
  const dirs: string[] = [];
  let admin: string;
  let nats: OwnNatsServer;

  const call = async (on: RunningServer, method: string, path: string, token?: string, body?: unknown, headers: Record<string, string> = {}): Promise<Api> => {
    const res = await fetch(`${on.url}${path}`, {
      method, body: body === undefined ? undefined : JSON.stringify(body),
      headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null };
  };
  const start = async (base: Config): Promise<RunningServer> => {
    const dataDir = mkdtempSync(join(tmpdir(), 'cuadrante-instance-'));
    dirs.push(dataDir);
    const port = await freePort();
    // Both instances share the server secret, as a deployment does (sessions, network keys).
    return startServer({ ...base, dataDir, port, publicUrl: `http://127.0.0.1:${port}`, secretKey: 'k'.repeat(64) }, { webDir: null });
  };
  /** Retries until `check` holds (the other instance learns through the bus: milliseconds, not a fixed sleep). */
  const eventually = async (check: () => Promise<boolean>, timeoutMs = 3000) => {
    const until = Date.now() + timeoutMs;
    while (!(await check())) {
      if (Date.now() > until) throw new Error('not seen within the time allowed');
      await new Promise((r) => setTimeout(r, 25));
    }
  };

  beforeAll(async () => {
    nats = await startOwnNatsServer();
    const db = await postgresEngine.fresh();
    cleanup = db.cleanup;
    const base: Config = { ...db.config, natsUrl: [nats.url], bus: { ...db.config.bus, ...stream }, ackTimeoutMs: 60_000, escalateAfterMs: 120_000,
      // No polling for data changes: only the bus can tell B of a change made on A.
      syncIntervalMs: 3_600_000 };
    a = await start(base);
    b = await start(base);
    admin = (await call(a, 'POST', '/api/v1/auth/login', undefined, { username: base.adminUsername, password: base.adminPassword })).body.token;
  }, 120_000);

  afterAll(async () => {
    await a?.close();
    await b?.close();
    await cleanup?.();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
    await nats?.dispose();
  });

  it('pages a unit connected to B for an alert raised on A, and shows A\'s citizen what B\'s officer does', async () => {
    // The unit is created on A; B learns of it (and of its shift) through the bus.
    const created = await call(a, 'POST', '/api/v1/units', admin, { callsign: 'P148X', type: 'car', quadrantIds: ['P-1.4.8'], username: 'p148x', password: 'clave-p148x-segura' });
    expect(created.status).toBe(201);
    const officer = (await call(b, 'POST', '/api/v1/auth/login', undefined, { username: 'p148x', password: 'clave-p148x-segura' })).body.token as string;
    expect((await call(a, 'PUT', `/api/v1/units/${created.body.id}/shift`, officer, { state: 'available' })).status).toBe(200);
    await eventually(async () => (await call(b, 'GET', '/api/v1/units', admin)).body.some((u: { id: string; shiftState: string }) => u.id === created.body.id && u.shiftState === 'available'));

    const unitSocket = await connect(b.url, officer);
    const console_ = await connect(b.url, admin);
    await unitSocket.next((m) => m.type === 'snapshot');
    await console_.next((m) => m.type === 'snapshot');
    const citizen = (await call(a, 'POST', '/api/v1/devices')).body.token as string;
    const citizenSocket = await connect(a.url, citizen);
    await citizenSocket.next((m) => m.type === 'snapshot');

    const point = (await call(a, 'GET', '/api/v1/quadrants/P-1.4.8')).body.properties.interiorPoint;
    const raised = await call(a, 'POST', '/api/v1/alerts', citizen, { ...point, accuracy: 10, kind: 'robbery' }, { 'idempotency-key': 'two-instances-1' });
    expect(raised.status).toBe(201);
    const id = raised.body.id as string;
    const page = await unitSocket.next((m) => m.type === 'page' && m.alert?.id === id);
    expect(page.alert).toMatchObject({ kind: 'robbery' });
    await console_.next((m) => m.alert?.id === id);
    // Paged once: no second page for the same alert however the event travels.
    await new Promise((r) => setTimeout(r, 300));
    expect(unitSocket.messages.filter((m) => m.type === 'page' && m.alert?.id === id)).toHaveLength(1);

    expect((await call(b, 'POST', `/api/v1/alerts/${id}/actions`, officer, { action: 'acknowledge' })).status).toBe(200);
    const seen = await citizenSocket.next((m) => m.alert?.id === id && m.alert.status === 'acknowledged');
    expect(seen.alert?.status).toBe('acknowledged');

    // The unit's position, sent to A, is known on B (its ladder and its consoles) within the relay's interval.
    expect((await call(a, 'POST', `/api/v1/units/${created.body.id}/positions`, officer, { lat: point.lat, lon: point.lon + 0.0004, accuracyM: 12 })).status).toBe(200);
    await eventually(async () => (await call(b, 'GET', '/api/v1/units/positions', admin)).body
      .some((p: { unitId: string; lon: number }) => p.unitId === created.body.id && Math.abs(p.lon - (point.lon + 0.0004)) < 1e-9));
    await console_.next((m) => m.type === 'positions' && JSON.stringify(m).includes(created.body.id));

    // A logout on A closes the officer's open socket on B.
    expect((await call(a, 'POST', '/api/v1/auth/logout', officer)).status).toBe(204);
    const code = await Promise.race([unitSocket.closed, new Promise<number>((r) => setTimeout(() => r(-1), 3000))]);
    expect(code).not.toBe(-1);
    for (const s of [console_, citizenSocket]) s.close();
  }, 60_000);

  it('refuses on B a key revoked on A, and counts a key\'s calls on both instances against one allowance', async () => {
    const key = await call(a, 'POST', '/api/v1/extortion/api-keys', admin, { name: 'Operador multi', perMinute: 3 });
    expect(key.status).toBe(201);
    const lookup = (on: RunningServer) => call(on, 'GET', '/api/v1/carrier/numbers/5512345678', undefined, undefined, { 'x-api-key': key.body.key });
    await eventually(async () => (await lookup(b)).status === 200);
    // 1 call on B so far; two more anywhere are the rest of the minute's allowance.
    expect((await lookup(a)).status).toBe(200);
    expect((await lookup(b)).status).toBe(200);
    expect((await lookup(a)).status).toBe(429);

    const other = await call(a, 'POST', '/api/v1/extortion/api-keys', admin, { name: 'Operador revocado', perMinute: 100 });
    const otherLookup = (on: RunningServer) => call(on, 'GET', '/api/v1/carrier/numbers/5512345678', undefined, undefined, { 'x-api-key': other.body.key });
    await eventually(async () => (await otherLookup(b)).status === 200);
    expect((await call(a, 'DELETE', `/api/v1/extortion/api-keys/${other.body.id}`, admin)).status).toBe(204);
    await eventually(async () => (await otherLookup(b)).status === 401, 1000);
  }, 60_000);

  it('uses on B, within a second, a quadrant\'s new phone set on A', async () => {
    const q = (await call(a, 'GET', '/api/v1/quadrants/C-1.1.3')).body.properties;
    const locate = async (on: RunningServer) => (await call(on, 'GET', `/api/v1/locate?lat=${q.interiorPoint.lat}&lon=${q.interiorPoint.lon}`)).body.quadrant.contacts.map((c: { phone: string }) => c.phone);
    expect(await locate(b)).toEqual(['+525552089898']);
    expect((await call(a, 'PUT', '/api/v1/quadrants/C-1.1.3/contacts', admin, { contacts: [{ phone: '55 1234 5678', label: 'Patrulla Centro' }] })).status).toBe(200);
    await eventually(async () => (await locate(b))[0] === '+525512345678', 1000);
  });

  it('shows on B a number reported on A, and an analyst\'s decision on A', async () => {
    const reported = await call(a, 'POST', '/api/v1/extortion/reports', undefined, { number: '5598761234', channel: 'call', type: 'virtual_kidnapping' });
    expect(reported.status).toBe(201);
    await eventually(async () => (await call(b, 'GET', '/api/v1/numbers/5598761234')).body.reports === 1, 1000);
    expect((await call(a, 'POST', '/api/v1/extortion/numbers/5598761234/decision', admin, { status: 'confirmed', note: 'caso verificado' })).status).toBe(200);
    await eventually(async () => (await call(b, 'GET', '/api/v1/numbers/5598761234')).body.level === 'confirmed', 1000);
  });

  it('after the stream is lost (recreated empty), still carries changes, and has live clients reload', async () => {
    const live = await connect(b.url, admin);
    await live.next((m) => m.type === 'snapshot');
    const nc = await natsConnect({ servers: nats.url });
    await (await jetstreamManager(nc)).streams.delete(stream.stream);
    await nc.close();
    // A unit edited on A: its event recreates the stream (the relay) and reaches B, which noticed the gap.
    const unit = (await call(a, 'POST', '/api/v1/units', admin, { callsign: 'C113R', type: 'motorcycle', quadrantIds: ['C-1.1.3'] })).body;
    expect(unit.id).toBeTruthy();
    await eventually(async () => {
      await call(a, 'PATCH', `/api/v1/units/${unit.id}`, admin, { phone: '5512340000' });
      return (await call(b, 'GET', '/api/v1/units', admin)).body.some((u: { id: string }) => u.id === unit.id);
    }, 15_000);
    expect(await Promise.race([live.closed, new Promise<number>((r) => setTimeout(() => r(-1), 5000))])).toBe(1012);
  }, 60_000);

  it('when NATS dies: not ready, live clients sent elsewhere with 1012, alerts still committed; ready again when it returns', async () => {
    const citizen = (await call(a, 'POST', '/api/v1/devices')).body.token as string;
    const live = await connect(a.url, admin);
    await live.next((m) => m.type === 'snapshot');
    expect((await call(a, 'GET', '/health/ready')).status).toBe(200);
    expect(await upgradeStatus(a.url)).toBe(101);

    await nats.kill();
    expect(await Promise.race([live.closed, new Promise<number>((r) => setTimeout(() => r(-1), 5000))])).toBe(1012);
    const ready = await call(a, 'GET', '/health/ready');
    expect([ready.status, ready.body.error.code]).toEqual([503, 'NOT_READY']);
    expect(JSON.stringify(ready.body.error.details)).toContain('bus');
    // A new live connection is refused before the upgrade.
    expect(await upgradeStatus(a.url)).toBe(503);
    // The citizen's alert is committed and answered anyway; its events wait in the outbox.
    const point = (await call(a, 'GET', '/api/v1/quadrants/P-1.4.8')).body.properties.interiorPoint;
    const raised = await call(a, 'POST', '/api/v1/alerts', citizen, { ...point, accuracy: 10, kind: 'robbery' }, { 'idempotency-key': 'during-outage' });
    expect(raised.status).toBe(201);
    expect((await call(a, 'GET', '/health/live')).status).toBe(200);

    await nats.start();
    await eventually(async () => (await call(a, 'GET', '/health/ready')).status === 200 && (await call(b, 'GET', '/health/ready')).status === 200, 15_000);
    const back = await connect(b.url, admin);
    const snapshot = await back.next((m) => m.type === 'snapshot');
    expect(JSON.stringify(snapshot)).toContain(raised.body.id);
    back.close();
  }, 60_000);
});
