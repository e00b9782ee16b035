// Item 11 of issue 9: the request log keeps no tokens, no API keys, no coordinates and no raw
// addresses; error logs keep no request bodies. The first part reads the real server's stdout
// (a child process started with CUADRANTE_LOG_REQUESTS=1 at LOG_LEVEL=info, as an operator
// would run it); the second builds the app with a log stream and makes a handler fail.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableEngines, type EngineCase } from '../support/engines.js';
import { freePort } from '../support/net.js';
import { buildApp } from '../../src/http/app.js';
import { createServices } from '../../src/services.js';
import { openStorage, type Storage } from '../../src/storage/index.js';

const engines = await availableEngines();
const root = fileURLToPath(new URL('../../', import.meta.url));

const LAT = '19.43261';
const LON = '-99.13321';
const TRACKER_ID = '98765432';
const CHECKIN_TOKEN = 'k7QpZ2vXw9LmN4rT8sYb3c';
const COOKIE = 'sesion=galleta-secreta-4471';
const ADMIN_PASSWORD = 'registro-admin-clave-9';

interface Child { url: string; child: ChildProcess; log(): string; stop(): Promise<void> }

/** The real server with request logging on; every byte it writes is kept. */
async function start(engine: EngineCase): Promise<Child & { cleanup(): Promise<void> }> {
  const fresh = await engine.fresh();
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: root, stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env, HOST: '127.0.0.1', PORT: String(port), LOG_LEVEL: 'info', CUADRANTE_LOG_REQUESTS: '1',
      CUADRANTE_DATA_DIR: fresh.config.dataDir, CUADRANTE_ADMIN_PASSWORD: ADMIN_PASSWORD, CUADRANTE_OSMAND_PORT: '0',
      ...(fresh.config.databaseUrl ? { DATABASE_URL: fresh.config.databaseUrl, CUADRANTE_DB_SCHEMA: fresh.config.databaseSchema! } : {}),
    },
  });
  let out = '';
  child.stdout!.on('data', (d) => { out += String(d); });
  child.stderr!.on('data', (d) => { out += String(d); });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 90_000;
  while (!(await fetch(`${url}/health`).then((r) => r.ok, () => false))) {
    if (child.exitCode !== null) throw new Error(`server exited (${child.exitCode}):\n${out}`);
    if (Date.now() > deadline) { child.kill('SIGKILL'); throw new Error(`server not ready in 90 s:\n${out}`); }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url, child, log: () => out,
    async stop() { child.kill('SIGTERM'); await exited; },
    cleanup: fresh.cleanup,
  };
}

describe.each(engines)('what the log keeps ($name)', (engine) => {
  let server: Awaited<ReturnType<typeof start>>;

  beforeAll(async () => { server = await start(engine); }, 120_000);
  afterAll(async () => { await server?.stop(); await server?.cleanup(); });

  it('logs every request without its tokens, API keys, cookies, coordinates, tracker ids or client address', async () => {
    const json = async (path: string, init: RequestInit = {}) => {
      const res = await fetch(server.url + path, init);
      return { status: res.status, body: await res.json().catch(() => null) as Record<string, unknown> | null };
    };
    const post = (body: unknown, token?: string): RequestInit => ({
      method: 'POST', body: JSON.stringify(body),
      headers: { 'content-type': 'application/json', cookie: COOKIE, ...(token ? { authorization: `Bearer ${token}` } : {}) },
    });
    const device = (await json('/api/v1/devices', { method: 'POST' })).body!.token as string;
    const admin = (await json('/api/v1/auth/login', post({ username: 'admin', password: ADMIN_PASSWORD }))).body!.token as string;
    const apiKey = (await json('/api/v1/extortion/api-keys', post({ name: 'Operador del registro' }, admin))).body!.key as string;
    expect([device, admin, apiKey]).toEqual([expect.stringMatching(/^cq_[\w-]{43}$/), expect.stringMatching(/^cq_[\w-]{43}$/), expect.stringMatching(/^cqk_[\w-]{32}$/)]);

    // What they answer is other tests' business (the tracker port answers unknown ids like known
    // ones, for instance); here they only have to be served and logged.
    const calls: [string, RequestInit][] = [
      [`/api/v1/locate?lat=${LAT}&lon=${LON}`, { headers: { cookie: COOKIE } }],
      [`/api/v1/locate?LAT=${LAT}&Lon=${LON}`, {}],
      [`/api/v1/alerts`, post({ lat: Number(LAT), lon: Number(LON), kind: 'robbery' }, device)],
      [`/api/v1/alerts`, { headers: { authorization: `Bearer ${device}` } }],
      [`/api/v1/carrier/numbers/5512345678`, { headers: { 'x-api-key': apiKey } }],
      [`/api/v1/carrier/blocklist?key=${apiKey}&token=${device}`, { headers: { 'x-api-key': apiKey } }],
      [`/api/v1/checkin-links/${CHECKIN_TOKEN}`, {}],
      [`/api/v1/osmand?id=${TRACKER_ID}&lat=${LAT}&lon=${LON}`, {}],
      [`/api/v1/units/nearest?lat=${LAT}&lon=${LON}`, { headers: { authorization: `Bearer ${admin}` } }],
    ];
    for (const [path, init] of calls) expect((await fetch(server.url + path, init)).status, path).toBeLessThan(500);
    // Pino writes asynchronously: wait until the last request's line is out.
    await expect.poll(() => server.log().includes('/api/v1/units/nearest?lat=[redacted]&lon=[redacted]'), { timeout: 5000 }).toBe(true);

    const log = server.log();
    const lines = log.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
    const incoming = lines.filter((l) => l.msg === 'incoming request');
    // Every request was logged (so the absence below means something): the URLs, redacted.
    expect(incoming.length).toBeGreaterThanOrEqual(calls.length + 3);
    const urls = incoming.map((l) => (l.req as { url: string }).url);
    expect(urls).toContain('/api/v1/locate?lat=[redacted]&lon=[redacted]');
    expect(urls).toContain('/api/v1/locate?LAT=[redacted]&Lon=[redacted]');
    expect(urls).toContain(`/api/v1/checkin-links/[redacted]`);
    expect(urls).toContain(`/api/v1/osmand?id=[redacted]&lat=[redacted]&lon=[redacted]`);
    expect(urls).toContain(`/api/v1/carrier/blocklist?key=[redacted]&token=[redacted]`);

    for (const secret of [device, admin, apiKey, ADMIN_PASSWORD, COOKIE, 'galleta-secreta', CHECKIN_TOKEN, TRACKER_ID, LAT, LON.slice(1), '19.4326', '99.1332']) {
      expect(log.includes(secret), `the log contains ${secret}`).toBe(false);
    }
    // The client's address is never written; the network's keyed hash stands in for it.
    for (const line of incoming) {
      const req = line.req as Record<string, unknown>;
      expect(Object.keys(req).sort()).toEqual(['host', 'method', 'network', 'url']);
      expect(req.network).toMatch(/^[0-9a-f]{32}$/);
    }
  });
});

