// Panic alerts end to end in a real Chromium: a citizen's phone (/) and a patrol unit's phone
// (/unidad) as two browser contexts against the real server. The unit rings and works the
// alert; every step shows on the citizen's page; nobody answering ends at 911; an alert made
// offline is queued and sent exactly once.
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { PHONE, describeInBrowser, ensureWebBuilt, launchChromium } from '../support/browser.js';
import { waitForExpression, waitForMapReady } from '../support/page-wait.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { api, interiorPoint, type LatLon } from '../support/api.js';

interface AlertRow { id: string; status: string; duress: boolean; lat: number; lon: number; kind: string; hold: string | null }
interface UnitRow { id: string; callsign: string }

/** The slice of the unit page's ring hook the tests read (the root tsconfig has no DOM types). */
interface RingGlobals { __cuadranteRing?: { active: boolean; cycles: number; audible: boolean } }

const QUADRANT = 'P-1.4.8'; // San Ángel, Álvaro Obregón
const CITY_LINE = '+525552089898';
const PASSWORD = 'patrulla-segura-2024';
const STEP_TIMEOUT = 10_000;

describeInBrowser('panic alerts: citizen and unit', () => {
  let server: TestServer; // ack 20 s, escalate 60 s: nothing escalates while the unit works
  let quick: TestServer; // ack 0.5 s, escalate 1.5 s: nobody answering ends at 911 quickly
  let browser: Browser;
  let at: LatLon;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    await ensureWebBuilt();
    [server, quick, browser] = await Promise.all([
      startTestServer({ config: { ackTimeoutMs: 20_000, escalateAfterMs: 60_000 } }),
      // Few device credentials per network and hour: the last test reaches the hard limit.
      startTestServer({ config: { ackTimeoutMs: 500, escalateAfterMs: 1500, devicesPerNetworkHourMax: 25 } }),
      launchChromium(),
    ]);
    at = await interiorPoint(server.url, QUADRANT);
  });

  afterAll(async () => {
    await Promise.all(contexts.map((c) => c.close()));
    await browser?.close();
    await Promise.all([server?.close(), quick?.close()]);
  });

  async function newPage(options: BrowserContextOptions = {}): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ ...PHONE, ...options });
    contexts.push(context);
    const page = await context.newPage();
    page.on('pageerror', (err) => console.error('[page error]', err));
    return { context, page };
  }

  /** A citizen's phone standing in the quadrant, location permission already given. */
  const citizen = () => newPage({ geolocation: { latitude: at.lat, longitude: at.lon }, permissions: ['geolocation'] });

  async function unitSignedInOnDuty(callsign: string, username: string): Promise<Page> {
    await createUnit(server, callsign, username);
    const { page } = await newPage();
    await page.goto(server.url + '/unidad');
    await page.getByTestId('unit-username').fill(username);
    if (callsign === 'P148-A') await page.screenshot({ path: '/tmp/unidad-sign-in.png' });
    await page.getByTestId('unit-password').fill(PASSWORD);
    await page.getByTestId('unit-sign-in-submit').click();
    await expect.poll(() => page.getByTestId('unit-callsign').textContent()).toBe(callsign);
    await expect.poll(() => page.getByTestId('duty').getAttribute('data-state')).toBe('off_duty');
    await page.getByTestId('duty-toggle').click();
    await expect.poll(() => page.getByTestId('duty').getAttribute('data-state')).toBe('available');
    expect(await page.getByTestId('duty-state').textContent()).toContain('En servicio');
    return page;
  }

  let unit: Page;

  it('rings the unit; each step it takes shows on the citizen’s phone', async () => {
    unit = await unitSignedInOnDuty('P148-A', 'oficial.p148a');
    const partner = await unitSignedInOnDuty('P148-B', 'oficial.p148b');
    await expect.poll(() => unit.getByTestId('unit-no-alerts').isVisible()).toBe(true);
    expect(await ringState(unit)).toMatchObject({ active: false });

    const { page: phone } = await citizen();
    await phone.goto(server.url + '/');
    await phone.screenshot({ path: '/tmp/citizen-panic.png' });
    await phone.getByTestId('panic-button').click();

    // The unit's phone rings, and keeps ringing, until the alert is taken.
    await unit.getByTestId('ringing').waitFor({ timeout: STEP_TIMEOUT });
    const card = unit.getByTestId('unit-alert');
    await expect.poll(() => card.getAttribute('data-status')).toBe('paging');
    expect(await card.getByTestId('unit-alert-quadrant').textContent()).toContain(QUADRANT);
    expect(await card.getByTestId('unit-alert-kind').textContent()).toBe('Alerta de auxilio');
    expect(await card.getByTestId('unit-alert-distance').textContent()).toBe('en tu cuadrante');
    await waitForExpression(unit, '(window.__cuadranteRing?.cycles ?? 0) >= 2 && window.__cuadranteRing.active', STEP_TIMEOUT);
    await unit.getByTestId('unit-map').waitFor();
    await waitForMapReady(unit);

    // Meanwhile the citizen sees the alert is out, and when it would escalate.
    await expect.poll(() => phone.getByTestId('alert-status').getAttribute('data-status')).toBe('paging');
    expect(await phone.getByTestId('alert-status').textContent()).toBe('Avisando a la policía de tu cuadrante…');
    expect(await phone.getByTestId('escalation-countdown').textContent()).toMatch(/Si nadie responde en 0:[0-2]\d/);
    await unit.screenshot({ path: '/tmp/unidad-ringing.png', fullPage: true });
    await unit.getByTestId('lang-toggle').click();
    expect(await card.getByTestId('action-acknowledge').textContent()).toContain('Accept');
    expect(await card.getByTestId('unit-alert-kind').textContent()).toBe('Call for help');
    await unit.getByTestId('lang-toggle').click();
    await phone.screenshot({ path: '/tmp/citizen-alert-paging.png' });

    // Both units of the quadrant ring; the first to accept takes it, and the other stops.
    await partner.getByTestId('ringing').waitFor({ timeout: STEP_TIMEOUT });
    await card.getByTestId('action-acknowledge').click();
    await unit.getByTestId('ringing').waitFor({ state: 'detached' });
    expect(await ringState(unit)).toMatchObject({ active: false });
    await partner.getByTestId('ringing').waitFor({ state: 'detached', timeout: STEP_TIMEOUT });
    expect(await ringState(partner)).toMatchObject({ active: false });
    expect(await partner.getByTestId('unit-alert-taken').textContent()).toBe('La tomó la unidad P148-A');
    expect(await partner.getByTestId('action-acknowledge').count()).toBe(0);
    await partner.screenshot({ path: '/tmp/unidad-taken.png' });
    await partner.getByTestId('duty-toggle').click();
    await expect.poll(() => partner.getByTestId('duty').getAttribute('data-state')).toBe('off_duty');
    await expect.poll(() => phone.getByTestId('alert-status').getAttribute('data-status'), { timeout: STEP_TIMEOUT }).toBe('acknowledged');
    expect(await phone.getByTestId('alert-unit-callsign').textContent()).toBe('P148-A');
    expect(await phone.getByTestId('alert-status').textContent()).toBe('La unidad P148-A aceptó tu alerta');
    expect(await phone.getByTestId('escalation-countdown').count()).toBe(0);
    await expect.poll(() => unit.getByTestId('duty').getAttribute('data-state')).toBe('busy');

    await card.getByTestId('action-en_route').click();
    await expect.poll(() => phone.getByTestId('alert-status').textContent(), { timeout: STEP_TIMEOUT }).toBe('La unidad P148-A va en camino');
    await phone.screenshot({ path: '/tmp/citizen-alert-en-route.png', fullPage: true });

    await card.getByTestId('action-on_scene').click();
    await expect.poll(() => phone.getByTestId('alert-status').textContent(), { timeout: STEP_TIMEOUT }).toBe('La unidad P148-A llegó al lugar');
    // Every step is on the citizen's timeline with its time.
    for (const step of ['createdAt', 'acknowledgedAt', 'enRouteAt', 'onSceneAt']) {
      expect(await phone.getByTestId(`step-${step}`).textContent()).toMatch(/\d{1,2}:\d{2}:\d{2}/);
    }

    await card.getByTestId('action-resolve').click();
    await card.getByTestId('outcome-attended').click();
    await expect.poll(() => phone.getByTestId('alert-status').getAttribute('data-status'), { timeout: STEP_TIMEOUT }).toBe('resolved');
    expect(await phone.getByTestId('alert-status').textContent()).toBe('La alerta fue atendida y cerrada');
    await expect.poll(() => card.getAttribute('data-status')).toBe('resolved');
    await expect.poll(() => unit.getByTestId('duty').getAttribute('data-state')).toBe('available');
    await unit.screenshot({ path: '/tmp/unidad-resolved.png', fullPage: true });

    // The citizen closes the finished alert and the button is back.
    await phone.getByTestId('alert-dismiss').click();
    await phone.getByTestId('panic-button').waitFor();
  }, 90_000);

  it('a duress PIN shows "cancelled" to the citizen while the unit keeps the alert, marked', async () => {
    const { page: phone } = await citizen();
    await phone.goto(server.url + '/');
    await phone.getByTestId('pin-settings').locator('summary').click();
    await phone.getByTestId('pin-cancel').fill('2468');
    await phone.getByTestId('pin-duress').fill('1357');
    await phone.getByTestId('pins-save').click();
    await expect.poll(() => phone.getByTestId('pins-message').textContent()).toBe('PINs guardados en este dispositivo.');

    await phone.getByTestId('panic-kind-followed').click();
    await unit.getByTestId('ringing').waitFor({ timeout: STEP_TIMEOUT });
    const id = await unit.locator('[data-testid="unit-alert"][data-status="paging"]').getAttribute('data-alert-id');
    const card = unit.locator(`[data-testid="unit-alert"][data-alert-id="${id}"]`);
    expect(await card.getByTestId('unit-alert-kind').textContent()).toBe('Persona seguida');

    await phone.getByTestId('alert-cancel').click();
    await phone.getByTestId('alert-cancel-pin').fill('0000');
    await phone.getByTestId('alert-cancel-submit').click();
    await expect.poll(() => phone.getByRole('alert').first().textContent()).toContain('PIN');
    await phone.getByTestId('alert-cancel-pin').fill('1357');
    await phone.getByTestId('alert-cancel-submit').click();
    await expect.poll(() => phone.getByTestId('alert-status').getAttribute('data-status'), { timeout: STEP_TIMEOUT }).toBe('cancelled');
    expect(await phone.getByTestId('alert-status').textContent()).toBe('Alerta cancelada');

    // The unit still has it, still ringing, and is told why it must go carefully.
    await card.getByTestId('unit-alert-duress').waitFor({ timeout: STEP_TIMEOUT });
    expect(await ringState(unit)).toMatchObject({ active: true });
    await card.getByTestId('action-acknowledge').click();
    await unit.getByTestId('ringing').waitFor({ state: 'detached' });
    await card.getByTestId('action-resolve').click();
    await card.getByTestId('outcome-attended').click();
    await expect.poll(() => card.getAttribute('data-status')).toBe('resolved');
    // Whoever holds the citizen's phone never learns otherwise, even after a reload.
    await phone.reload();
    await expect.poll(() => phone.getByTestId('alert-status').getAttribute('data-status')).toBe('cancelled');
  }, 60_000);

  it('a unit that lost its connection catches up from the snapshot when it is back', async () => {
    const context = unit.context();
    await context.setOffline(true);
    await unit.getByTestId('unit-connection').waitFor({ timeout: STEP_TIMEOUT });
    expect(await unit.getByTestId('unit-connection').textContent()).toContain('Sin conexión');

    const { page: phone } = await citizen();
    await phone.goto(server.url + '/');
    await phone.getByTestId('panic-kind-medical').click();
    await expect.poll(() => phone.getByTestId('alert-status').getAttribute('data-status'), { timeout: STEP_TIMEOUT }).toBe('paging');
    expect(await unit.getByTestId('ringing').count()).toBe(0);

    await context.setOffline(false);
    await unit.getByTestId('ringing').waitFor({ timeout: STEP_TIMEOUT });
    expect(await unit.getByTestId('unit-connection').count()).toBe(0);
    const card = unit.locator('[data-testid="unit-alert"][data-status="paging"]');
    expect(await card.getByTestId('unit-alert-kind').textContent()).toBe('Emergencia médica');
    await card.getByTestId('action-acknowledge').click();
    await expect.poll(() => phone.getByTestId('alert-status').getAttribute('data-status'), { timeout: STEP_TIMEOUT }).toBe('acknowledged');
    await cancelAll(server);
    await expect.poll(() => phone.getByTestId('alert-status').getAttribute('data-status'), { timeout: STEP_TIMEOUT }).toBe('cancelled');
  }, 60_000);

  it('tells the citizen at once when no unit answered, with a one-tap 911 call', async () => {
    // A unit on duty that never answers: paged, then the next ring, then 911.
    const silent = await createUnit(quick, 'P148-S', 'oficial.p148s');
    const silentToken = await login(quick, 'oficial.p148s');
    await api(quick, 'PUT', `/api/v1/units/${silent.id}/shift`, silentToken, { state: 'available' });

    const { context, page: phone } = await citizen();
    // Hold the map library back: the panic button must not need it.
    let release = () => {};
    const held = new Promise<void>((resolve) => { release = resolve; });
    await context.route(/\/assets\/maplibre-[^/]*\.js$/, async (route) => { await held; await route.continue(); });
    await phone.goto(quick.url + '/');
    await phone.getByTestId('panic-button').click();

    const call = phone.getByTestId('escalated-call-911');
    await call.waitFor({ timeout: STEP_TIMEOUT });
    expect(await call.getAttribute('href')).toBe('tel:911');
    expect(await phone.getByTestId('alert-status').textContent()).toBe('Ninguna unidad respondió — llama al 911');
    expect(await phone.evaluate('window.__cuadrante?.mapReady ?? false')).toBe(false);
    await phone.screenshot({ path: '/tmp/citizen-alert-escalated.png' });
    release();

    // English too.
    await phone.getByTestId('lang-toggle').click();
    expect(await phone.getByTestId('alert-status').textContent()).toBe('No unit answered — call 911');
    await phone.getByTestId('lang-toggle').click();

    // "I'm OK": no PINs on this device, so a confirmation is enough.
    await phone.getByTestId('alert-cancel').click();
    await phone.getByTestId('alert-cancel-confirm').click();
    await expect.poll(() => phone.getByTestId('alert-status').getAttribute('data-status')).toBe('cancelled');
    expect(await openAlerts(quick)).toHaveLength(0);
  }, 60_000);

  it('queues an alert made offline, offers 911 and SMS, and sends it once when back online', async () => {
    const { context, page: phone } = await citizen();
    // The SMS fallback needs the city's line, which the page learns while it still has signal.
    const config = phone.waitForResponse('**/api/v1/config/public');
    await phone.goto(quick.url + '/');
    expect((await config).status()).toBe(200);
    await context.setOffline(true);
    await phone.getByTestId('panic-kind-robbery').click();

    await phone.getByTestId('alert-queued').waitFor({ timeout: STEP_TIMEOUT });
    expect(await phone.getByTestId('queued-911').getAttribute('href')).toBe('tel:911');
    const sms = await phone.getByTestId('queued-sms').getAttribute('href');
    expect(sms).toBe(`sms:${CITY_LINE}?body=${encodeURIComponent(`AYUDA ${at.lat.toFixed(5)},${at.lon.toFixed(5)}`)}`);
    await phone.screenshot({ path: '/tmp/citizen-alert-queued.png' });
    expect(await openAlerts(quick)).toHaveLength(0);

    await context.setOffline(false);
    await expect.poll(() => phone.getByTestId('alert-status').getAttribute('data-status'), { timeout: 15_000 }).toMatch(/^(new|paging|escalated)$/);
    const alerts = await openAlerts(quick);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ kind: 'robbery', lat: at.lat, lon: at.lon });
    await cancelAll(quick);
  }, 60_000);

  it('retries an alert whose answer was lost with the same key: still exactly one alert', async () => {
    const { context, page: phone } = await citizen();
    await phone.goto(quick.url + '/', { waitUntil: 'networkidle' });
    const keys: string[] = [];
    let first = true;
    // The request reaches the server, which stores the alert; the phone never hears back.
    await context.route('**/api/v1/alerts', async (route) => {
      if (route.request().method() !== 'POST') return route.continue();
      keys.push((await route.request().allHeaders())['idempotency-key'] ?? '');
      if (!first) return route.continue();
      first = false;
      await route.fetch();
      await route.abort('connectionreset');
    });
    await phone.getByTestId('panic-button').click();
    await phone.getByTestId('alert-queued').waitFor({ timeout: STEP_TIMEOUT });
    expect(await openAlerts(quick)).toHaveLength(1);

    // The next attempt (here: the page hears `online`) reuses the key and gets the same alert.
    await phone.evaluate('window.dispatchEvent(new Event("online"))');
    await phone.getByTestId('alert-tracker').waitFor({ timeout: STEP_TIMEOUT });
    expect(keys).toHaveLength(2);
    expect(keys[0]).toMatch(/^[0-9a-f]{32}$/);
    expect(keys[1]).toBe(keys[0]);
    const alerts = await openAlerts(quick);
    expect(alerts).toHaveLength(1);
    expect(await phone.getByTestId('alert-tracker').getAttribute('data-alert-id')).toBe(alerts[0]!.id);
    await cancelAll(quick);
  }, 60_000);
  it('tells a citizen whose alert waits for review that the centre has it, and offers 911 at once', async () => {
    // This network registered more devices this hour than the city allows: the next phone's
    // alerts are stored and shown to dispatchers but page nobody until one of them confirms.
    for (let i = 0; i < server.config.devicesPerNetworkHour; i++) await api(server, 'POST', '/api/v1/devices', null);
    const { page: phone } = await citizen();
    await phone.goto(server.url + '/');
    await phone.getByTestId('panic-button').click();

    const status = phone.getByTestId('alert-status');
    await expect.poll(() => status.getAttribute('data-review'), { timeout: STEP_TIMEOUT }).toBe('true');
    expect(await status.textContent()).toBe('El centro de operaciones recibió tu alerta');
    expect(await phone.getByTestId('alert-review').textContent()).toContain('Si es urgente, no esperes: llama al 911 ahora.');
    expect(await phone.getByTestId('review-call-911').getAttribute('href')).toBe('tel:911');
    expect(await phone.getByTestId('escalation-countdown').count()).toBe(0);
    expect(await phone.textContent('body')).not.toMatch(/saturaci|flood|probation|prueba/i); // never why
    await phone.screenshot({ path: '/tmp/citizen-alert-review.png' });
    await phone.getByTestId('lang-toggle').click();
    expect(await status.textContent()).toBe('The operations centre received your alert');
    await phone.getByTestId('lang-toggle').click();

    // A dispatcher confirms it: the unit rings and the phone shows the alert going out.
    const [held] = await openAlerts(server);
    expect(held).toMatchObject({ hold: 'saturation', status: 'new' });
    await api(server, 'POST', `/api/v1/alerts/${held!.id}/actions`, await server.adminToken(), { action: 'confirm' });
    await unit.getByTestId('ringing').waitFor({ timeout: STEP_TIMEOUT });
    await expect.poll(() => status.getAttribute('data-status'), { timeout: STEP_TIMEOUT }).toBe('paging');
    expect(await status.getAttribute('data-review')).toBe('false');
    expect(await status.textContent()).toBe('Avisando a la policía de tu cuadrante…');
    expect(await phone.getByTestId('alert-review').count()).toBe(0);
    await cancelAll(server);
  }, 60_000);

  it('offers 911 and SMS at once when the server refuses a new device credential', async () => {
    // Past the hard limit of device credentials for this network: 429 on registration.
    for (let i = 0; i < 30; i++) {
      const res = await fetch(`${quick.url}/api/v1/devices`, { method: 'POST' });
      if (res.status === 429) break;
    }
    expect((await fetch(`${quick.url}/api/v1/devices`, { method: 'POST' })).status).toBe(429);
    const { page: phone } = await citizen();
    const config = phone.waitForResponse('**/api/v1/config/public');
    await phone.goto(quick.url + '/');
    expect((await config).status()).toBe(200);
    await phone.getByTestId('panic-button').click();
    const queued = phone.getByTestId('alert-queued');
    await queued.waitFor({ timeout: STEP_TIMEOUT });
    expect(await queued.getAttribute('data-busy')).toBe('true');
    expect(await queued.locator('h2').textContent()).toBe('Tu alerta aún no se pudo enviar');
    expect(await phone.getByTestId('queued-911').getAttribute('href')).toBe('tel:911');
    expect(await phone.getByTestId('queued-sms').getAttribute('href')).toMatch(new RegExp(`^sms:\\${CITY_LINE}\\?body=`));
    await phone.getByTestId('queued-discard').click();
  }, 60_000);
});

async function createUnit(server: TestServer, callsign: string, username: string): Promise<UnitRow> {
  return api<UnitRow>(server, 'POST', '/api/v1/units', await server.adminToken(),
    { callsign, type: 'car', quadrantIds: [QUADRANT], username, password: PASSWORD });
}

async function login(server: TestServer, username: string): Promise<string> {
  return (await api<{ token: string }>(server, 'POST', '/api/v1/auth/login', null, { username, password: PASSWORD })).token;
}

/** Staff see every open alert. */
async function openAlerts(server: TestServer): Promise<AlertRow[]> {
  return api<AlertRow[]>(server, 'GET', '/api/v1/alerts', await server.adminToken());
}

async function cancelAll(server: TestServer): Promise<void> {
  const token = await server.adminToken();
  for (const a of await openAlerts(server)) await api(server, 'POST', `/api/v1/alerts/${a.id}/actions`, token, { action: 'cancel' });
}

const ringState = (page: Page) => page.evaluate(() => (globalThis as unknown as RingGlobals).__cuadranteRing ?? null);
