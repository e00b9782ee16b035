// The tracker port against an attacker, on a real server (SQLite and PostgreSQL): a sweep of
// device ids from one network is throttled, logged and audited, while other networks and the
// main server go on; connections are capped per client address and in total; and a server
// whose process may open only 256 files, flooded with connections to the OsmAnd port, still
// takes a panic alert on its main port at once (a child process with a low RLIMIT_NOFILE).
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { connect as tcp, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { availableEngines } from '../support/engines.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { freePort, projectRoot } from '../support/net.js';

const engines = await availableEngines();

/** One request on a fresh connection from `localAddress`; everything the port answered, once it closes or an answer is whole. */
function once(port: number, bytes: string, localAddress = '127.0.0.1'): Promise<string> {
  return new Promise((ok, fail) => {
    let got = '';
    const s = tcp({ port, host: '127.0.0.1', localAddress }, () => s.write(bytes));
    s.on('data', (d) => { got += d.toString('latin1'); if (got.endsWith('\r\n\r\n')) { s.destroy(); ok(got); } });
    s.on('close', () => ok(got));
    s.on('error', fail);
  });
}

/** Opens a connection and reports, a little later, whether the server kept it or closed it at once. */
function hold(port: number, localAddress: string): Promise<{ socket: Socket; kept: () => boolean }> {
  return new Promise((ok) => {
    let closed = false;
    const socket = tcp({ port, host: '127.0.0.1', localAddress });
    socket.on('close', () => { closed = true; });
    socket.on('error', () => undefined);
    socket.once('connect', () => ok({ socket, kept: () => !closed }));
    socket.once('error', () => ok({ socket, kept: () => false }));
  });
}

const q = (id: string, extra = '') => `POST /?id=${id}${extra} HTTP/1.1\r\nHost: t\r\nContent-Length: 0\r\n\r\n`;

describe.each(engines)('tracker port under attack on $name', (engine) => {
  let server: TestServer;
  let osmandPort: number;
  let admin: string;
  let home: { lat: number; lon: number };
  let unitId: string;
  const TRACKER = 'sW8mPq3ZtK6vRn2Y';
  const MAX_UNKNOWN = 10;

  const call = async (method: string, path: string, token?: string, body?: unknown) => {
    const res = await fetch(`${server.url}${path}`, {
      method, body: body === undefined ? undefined : JSON.stringify(body),
      headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...(token ? { authorization: `Bearer ${token}` } : {}) },
    });
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: text && res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : null };
  };
  const positionOf = async (id: string) => ((await call('GET', '/api/v1/units/positions', admin)).body as { unitId: string; lat: number; lon: number }[]).find((p) => p.unitId === id);

  beforeAll(async () => {
    osmandPort = await freePort();
    server = await startTestServer({ engine, webDir: null, config: {
      osmandPort, trackerUnknownIdsPerNetworkHour: MAX_UNKNOWN, osmandMaxConnections: 24, osmandMaxConnectionsPerSource: 8,
    } });
    admin = await server.adminToken();
    home = (await call('GET', '/api/v1/quadrants/P-1.4.8')).body.properties.interiorPoint;
    const created = await call('POST', '/api/v1/units', admin, { callsign: 'P148S', type: 'car', quadrantIds: ['P-1.4.8'] });
    expect(created.status).toBe(201);
    unitId = created.body.id;
    expect((await call('PUT', `/api/v1/units/${unitId}/shift`, admin, { state: 'available' })).status).toBe(200);
    const tracker = await call('POST', '/api/v1/trackers', admin, { uniqueId: TRACKER, unitId });
    expect(tracker.status).toBe(201);
    expect(tracker.body.warnings).toEqual([]);
  }, 120_000);
  afterAll(async () => { await server?.close(); });

  it('caps connections per client address and in total; the main port still takes a panic alert at once', async () => {
    const held: { socket: Socket; kept: () => boolean }[] = [];
    // Up to the per-address cap from one address, then past it.
    for (let i = 0; i < 10; i++) held.push(await hold(osmandPort, '127.0.0.1'));
    // Then from other addresses, up to the total cap and past it.
    for (let a = 2; a <= 5; a++) for (let i = 0; i < 6; i++) held.push(await hold(osmandPort, `127.0.0.${a}`));
    await new Promise((r) => setTimeout(r, 200));
    const kept = held.map((h) => h.kept());
    expect(kept.slice(0, 10).filter(Boolean)).toHaveLength(8);
    expect(kept.filter(Boolean)).toHaveLength(24);

    const device = (await call('POST', '/api/v1/devices')).body.token as string;
    const started = performance.now();
    const alert = await call('POST', '/api/v1/alerts', device, { lat: home.lat, lon: home.lon, kind: 'robbery' });
    expect(alert.status).toBe(201);
    expect(performance.now() - started).toBeLessThan(1000);
    // A held connection still works.
    const first = held[0]!.socket;
    const answer = new Promise<string>((ok) => first.once('data', (d) => ok(d.toString('latin1'))));
    first.write(q(TRACKER, `&lat=${home.lat}&lon=${home.lon}`));
    expect(await answer).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    for (const h of held) h.socket.destroy();
    // The server sees them go (its per-address counts fall) before the next test connects.
    await new Promise((r) => setTimeout(r, 200));
  });

  it('throttles a network that sweeps unregistered ids, for known ids too, logs and audits it; other networks go on', async () => {
    expect(await once(osmandPort, q(TRACKER, `&lat=${home.lat}&lon=${home.lon}`))).toMatch(/^HTTP\/1\.1 200 /);
    const before = await positionOf(unitId);
    const warn = vi.spyOn(server.app.log, 'warn');
    try {
      // A phone with an unregistered id retrying its backlog is one id, however often it tries.
      for (let i = 0; i < 3 * MAX_UNKNOWN; i++) expect(await once(osmandPort, q('misconfigured-phone-01', `&lat=${home.lat}&lon=${home.lon}`))).toMatch(/^HTTP\/1\.1 200 /);
      // A sweep: every request a new id, every one answered 200 — until the network is over its allowance.
      let answered = 0;
      let refused = '';
      for (let n = 0; n < 3 * MAX_UNKNOWN && !refused; n++) {
        const got = await once(osmandPort, q(String(10_000_000 + n), `&lat=${home.lat}&lon=${home.lon}&alarm=sos`));
        if (got.startsWith('HTTP/1.1 200 ')) answered++;
        else refused = got;
      }
      expect(answered).toBeGreaterThanOrEqual(MAX_UNKNOWN - 1);
      expect(answered).toBeLessThanOrEqual(MAX_UNKNOWN + 1);
      expect(refused).toMatch(/^HTTP\/1\.1 429 Too Many Requests\r\nContent-Length: 0\r\nRetry-After: \d+\r\nConnection: close\r\n\r\n$/);
      // Now the registered id from that network gets the very same answer, and moves nothing…
      const known = await once(osmandPort, q(TRACKER, `&lat=${home.lat + 0.0003}&lon=${home.lon}`));
      expect(known.replace(/Retry-After: \d+/, '')).toBe(refused.replace(/Retry-After: \d+/, ''));
      expect(await positionOf(unitId)).toEqual(before);
      // …also on the main server's path.
      const main = await fetch(`${server.url}/api/v1/osmand?id=${TRACKER}&lat=${home.lat}&lon=${home.lon}`, { method: 'POST' });
      expect(main.status).toBe(429);
      expect(Number(main.headers.get('retry-after'))).toBeGreaterThan(0);
      // …except that its SOS is still raised — held for a dispatcher: an officer may share a carrier's NAT with a sweeper.
      const sosAt = { lat: home.lat + 0.0005, lon: home.lon };
      expect(await once(osmandPort, q(TRACKER, `&lat=${sosAt.lat}&lon=${sosAt.lon}&alarm=sos`))).toMatch(/^HTTP\/1\.1 429 /);
      const alarms = ((await call('GET', '/api/v1/alerts', admin)).body as { kind: string; lat: number; hold: string | null; pagedUnits: unknown[] }[])
        .filter((a) => a.kind === 'officer_in_danger');
      // The sweep's own SOS reports named unregistered ids: none of them raised anything.
      expect(alarms).toHaveLength(1);
      expect(alarms[0]).toMatchObject({ lat: sosAt.lat, hold: 'unverified_sos', pagedUnits: [] });
      // Another network is not slowed at all.
      expect(await once(osmandPort, q(TRACKER, `&lat=${home.lat + 0.0001}&lon=${home.lon}`), '127.0.1.9')).toMatch(/^HTTP\/1\.1 200 /);
      expect(await positionOf(unitId)).toMatchObject({ lat: home.lat + 0.0001 });

      // Logged as an attack…
      await server.services.tracking.flush();
      expect(warn.mock.calls.some((c) => c.some((arg) => typeof arg === 'string' && arg.includes('tracker id sweep')))).toBe(true);
      // …and audited, for the trackers panel: the network's keyed hash, never its address.
      const sweeps = (await call('GET', '/api/v1/trackers/sweeps', admin)).body as { at: string; network: string; unknownIds: number; blockedUntil: string }[];
      expect(sweeps).toHaveLength(1);
      expect(sweeps[0]!.network).toMatch(/^[0-9a-f]{32}$/);
      expect(sweeps[0]!.unknownIds).toBeGreaterThan(MAX_UNKNOWN);
      expect(Date.parse(sweeps[0]!.blockedUntil)).toBeGreaterThan(Date.now());
      const audit = (await call('GET', '/api/v1/audit?limit=50', admin)).body as { action: string; target: string; details: unknown }[];
      const entry = audit.find((e) => e.action === 'tracker.sweep');
      expect(entry?.target).toBe(sweeps[0]!.network);
      expect(JSON.stringify(audit)).not.toContain('127.0.0');
      // The count is in the database, so a restart or another instance keeps it.
      const counters = await server.services.storage.db.selectFrom('rate_counters').selectAll().where('scope', '=', 'tracking.unknown_ids.network').execute();
      expect(counters).toHaveLength(1);
      expect(counters[0]!.key).toBe(sweeps[0]!.network);
      expect(Number(counters[0]!.count)).toBeGreaterThan(MAX_UNKNOWN);
      // A dispatcher or unit cannot read the sweeps.
      expect((await call('GET', '/api/v1/trackers/sweeps')).status).toBe(401);
    } finally {
      warn.mockRestore();
    }
  });
});

