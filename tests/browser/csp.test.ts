// Item 11 of issue 9 in a real Chromium: every page loads and works (the map too, with MapLibre's
// worker) under its Content-Security-Policy with no violation and no Permissions-Policy complaint;
// geolocation is allowed only where it is used; and no page can be framed by another site.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, ConsoleMessage, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { PHONE, describeInBrowser, ensureWebBuilt, launchChromium, submitStaffLogin } from '../support/browser.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { waitForExpression, waitForMapReady } from '../support/page-wait.js';

/** Registered before any page script: every violation the document reports. */
const WATCH_VIOLATIONS = `
  window.__violations = [];
  document.addEventListener('securitypolicyviolation', (e) => {
    window.__violations.push({ directive: e.violatedDirective, blocked: e.blockedURI, source: e.sourceFile, line: e.lineNumber, sample: e.sample });
  });`;

const POLICY_MESSAGE = /content.security.policy|permissions.policy|refused to|violates the following/i;

interface Watched { page: Page; messages: string[]; violations(): Promise<unknown[]> }

describeInBrowser('pages under their security policy', () => {
  let server: TestServer;
  let browser: Browser;
  let framer: Server;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    await ensureWebBuilt();
    [server, browser] = await Promise.all([startTestServer(), launchChromium()]);
  });

  afterAll(async () => {
    await Promise.all(contexts.map((c) => c.close()));
    await browser?.close();
    await server?.close();
    await new Promise((r) => (framer ? framer.close(r) : r(null)));
  });

  async function open(path: string, options: { geolocation?: boolean } = {}): Promise<Watched> {
    const context = await browser.newContext({
      ...PHONE,
      ...(options.geolocation ? { geolocation: { latitude: 19.4326, longitude: -99.1332 }, permissions: ['geolocation'] } : {}),
    });
    contexts.push(context);
    await context.addInitScript(WATCH_VIOLATIONS);
    const page = await context.newPage();
    const messages: string[] = [];
    const listen = (m: ConsoleMessage) => {
      if ((m.type() === 'error' || m.type() === 'warning') && POLICY_MESSAGE.test(m.text())) messages.push(`${path}: ${m.text()}`);
    };
    page.on('console', listen);
    page.on('pageerror', (err) => messages.push(`${path}: page error ${err.message}`));
    const res = await page.goto(server.url + path);
    expect(res?.status(), path).toBe(200);
    return { page, messages, violations: () => page.evaluate('window.__violations') as Promise<unknown[]> };
  }

  async function expectClean(w: Watched): Promise<void> {
    // Give late loads (worker chunks, tiles, fonts) a moment to be refused, if they were going to be.
    await w.page.waitForTimeout(300);
    expect(await w.violations()).toEqual([]);
    expect(w.messages).toEqual([]);
  }

  it('runs the citizen page, its map and MapLibre\'s worker with no violation', { timeout: 40_000 }, async () => {
    const w = await open('/', { geolocation: true });
    await waitForMapReady(w.page);
    // The quadrants arrived through the worker and were drawn: the policy let the map work.
    await expect.poll(() => w.page.evaluate(`window.__cuadrante.map.querySourceFeatures('quadrants').length`), { timeout: 10_000 }).toBeGreaterThan(0);
    expect(await w.page.evaluate(`document.featurePolicy.allowsFeature('geolocation')`)).toBe(true);
    expect(await w.page.evaluate(`document.featurePolicy.allowsFeature('camera')`)).toBe(false);
    await expectClean(w);
  });

  it('runs the operations console, signed in, with its live map and socket, with no violation', { timeout: 40_000 }, async () => {
    const w = await open('/centro');
    await submitStaffLogin(w.page, server.config.adminUsername, server.config.adminPassword!);
    await waitForMapReady(w.page);
    await expect.poll(() => w.page.getByTestId('connection').getAttribute('data-state'), { timeout: 10_000 }).toBe('connected');
    // The console does not use the position, so it may not ask for it.
    expect(await w.page.evaluate(`document.featurePolicy.allowsFeature('geolocation')`)).toBe(false);
    await expectClean(w);
  });

  it('runs the analysts\' console, signed in, with no violation', async () => {
    const w = await open('/analistas');
    await submitStaffLogin(w.page, server.config.adminUsername, server.config.adminPassword!);
    await w.page.getByTestId('login-username').waitFor({ state: 'detached', timeout: 10_000 });
    expect(await w.page.evaluate(`document.featurePolicy.allowsFeature('geolocation')`)).toBe(false);
    await expectClean(w);
  });

  for (const [path, geolocation] of [['/unidad', true], ['/llamada', false], ['/verificar.html#x', true]] as const) {
    it(`loads ${path} with no violation; geolocation ${geolocation ? 'allowed' : 'refused'}`, async () => {
      const w = await open(path);
      await waitForExpression(w.page, 'document.querySelector("#app")?.children.length > 0', 10_000);
      expect(await w.page.evaluate(`document.featurePolicy.allowsFeature('geolocation')`)).toBe(geolocation);
      await expectClean(w);
    });
  }

  it('shows the API documentation at /docs under its own policy, with no violation', { timeout: 40_000 }, async () => {
    const w = await open('/docs/');
    await w.page.locator('.swagger-ui .info .title').waitFor({ timeout: 20_000 });
    await expectClean(w);
  });

  it('cannot be framed by another site', { timeout: 60_000 }, async () => {
    framer = createServer((req, res) => {
      const path = decodeURIComponent((req.url ?? '/').slice(1)) || '/';
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(`<!doctype html><title>framer</title><iframe id="f" src="${server.url}${path}" width="400" height="400"></iframe>`);
    });
    await new Promise<void>((r) => framer.listen(0, '127.0.0.1', r));
    const framerUrl = `http://127.0.0.1:${(framer.address() as AddressInfo).port}`;
    const context = await browser.newContext();
    contexts.push(context);
    for (const path of ['/', '/centro', '/unidad', '/docs/']) {
      const page = await context.newPage();
      const refusals: string[] = [];
      page.on('console', (m) => { if (/frame-ancestors|X-Frame-Options/i.test(m.text())) refusals.push(m.text()); });
      // The framed page's own document must never start: its requests would show it did.
      let framedLoads = 0;
      page.on('request', (r) => { if (r.url().startsWith(server.url) && r.frame() !== page.mainFrame() && r.resourceType() !== 'document') framedLoads += 1; });
      await page.goto(`${framerUrl}/${encodeURIComponent(path)}`);
      await expect.poll(() => refusals.length, { timeout: 10_000, message: `${path}: Chromium should refuse to frame it` }).toBeGreaterThan(0);
      const frames = page.frames();
      expect(frames, path).toHaveLength(2); // the framer's page and the one refused frame
      const frame = frames.find((f) => f !== page.mainFrame());
      expect(frame!.url(), path).not.toMatch(new RegExp(`^${server.url}`));
      expect(framedLoads, `${path}: requests made by the framed page`).toBe(0);
      await page.close();
    }
  });
});
