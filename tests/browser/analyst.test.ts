// The extortion analysts' desk (/analistas) in a real Chromium at 1280×800, against the real
// server: reports seeded through the public API from several phones and networks; an analyst
// signs in, reads the queue, opens a number (reporters only as letters A, B, C — never an account,
// device or key — accounts, timeline), confirms it; the owner's
// dispute is upheld and clears it; campaigns and statistics show the seeded data; the case file
// downloads as CSV and JSON without any reporter identity; an admin edits the protected list.
import { readFileSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeInBrowser, ensureWebBuilt, launchChromium, submitStaffLogin } from '../support/browser.js';
import { startTestServer, type TestServer } from '../support/server.js';

const PASSWORD = 'correct horse battery staple';
const ANALYST = 'ana.analista';
const DESKTOP = { viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 };

const KIDNAP = '+525512345678'; // reported as "55 1234 5678"
const LAWYER = '+525587654321'; // reported as "044 55 8765 4321"
const CLABE = '012180001234567899'; // BBVA México: both numbers ask for deposits into it
const SCRIPT = 'Tenemos a tu hijo, deposita ya cincuenta mil pesos a esta cuenta o no lo vuelves a ver';

describeInBrowser('extortion analysts: /analistas', () => {
  let server: TestServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let deviceIds: string[]; // the reporters who used a device credential: never on the page

  beforeAll(async () => {
    await ensureWebBuilt();
    // Behind a trusted proxy, so the seeded reporters come from different networks.
    [server, browser] = await Promise.all([startTestServer({ config: { trustProxy: ['127.0.0.1', '::1'] } }), launchChromium()]);
    const admin = await server.adminToken();
    await call(server, 'POST', '/api/v1/users', admin, { username: ANALYST, password: PASSWORD, role: 'analyst' }, 201);
    const pedro = await call<{ token: string; userId: string }>(server, 'POST', '/api/v1/devices', null, undefined, 201);
    const rosa = await call<{ token: string; userId: string }>(server, 'POST', '/api/v1/devices', null, undefined, 201);
    deviceIds = [pedro.userId, rosa.userId];

    const kidnap = { number: '55 1234 5678', channel: 'call', type: 'virtual_kidnapping', claimed: SCRIPT, amountMxn: 50_000, clabe: CLABE };
    await report(server, { ...kidnap, paid: true }, '201.141.10.7'); // Lucía, anonymous
    await report(server, kidnap, '189.203.44.12', pedro.token);
    await report(server, { ...kidnap, notes: 'Volvieron a llamar al día siguiente' }, '189.203.44.12', pedro.token); // same person again
    await report(server, { ...kidnap, card: '4152 3137 1234 5672' }, '187.190.5.33', rosa.token);
    await report(server, { number: '044 55 8765 4321', channel: 'whatsapp', type: 'fake_lawyer', claimed: SCRIPT, amountMxn: 20_000, clabe: CLABE }, '200.52.1.1'); // Mario

    context = await browser.newContext({ ...DESKTOP, acceptDownloads: true });
    page = await context.newPage();
    page.on('pageerror', (err) => console.error('[page error]', err));
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await server?.close();
  });

  it('signs an analyst in and lists the new reports grouped by number', async () => {
    await page.goto(server.url + '/analistas');
    await submitStaffLogin(page, ANALYST, 'not the password');
    await expect.poll(() => page.getByTestId('login-error').textContent()).toBe('Usuario o contraseña incorrectos');
    await submitStaffLogin(page, ANALYST, PASSWORD);

    await page.getByTestId('queue').waitFor();
    expect(await page.getByTestId('queue-count').textContent()).toBe('5');
    const rows = page.getByTestId('queue-row');
    expect(await rows.count()).toBe(2);
    expect(await rows.nth(0).getAttribute('data-number')).toBe(KIDNAP); // most reports first
    expect(await rows.nth(0).getByTestId('queue-reports').textContent()).toBe('4');
    expect(await rows.nth(0).textContent()).toContain('Secuestro virtual');
    expect(await queueRow(page, LAWYER).textContent()).toContain('Falso abogado o notario');
    await page.screenshot({ path: '/tmp/analistas-queue.png' });
  });

  it('opens a number: reporters as letters only, accounts and the timeline', async () => {
    await queueRow(page, KIDNAP).getByTestId('queue-open').click();
    const number = page.getByTestId('number-page');
    await expect.poll(() => number.getAttribute('data-number')).toBe(KIDNAP);
    expect(new URL(page.url()).hash).toBe('#numero/%2B525512345678');
    expect(await page.getByTestId('reports-count').textContent()).toBe('4');
    // Three people on three networks: independent reporters.
    expect(await page.getByTestId('independent-count').textContent()).toBe('3');
    expect(await page.getByTestId('level').getAttribute('data-level')).toBe('probable');

    // Pedro's two reports are one reporter (B); nobody is named, not even by a key.
    const reporters = page.getByTestId('reporter');
    expect(await reporters.count()).toBe(3);
    expect(await reporters.evaluateAll((els) => els.map((e) => [e.getAttribute('data-reporter'), Number(e.getAttribute('data-reports'))]))).toEqual([['A', 1], ['B', 2], ['C', 1]]);
    expect(await reporters.nth(0).locator('strong').textContent()).toBe('Reportante A');
    expect(await reporters.nth(0).getByTestId('reporter-facts').textContent()).toBe('1 red · 1 sin dispositivo');
    expect(await reporters.nth(1).getByTestId('reporter-facts').textContent()).toBe('1 dispositivo · 1 red');
    expect(await page.getByTestId('reporters-summary').textContent()).toBe('3 reportantes en 3 redes · la reputación cuenta 3 independientes');
    const letters = await page.getByTestId('entry-reporter').allTextContents();
    expect([...letters].sort()).toEqual(['Reportante A', 'Reportante B', 'Reportante B', 'Reportante C']);
    const html = await page.content();
    for (const id of deviceIds) expect(html).not.toContain(id);
    expect(html).not.toMatch(/reporter_user_id|key_(account|device|network)|\b[0-9a-f]{32}\b/);

    expect(await page.getByTestId('timeline-entry').count()).toBe(4);
    const accounts = await page.getByTestId('account').allTextContents();
    expect(accounts[0]).toContain(CLABE);
    expect(accounts[0]).toContain('BBVA México');
    expect(accounts[0]).toContain('4 reportes');
    expect(accounts[1]).toContain('5672');
    expect(await page.getByTestId('demanded').textContent()).toMatch(/200,000/);
    expect(await page.getByTestId('paid-total').textContent()).toMatch(/50,000/);
    await page.screenshot({ path: '/tmp/analistas-number.png', fullPage: true });
  });

  it('confirms the number with a note; its reports leave the queue', async () => {
    await page.getByTestId('decision-note').fill('Mismo guion y misma CLABE que la banda de Iztapalapa');
    await page.getByTestId('decide-confirmed').click();
    await page.getByTestId('decision-saved').waitFor();
    await expect.poll(() => page.getByTestId('level').textContent()).toBe('confirmado');
    expect(await page.getByTestId('level').getAttribute('data-level')).toBe('confirmed');
    expect(await page.getByTestId('basis').textContent()).toBe('confirmado por un analista');
    expect(await page.getByTestId('decision').textContent()).toContain('Mismo guion y misma CLABE');
    expect(await page.getByTestId('decide-confirmed').isDisabled()).toBe(true);
    expect(await page.getByTestId('timeline-entry').evaluateAll((els) => els.map((e) => e.getAttribute('data-status')))).toEqual(Array(4).fill('reviewed'));

    await page.getByTestId('tab-queue').click();
    await expect.poll(() => page.getByTestId('queue-count').textContent()).toBe('1');
    expect(await page.getByTestId('queue-row').getAttribute('data-number')).toBe(LAWYER);
  });

  it("upholds the owner's dispute, which clears the number", async () => {
    await call(server, 'POST', `/api/v1/numbers/${encodeURIComponent(KIDNAP)}/disputes`, null,
      { ownerName: 'Refaccionaria López', contact: 'contacto@refaccionaria.mx', reason: 'Es la línea de nuestro negocio desde 2015; nos la clonaron.' }, 201);
    await page.getByTestId('tab-disputes').click();
    await expect.poll(() => page.getByTestId('disputes-count').textContent()).toBe('1');
    const dispute = page.getByTestId('dispute');
    expect(await dispute.getByTestId('dispute-owner').textContent()).toBe('Refaccionaria López');
    expect(await dispute.getByTestId('dispute-number').textContent()).toBe(KIDNAP);
    await page.screenshot({ path: '/tmp/analistas-disputes.png' });

    await dispute.getByTestId('dispute-note').fill('Factura de Telcel a nombre del negocio');
    await dispute.getByTestId('dispute-uphold').click();
    await page.getByTestId('disputes-empty').waitFor();

    await page.getByTestId('open-number-input').fill('55 1234 5678');
    await page.getByTestId('open-number-submit').click();
    await expect.poll(() => page.getByTestId('level').getAttribute('data-level')).toBe('none');
    expect(await page.getByTestId('level').textContent()).toBe('ninguno');
    expect(await page.getByTestId('basis').textContent()).toBe('descartado por un analista');
    expect(await page.getByTestId('dispute-status').textContent()).toBe('aceptada');
  });

  it('shows the campaign tying both numbers to one CLABE, and the statistics', async () => {
    await page.getByTestId('tab-campaigns').click();
    const campaign = page.getByTestId('campaign');
    await campaign.first().waitFor();
    expect(await campaign.count()).toBe(1);
    const text = await campaign.textContent();
    expect(text).toContain(KIDNAP);
    expect(text).toContain(LAWYER);
    expect(text).toContain(`Misma CLABE ${CLABE}`);

    await page.getByTestId('tab-stats').click();
    await expect.poll(() => page.getByTestId('stats-reports').textContent()).toBe('5');
    expect(await page.getByTestId('stats-paid').textContent()).toBe('1');
    expect(await page.getByTestId('stats-amount').textContent()).toMatch(/50,000/);
    const byType = page.getByTestId('by-type').locator('.bar-row');
    expect(await byType.evaluateAll((els) => els.map((e) => [e.getAttribute('data-key'), e.getAttribute('data-count')]))).toEqual([
      ['virtual_kidnapping', '4'], ['fake_lawyer', '1'],
    ]);
    expect(await page.getByTestId('by-week').locator('.bar-row').count()).toBe(1);
    await page.screenshot({ path: '/tmp/analistas-stats.png' });
  });

  it('downloads the case file as CSV and JSON, without any reporter identity', async () => {
    await page.getByTestId('tab-campaigns').click();
    // The tab reloads its list: wait for it before ticking its numbers.
    await page.getByTestId('campaign').getByTestId('pick').first().waitFor();
    for (const box of await page.getByTestId('campaign').getByTestId('pick').all()) await box.check();
    await expect.poll(() => page.getByTestId('case-count').textContent()).toBe('2');

    const [csvDownload] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-csv').click()]);
    expect(csvDownload.suggestedFilename()).toMatch(/^caso-extorsion-\d{4}-\d{2}-\d{2}\.csv$/);
    const csv = readFileSync((await csvDownload.path())!, 'utf8');
    const lines = csv.trim().split('\n');
    expect(lines[0]).toBe('id,number,channel,type,occurredAt,claimed,amountMxn,paid,clabe,card,bank,reportedAt');
    expect(lines).toHaveLength(6);
    expect(lines.filter((l) => l.includes(KIDNAP))).toHaveLength(4);
    expect(lines.filter((l) => l.includes(LAWYER))).toHaveLength(1);
    expect(csv).toContain(CLABE);
    expect(csv).toContain('•••• •••• •••• 5672');

    const [jsonDownload] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-json').click()]);
    const json = readFileSync((await jsonDownload.path())!, 'utf8');
    const file = JSON.parse(json) as { numbers: Array<{ e164: string }>; reports: unknown[] };
    expect(file.numbers.map((n) => n.e164).sort()).toEqual([KIDNAP, LAWYER]);
    expect(file.reports).toHaveLength(5);

    for (const text of [csv, json]) {
      for (const id of deviceIds) expect(text).not.toContain(id);
      expect(text).not.toMatch(/reporter_user_id|key_(account|device|network)|201\.141|189\.203/);
    }
    await page.screenshot({ path: '/tmp/analistas-case.png' });
  });

  it('switches to English', async () => {
    await page.getByTestId('lang-toggle').click();
    expect(await page.getByTestId('tab-queue').textContent()).toBe('New reports');
    expect(await page.getByTestId('export-csv').textContent()).toBe('Download CSV');
    await page.getByTestId('lang-toggle').click();
    expect(await page.getByTestId('tab-queue').textContent()).toBe('Reportes nuevos');
  });

  it('lets analysts read the protected numbers and an admin edit them', async () => {
    await page.getByTestId('tab-protected').click();
    await page.getByTestId('admin-only').waitFor();
    expect(await page.getByTestId('protect-form').count()).toBe(0);

    const adminContext = await browser.newContext(DESKTOP);
    try {
      const admin = await adminContext.newPage();
      await admin.goto(server.url + '/analistas#protegidos');
      await submitStaffLogin(admin, server.config.adminUsername, server.config.adminPassword!);
      await admin.getByTestId('protect-number').fill('55 5122 1212');
      await admin.getByTestId('protect-label').fill('Banco (línea de atención)');
      await admin.getByTestId('protect-submit').click();
      const row = admin.getByTestId('protected-row');
      await expect.poll(() => row.getAttribute('data-number')).toBe('+525551221212');
      expect(await row.textContent()).toContain('Banco (línea de atención)');
      await admin.screenshot({ path: '/tmp/analistas-protected.png' });
      await row.getByTestId('unprotect').click();
      await row.waitFor({ state: 'detached' });
    } finally {
      await adminContext.close();
    }
  });
});

const queueRow = (page: Page, number: string) => page.locator(`[data-testid="queue-row"][data-number="${number}"]`);

/** A report from a client at `ip` (the test is the trusted proxy), with a device credential or anonymous. */
async function report(server: TestServer, body: Record<string, unknown>, ip: string, token?: string): Promise<void> {
  await call(server, 'POST', '/api/v1/extortion/reports', token ?? null, body, 201, { 'x-forwarded-for': ip });
}

async function call<T = unknown>(server: TestServer, method: string, path: string, token: string | null, body: unknown, expected: number,
  headers: Record<string, string> = {}): Promise<T> {
  const res = await fetch(server.url + path, {
    method,
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (res.status !== expected) throw new Error(`${method} ${path} → ${res.status} (expected ${expected}): ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}