describe('tracker port: running out of file descriptors (a server limited to 256 open files)', () => {
  let child: ChildProcess | null = null;
  let dataDir = '';
  let log = '';

  afterAll(async () => {
    if (child && child.exitCode === null) {
      const exited = new Promise((r) => child!.once('exit', r));
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
    }
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('however many connections reach port 5055, a panic alert on the main port answers 201 at once', async () => {
    const [port, osmandPort] = [await freePort(), await freePort()];
    dataDir = mkdtempSync(join(tmpdir(), 'cuadrante-fds-'));
    const env: NodeJS.ProcessEnv = {
      ...process.env, HOST: '127.0.0.1', PORT: String(port), CUADRANTE_OSMAND_PORT: String(osmandPort), CUADRANTE_DATA_DIR: dataDir,
      CUADRANTE_SEED: 'none', CUADRANTE_ADMIN_PASSWORD: randomBytes(18).toString('base64url'), LOG_LEVEL: 'warn',
    };
    delete env.DATABASE_URL;
    delete env.CUADRANTE_DB_SCHEMA;
    // No cap configured: the server sizes it from its own open-file limit.
    delete env.CUADRANTE_OSMAND_MAX_CONNECTIONS;
    child = spawn('sh', ['-c', 'ulimit -n 256 && exec "$0" "$@"', process.execPath, '--import', 'tsx', 'src/main.ts'], { cwd: projectRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout!.on('data', (d: Buffer) => { log = (log + d.toString()).slice(-4000); });
    child.stderr!.on('data', (d: Buffer) => { log = (log + d.toString()).slice(-4000); });
    const url = `http://127.0.0.1:${port}`;
    for (const until = Date.now() + 60_000; ;) {
      if (child.exitCode !== null) throw new Error(`server exited:\n${log}`);
      if (Date.now() > until) throw new Error(`server not ready:\n${log}`);
      try { if ((await fetch(`${url}/health`, { signal: AbortSignal.timeout(1000) })).ok) break; } catch { /* not yet */ }
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(readFileSync(`/proc/${child.pid}/limits`, 'utf8')).toMatch(/^Max open files\s+256\s/m);

    // 400 connections, more than the process could hold: without a cap, accept() hits EMFILE and
    // the main port can no longer take anyone.
    const addresses = ['127.0.0.1', '127.0.0.2', '127.0.0.3', '127.0.0.4'];
    const held = await Promise.all(Array.from({ length: 400 }, (_, i) => hold(osmandPort, addresses[i % addresses.length]!)));
    await new Promise((r) => setTimeout(r, 300));

    const device = await fetch(`${url}/api/v1/devices`, { method: 'POST', signal: AbortSignal.timeout(5000) });
    expect(device.status).toBe(201);
    const { token } = (await device.json()) as { token: string };
    const started = performance.now();
    const alert = await fetch(`${url}/api/v1/alerts`, {
      method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ lat: 19.35, lon: -99.19, kind: 'robbery' }), signal: AbortSignal.timeout(5000),
    });
    expect(alert.status).toBe(201);
    expect(performance.now() - started).toBeLessThan(1000);
    // The cap it sized for itself: half of 256, less a reserve of 64; the rest were closed at once.
    const kept = held.filter((h) => h.kept()).length;
    expect(kept).toBeLessThanOrEqual(64);
    expect(kept).toBeGreaterThan(0);
    for (const h of held) h.socket.destroy();
  }, 120_000);
});
