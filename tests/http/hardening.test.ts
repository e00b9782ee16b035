// Item 11 of issue 9, over HTTP: every answer carries the security headers; pages get a strict
// Content-Security-Policy and may use geolocation only where they need it; /docs alone has a
// looser style policy; HSTS only over https (a trusted proxy's X-Forwarded-Proto, or an https
// CUADRANTE_PUBLIC_URL). The browser side (no violations, no framing) is tests/browser/csp.test.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableEngines } from '../support/engines.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { ensureWebBuilt } from '../support/browser.js';
import { parseCsp, parsePermissionsPolicy } from '../support/csp.js';

const engines = await availableEngines();

const PAGES = ['/', '/index.html', '/unidad', '/unidad.html', '/centro', '/centro.html', '/llamada', '/analistas', '/verificar', '/verificar.html'];
const GEOLOCATION_PAGES = new Set(['/', '/index.html', '/unidad', '/unidad.html', '/verificar', '/verificar.html']);
const POWERS_OFF = ['camera', 'microphone', 'payment', 'usb', 'display-capture', 'fullscreen'];

function expectCommonHeaders(res: Response, what: string): void {
  expect(res.headers.get('x-content-type-options'), what).toBe('nosniff');
  expect(res.headers.get('referrer-policy'), what).toBe('no-referrer');
  expect(res.headers.get('x-frame-options'), what).toBe('DENY');
  const pp = parsePermissionsPolicy(res.headers.get('permissions-policy'));
  for (const power of POWERS_OFF) expect(pp.get(power), `${what}: ${power}`).toBe('()');
}