describe.each(engines)('error logs ($name)', (engine) => {
  let storage: Storage;
  let fresh: Awaited<ReturnType<EngineCase['fresh']>>;
  const written: string[] = [];

  beforeAll(async () => {
    fresh = await engine.fresh();
    storage = await openStorage({ databaseUrl: fresh.config.databaseUrl, dataDir: fresh.config.dataDir, schema: fresh.config.databaseSchema });
  });
  afterAll(async () => { await storage?.close(); await fresh?.cleanup(); });

  it('logs a failing handler\'s error by type, message and stack — not the body, not a database error\'s detail', async () => {
    const config = { ...fresh.config, logLevel: 'info' as const, logRequests: true };
    const services = createServices(storage, config);
    const stream = new Writable({ write(chunk, _enc, done) { written.push(String(chunk)); done(); } });
    const app = await buildApp({ config, services, webDir: null, logStream: stream });
    // Two ways a real failure carries a body: a driver error quoting the row, and JSON.parse quoting its input.
    app.post('/api/v1/test/insert', async (req) => {
      throw Object.assign(new Error('insert into alerts failed'), {
        code: '23514', detail: `Failing row contains (${LAT}, ${LON}, ${CHECKIN_TOKEN})`, parameters: [LAT, LON], body: req.body,
      });
    });
    app.post('/api/v1/test/parse', async (req) => JSON.parse(`{"lat": ${(req.body as { lat: string }).lat}, "token": "${CHECKIN_TOKEN}" x}`));
    try {
      for (const path of ['/api/v1/test/insert', '/api/v1/test/parse']) {
        const res = await app.inject({ method: 'POST', url: path, payload: { lat: LAT, lon: LON, token: CHECKIN_TOKEN } });
        expect(res.statusCode, path).toBe(500);
        expect(res.json().error.code).toBe('INTERNAL');
      }
    } finally {
      await app.close();
    }
    const log = written.join('');
    const errors = log.split('\n').filter(Boolean).map((l) => JSON.parse(l) as { msg: string; err?: Record<string, unknown> }).filter((l) => l.msg === 'unhandled error');
    expect(errors.map((e) => e.err?.type)).toEqual(['Error', 'SyntaxError']);
    expect(errors[0]!.err).toMatchObject({ message: 'insert into alerts failed', code: '23514' });
    expect(errors[0]!.err!.stack).toMatch(/^Error: insert into alerts failed\n/);
    for (const secret of [LAT, LON, CHECKIN_TOKEN, 'Failing row']) expect(log.includes(secret), `the log contains ${secret}`).toBe(false);
  });
});
