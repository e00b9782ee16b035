// The shared rules (src/rules) in a real Chromium, bundled by Vite as the pages get them, against
// the same fixture table phone.test.ts runs in Node: the private number check only works if the
// phone hashes exactly the E.164 the server listed, and treats short codes the same way.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import * as rules from '../../src/rules/index.js';
import { INVALID, OK, OK_US, SHORT } from '../../src/rules/phone.fixtures.js';
import { describeInBrowser, launchChromium } from '../support/browser.js';
import { waitForExpression } from '../support/page-wait.js';

type Rules = typeof rules;
type Row = [input: string, country: 'MX' | 'US'];

const ROWS: Row[] = [
  ...OK.map(([input]): Row => [input, 'MX']), ...OK_US.map(([input]): Row => [input, 'US']),
  ...SHORT.map(([input]): Row => [input, 'MX']), ...INVALID.map(([input]): Row => [input, 'MX']),
];

/** Every 3-digit Mexican prefix with a few line numbers: the compiled classifier, as in phone.test.ts. */
const NSNS = Array.from({ length: 900 }, (_, i) => ['0000000', '1234567', '9999999'].map((s) => `${i + 100}${s}`)).flat();

/** The same policy the pages are served with: nothing but this origin's scripts, no eval. */
const CSP = "default-src 'none'; script-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

async function bundleRules(outDir: string): Promise<string> {
  const { build } = await import('vite');
  await build({
    configFile: false, logLevel: 'warn',
    build: {
      outDir, emptyOutDir: true, minify: true,
      lib: { entry: fileURLToPath(new URL('../support/rules-entry.ts', import.meta.url)), formats: ['es'], fileName: () => 'rules.js' },
    },
  });
  return readFileSync(join(outDir, 'rules.js'), 'utf8');
}

function serve(script: string): Promise<Server> {
  const page = '<!doctype html><meta charset="utf-8"><title>rules</title><script type="module" src="/rules.js"></script>';
  const server = createServer((req, res) => {
    const js = req.url === '/rules.js';
    res.writeHead(js || req.url === '/' ? 200 : 404, { 'content-type': js ? 'text/javascript' : 'text/html; charset=utf-8', 'content-security-policy': CSP });
    res.end(js ? script : page);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

describeInBrowser('shared rules in the browser build', () => {
  let dir: string;
  let server: Server;
  let browser: Browser;
  let page: Page;
  let bytes = 0;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cuadrante-rules-'));
    const [script, launched] = await Promise.all([bundleRules(dir), launchChromium()]);
    bytes = script.length;
    [server, browser] = [await serve(script), launched];
    page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
    await waitForExpression(page, 'typeof window.__rules?.normalizeNumber === "function"', 10_000);
    expect(errors, 'no error and no CSP refusal while loading').toEqual([]);
  }, 30_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise((r) => (server ? server.close(r) : r(null)));
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('reads every row of the fixture table exactly as Node does, messages included', async () => {
    const inBrowser = await page.evaluate((rows) => {
      const r = (globalThis as unknown as { __rules: Rules }).__rules;
      return rows.map(([input, country]) => r.normalizeNumber(input, country));
    }, ROWS);
    expect(inBrowser).toHaveLength(ROWS.length);
    ROWS.forEach(([input, country], i) => expect(inBrowser[i], `${input} (${country})`).toEqual(rules.normalizeNumber(input, country)));
  });

  it('meets the table’s expectations there: E.164, short code and service, or the reason', async () => {
    const outcome = await page.evaluate((rows) => {
      const r = (globalThis as unknown as { __rules: Rules }).__rules;
      return rows.map(([input, country]) => {
        const n = r.normalizeNumber(input, country);
        return n.ok ? n.e164 : n.reason === 'short_code' ? `${n.code} ${n.service}` : n.problem;
      });
    }, ROWS);
    const expected = [
      ...OK.map(([, e164]) => e164), ...OK_US.map(([, e164]) => e164),
      ...SHORT.map(([, code, service]) => `${code} ${service}`), ...INVALID.map(([, problem]) => problem),
    ];
    expect(outcome).toEqual(expected);
  });

  it('classifies every Mexican prefix as the server does (libphonenumber max metadata in the bundle)', async () => {
    const types = await page.evaluate((nsns) => nsns.map((n) => (globalThis as unknown as { __rules: Rules }).__rules.mexicanNumberType(n) ?? null), NSNS);
    expect(types).toEqual(NSNS.map((n) => rules.mexicanNumberType(n) ?? null));
    expect(new Set(types).size, 'several kinds, not one answer for all').toBeGreaterThan(3);
  });

  it('shares the other rules too: statuses, staff roles, the duress freeze', async () => {
    const seen = await page.evaluate(() => {
      const r = (globalThis as unknown as { __rules: Rules }).__rules;
      return {
        open: r.ALERT_STATUSES.filter(r.isOpen), unanswered: r.ALERT_STATUSES.filter(r.isUnanswered),
        dispatch: r.ROLES.filter(r.isDispatchStaff), analysts: r.ROLES.filter(r.isAnalyst),
        frozen: r.statusSeenBy('citizen', 'en_route', true), hashPrefix: r.HASH_PREFIX_LENGTH,
      };
    });
    expect(seen).toEqual({
      open: rules.ALERT_STATUSES.filter(rules.isOpen), unanswered: rules.ALERT_STATUSES.filter(rules.isUnanswered),
      dispatch: rules.ROLES.filter(rules.isDispatchStaff), analysts: rules.ROLES.filter(rules.isAnalyst),
      frozen: 'cancelled', hashPrefix: rules.HASH_PREFIX_LENGTH,
    });
    expect(bytes, 'the bundle was really built').toBeGreaterThan(100_000);
  });
});