describe.each(engines)('security headers ($name)', (engine) => {
  let server: TestServer;
  let proxied: TestServer;
  let https: TestServer;

  beforeAll(async () => {
    await ensureWebBuilt();
    server = await startTestServer({ engine });
    proxied = await startTestServer({ engine, config: { trustProxy: ['127.0.0.1', '::1'] } });
    https = await startTestServer({ engine, config: { publicUrl: 'https://cuadrante.example.mx', basemapStyleUrl: 'https://tiles.example.org/styles/cdmx.json' } });
  }, 120_000);
  afterAll(async () => { await Promise.all([server?.close(), proxied?.close(), https?.close()]); });

  it('gives every page a strict policy: own scripts only, no framing, no base or plugin tricks', async () => {
    for (const path of PAGES) {
      const res = await fetch(server.url + path);
      expect(res.status, path).toBe(200);
      expect(res.headers.get('content-type'), path).toMatch(/^text\/html/);
      expectCommonHeaders(res, path);
      const csp = parseCsp(res.headers.get('content-security-policy'));
      expect(csp.get('default-src'), path).toEqual(["'self'"]);
      expect(csp.get('script-src'), path).toEqual(["'self'"]);
      expect(csp.get('style-src'), path).toEqual(["'self'"]);
      expect(csp.get('frame-ancestors'), path).toEqual(["'none'"]);
      expect(csp.get('base-uri'), path).toEqual(["'none'"]);
      expect(csp.get('object-src'), path).toEqual(["'none'"]);
      expect(csp.get('form-action'), path).toEqual(["'self'"]);
      // MapLibre's worker, and the map's images made from blobs and data: URLs.
      expect(csp.get('worker-src'), path).toEqual(["'self'", 'blob:']);
      expect(csp.get('img-src'), path).toEqual(["'self'", 'data:', 'blob:']);
      expect(csp.get('connect-src'), path).toEqual(["'self'", server.url.replace(/^http/, 'ws')]);
      const everything = [...csp.values()].flat();
      expect(everything, path).not.toContain("'unsafe-inline'");
      expect(everything, path).not.toContain("'unsafe-eval'");
      expect(everything.filter((v) => v === '*' || v === 'http:' || v === 'https:'), path).toEqual([]);
    }
  });

  it('lets only the citizen, unit and check-in pages ask for the position', async () => {
    for (const path of PAGES) {
      const pp = parsePermissionsPolicy((await fetch(server.url + path)).headers.get('permissions-policy'));
      expect(pp.get('geolocation'), path).toBe(GEOLOCATION_PAGES.has(path) ? '(self)' : '()');
      // The unit's phone keeps its screen on while on duty; no other page may.
      expect(pp.get('screen-wake-lock'), path).toBe(path.startsWith('/unidad') ? '(self)' : '()');
    }
    const api = parsePermissionsPolicy((await fetch(`${server.url}/api/v1/locate?lat=19.4326&lon=-99.1332`)).headers.get('permissions-policy'));
    expect(api.get('geolocation')).toBe('()');
  });

  it('puts the headers on API answers too — successes, refusals, unknown routes — with a policy that runs nothing', async () => {
    const device = await fetch(`${server.url}/api/v1/devices`, { method: 'POST' });
    const cases: [string, Promise<Response>, number][] = [
      ['locate', fetch(`${server.url}/api/v1/locate?lat=19.4326&lon=-99.1332`), 200],
      ['numbers', fetch(`${server.url}/api/v1/numbers/5512345678`), 200],
      ['health', fetch(`${server.url}/health`), 200],
      ['device', Promise.resolve(device), 201],
      ['anonymous users list', fetch(`${server.url}/api/v1/users`), 401],
      ['bad coordinates', fetch(`${server.url}/api/v1/locate?lat=200&lon=0`), 400],
      ['unknown route', fetch(`${server.url}/api/v1/nothing-here`), 404],
      ['malformed JSON', fetch(`${server.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"username":' }), 400],
    ];
    for (const [what, pending, status] of cases) {
      const res = await pending;
      expect(res.status, what).toBe(status);
      expectCommonHeaders(res, what);
      const csp = parseCsp(res.headers.get('content-security-policy'));
      expect(csp.get('default-src'), what).toEqual(["'none'"]);
      expect(csp.get('frame-ancestors'), what).toEqual(["'none'"]);
      expect(res.headers.get('strict-transport-security'), what).toBeNull();
    }
  });

  it('scopes the Swagger UI\'s looser style policy to /docs and keeps its scripts to its own files', async () => {
    const docs = await fetch(`${server.url}/docs/`);
    expect(docs.status).toBe(200);
    expectCommonHeaders(docs, '/docs/');
    const csp = parseCsp(docs.headers.get('content-security-policy'));
    expect(csp.get('script-src')).toEqual(["'self'"]);
    expect(csp.get('style-src')).toEqual(["'self'", "'unsafe-inline'"]);
    expect(csp.get('frame-ancestors')).toEqual(["'none'"]);
    const doc = await fetch(`${server.url}/openapi.json`);
    expect(doc.status).toBe(200);
    expect(parseCsp(doc.headers.get('content-security-policy')).get('default-src')).toEqual(["'none'"]);
    const paths = ((await doc.json()) as { paths: Record<string, unknown> }).paths;
    expect(Object.keys(paths)).toContain('/api/v1/alerts');
    // Only /docs: a page whose path merely starts with the same letters gets the strict policy.
    const page = parseCsp((await fetch(`${server.url}/docsx`)).headers.get('content-security-policy'));
    expect(page.get('style-src') ?? page.get('default-src')).not.toContain("'unsafe-inline'");
  });

  it('sends HSTS only over https: a trusted proxy saying so, or an https public address', async () => {
    const plain = await fetch(`${server.url}/`);
    expect(plain.headers.get('strict-transport-security')).toBeNull();
    // Anyone can write X-Forwarded-Proto; without a trusted proxy in front it means nothing.
    const spoofed = await fetch(`${server.url}/`, { headers: { 'x-forwarded-proto': 'https' } });
    expect(spoofed.headers.get('strict-transport-security')).toBeNull();

    const viaProxy = await fetch(`${proxied.url}/`, { headers: { 'x-forwarded-proto': 'https' } });
    expect(viaProxy.headers.get('strict-transport-security')).toMatch(/^max-age=31536000\b/);
    const viaProxyApi = await fetch(`${proxied.url}/api/v1/locate?lat=19.4326&lon=-99.1332`, { headers: { 'x-forwarded-proto': 'https' } });
    expect(viaProxyApi.headers.get('strict-transport-security')).toMatch(/^max-age=31536000\b/);
    const proxiedPlain = await fetch(`${proxied.url}/`, { headers: { 'x-forwarded-proto': 'http' } });
    expect(proxiedPlain.headers.get('strict-transport-security')).toBeNull();

    const always = await fetch(`${https.url}/api/v1/locate?lat=19.4326&lon=-99.1332`);
    expect(always.headers.get('strict-transport-security')).toMatch(/^max-age=31536000\b/);
  });

  it('lets the pages reach the configured map style\'s origin and the WebSocket at the public address', async () => {
    const csp = parseCsp((await fetch(`${https.url}/`)).headers.get('content-security-policy'));
    expect(csp.get('connect-src')).toEqual(["'self'", 'wss://cuadrante.example.mx', 'https://tiles.example.org']);
  });
});
