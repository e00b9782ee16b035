// The operations console (/centro) in a real Chromium at 1280×800, against the real server:
// a dispatcher signs in, sees a citizen's alert arrive live with its escalation countdown,
// records a phone call on the map, assigns a unit, and watches the response-time KPIs move
// as the unit works the alert through the API.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeInBrowser, ensureWebBuilt, launchChromium, submitStaffLogin, clickMapAt } from '../support/browser.js';
import { waitForMapReady } from '../support/page-wait.js';
import { startTestServer, type TestServer } from '../support/server.js';

interface LatLon { lat: number; lon: number }
interface Unit { id: string; callsign: string; shiftState: string }
interface AlertView { id: string; status: string; quadrant: { id: string; sector: string; alcaldia: string } | null; nextDeadlineAt: string | null }

/** The slice of the page's test hook these tests use (the root tsconfig has no DOM types). */
interface PageGlobals {
  __cuadrante: {
    mapReady: boolean;
    map: {
      jumpTo(options: { center: [number, number]; zoom: number }): void;
      once(event: 'idle', listener: () => void): void;
      triggerRepaint(): void;
      project(lngLat: [number, number]): { x: number; y: number };
      queryRenderedFeatures(options: { layers: string[] }): Array<{ properties: Record<string, unknown> }>;
    };
  };
}

const HOME = 'P-1.4.8'; // San Ángel, Álvaro Obregón: both units' quadrant, where the citizen presses the button
const CALLED_FROM = 'C-2.5.2'; // Tlatelolco, Cuauhtémoc: where the phone call comes from
const PASSWORD = 'correct horse battery staple';
const DISPATCHER = 'despacho.turno1';
const DESKTOP = { viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 };

describeInBrowser('operations console: /centro', () => {
  let server: TestServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let onDuty: Unit; // on shift in HOME, paged first
  let offDuty: Unit; // the one the dispatcher assigns
  let officerToken: string; // signs in to offDuty
  let citizenAlert: AlertView;
  let home: LatLon;
  let calledFrom: LatLon;

  beforeAll(async () => {
    await ensureWebBuilt();
    [server, browser] = await Promise.all([
      // Behind a (simulated) proxy on loopback: API calls may come from networks of their own.
      startTestServer({ config: { ackTimeoutMs: 20_000, escalateAfterMs: 60_000, trustProxy: ['127.0.0.1', '::1'] } }),
      launchChromium(),
    ]);
    const admin = await server.adminToken();
    await call(server, 'POST', '/api/v1/users', admin, { username: DISPATCHER, password: PASSWORD, role: 'dispatcher' }, 201);
    onDuty = await call<Unit>(server, 'POST', '/api/v1/units', admin,
      { callsign: 'P-148-A', type: 'car', quadrantIds: [HOME], username: 'oficial.a', password: PASSWORD }, 201);
    offDuty = await call<Unit>(server, 'POST', '/api/v1/units', admin,
      { callsign: 'P-148-B', type: 'motorcycle', quadrantIds: [HOME], username: 'oficial.b', password: PASSWORD }, 201);
    const officerA = await signIn(server, 'oficial.a');
    await call(server, 'PUT', `/api/v1/units/${onDuty.id}/shift`, officerA, { state: 'available' }, 200);
    officerToken = await signIn(server, 'oficial.b');
    [home, calledFrom] = await Promise.all([interiorPoint(server, HOME), interiorPoint(server, CALLED_FROM)]);

    context = await browser.newContext(DESKTOP);
    page = await context.newPage();
    page.on('pageerror', (err) => console.error('[page error]', err));
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await server?.close();
  });

  it('signs a dispatcher in and shows the live map, an empty queue and the KPIs', async () => {
    await page.goto(server.url + '/centro');
    await submitStaffLogin(page, DISPATCHER, 'not the password');
    await expect.poll(() => page.getByTestId('login-error').textContent()).toBe('Usuario o contraseña incorrectos');

    await submitStaffLogin(page, DISPATCHER, PASSWORD);
    await waitForMapReady(page);
    await expect.poll(() => page.getByTestId('connection').getAttribute('data-state')).toBe('connected');
    expect(await page.getByTestId('queue-empty').textContent()).toBe('No hay alertas abiertas.');
    expect(await page.getByTestId('kpi-city-alerts').textContent()).toBe('0');
    expect(await page.getByTestId('kpi-empty').isVisible()).toBe(true);
    // Both units are drawn at their quadrant's centroid.
    await expect.poll(() => renderedFeatureCount(page, 'unit-points')).toBe(2);
  });

  it('shows a citizen alert within a second, with a countdown to its next escalation', async () => {
    const device = await call<{ token: string }>(server, 'POST', '/api/v1/devices', null, undefined, 201);
    citizenAlert = await call<AlertView>(server, 'POST', '/api/v1/alerts', device.token,
      { ...home, kind: 'robbery' }, 201, { 'idempotency-key': 'console-test-citizen-1' });
    expect(citizenAlert.quadrant?.id).toBe(HOME);

    const row = queueRow(page, citizenAlert.id);
    await row.waitFor({ timeout: 1000 });
    expect(await row.getByTestId('row-quadrant').textContent()).toBe(HOME);
    expect(await row.getByTestId('row-kind').textContent()).toBe('Robo');
    expect(await row.getByTestId('paged-units').textContent()).toBe(onDuty.callsign);
    expect(await row.getAttribute('data-status')).toBe('paging');

    const countdown = row.getByTestId('countdown');
    const first = Number(await countdown.getAttribute('data-seconds'));
    expect(first).toBeGreaterThan(10);
    expect(first).toBeLessThanOrEqual(20);
    expect(await countdown.textContent()).toMatch(/Anillo 2 en \d:\d\d/);
    await expect.poll(async () => Number(await countdown.getAttribute('data-seconds')), { timeout: 3000 }).toBeLessThan(first);
    await expect.poll(() => renderedFeatureCount(page, 'alert-points')).toBe(1);
  });

  it('records an alert from a phone call placed with a click on the map', async () => {
    await page.getByTestId('new-alert-open').click();
    await clickMapAt(page, calledFrom);
    await expect.poll(() => page.getByTestId('new-alert-lat').inputValue()).not.toBe('');
    const lat = Number(await page.getByTestId('new-alert-lat').inputValue());
    const lon = Number(await page.getByTestId('new-alert-lon').inputValue());
    expect(Math.abs(lat - calledFrom.lat)).toBeLessThan(0.0002); // a pixel at zoom 15 is ~5 m
    expect(Math.abs(lon - calledFrom.lon)).toBeLessThan(0.0002);

    await page.getByTestId('new-alert-address').fill('Eje Central Lázaro Cárdenas y Flores Magón, frente al metro');
    await page.getByTestId('new-alert-kind').selectOption('violence');
    await page.getByTestId('new-alert-note').fill('La persona que llama escucha una pelea en la calle');
    await page.getByTestId('new-alert-submit').click();

    // The new alert is selected and queued. Nobody covers Tlatelolco and the only unit on duty is
    // ~13 km away (beyond ring 2's 5 km cap), so it goes to 911 at once and tops the queue.
    const detail = page.getByTestId('detail');
    await expect.poll(() => detail.getByTestId('detail-quadrant').textContent()).toBe(CALLED_FROM);
    expect(await detail.getByTestId('detail-address').textContent()).toContain('Eje Central');
    const phoneAlertId = (await detail.getAttribute('data-alert-id'))!;
    const row = queueRow(page, phoneAlertId);
    await row.waitFor({ timeout: 1000 });
    expect(await row.getByTestId('row-kind').textContent()).toBe('Violencia');
    expect(await row.getAttribute('data-status')).toBe('escalated');
    // Escalated before a paging one.
    expect(await queueIds(page)).toEqual([phoneAlertId, citizenAlert.id]);
    await expect.poll(() => renderedFeatureCount(page, 'alert-points')).toBe(2);
  });

  it('selects an alert clicked on the map, and assigns it to a unit picked from the list', async () => {
    await clickMapAt(page, home);
    await expect.poll(() => page.getByTestId('detail').getAttribute('data-alert-id')).toBe(citizenAlert.id);
    expect(await queueRow(page, citizenAlert.id).locator('button').first().getAttribute('aria-pressed')).toBe('true');
    // Available units first, then the rest.
    const options = page.getByTestId('unit-option');
    await expect.poll(() => options.evaluateAll((els) => els.map((e) => e.getAttribute('data-callsign')))).toEqual([onDuty.callsign, offDuty.callsign]);
    expect(await options.first().getAttribute('data-state')).toBe('available');
    expect(await options.first().textContent()).toMatch(/a [\d.,]+ k?m/);

    await page.locator(`[data-testid="unit-option"][data-callsign="${offDuty.callsign}"] [data-testid="assign-unit"]`).click();
    const row = queueRow(page, citizenAlert.id);
    await expect.poll(() => row.getAttribute('data-status')).toBe('acknowledged');
    expect(await row.getByTestId('assigned-unit').textContent()).toBe(offDuty.callsign);
    expect(await row.getByTestId('countdown').count()).toBe(0); // a human has it: the clock stopped
    await expect.poll(() => page.getByTestId('detail-unit').textContent()).toBe(offDuty.callsign);
    await expect.poll(() => page.locator('[data-testid="event"][data-type="assigned"]').count()).toBe(1);
  });

  it('follows the unit through en route, on scene and resolved, and the KPIs reflect it', async () => {
    for (const body of [{ action: 'en_route' }, { action: 'on_scene' }, { action: 'resolve', outcome: 'attended' }]) {
      await call(server, 'POST', `/api/v1/alerts/${citizenAlert.id}/actions`, officerToken, body, 200);
    }
    // Closed alerts leave the queue; the selected one stays on screen with its whole log.
    await expect.poll(() => queueRow(page, citizenAlert.id).count()).toBe(0);
    await expect.poll(() => page.getByTestId('detail').getAttribute('data-status')).toBe('resolved');
    expect(await page.getByTestId('detail-outcome').textContent()).toBe('Atendida');
    await expect.poll(() => page.getByTestId('event').evaluateAll((els) => els.map((e) => e.getAttribute('data-type'))))
      .toEqual(['created', 'page', 'assigned', 'en_route', 'on_scene', 'resolve']);

    // Refreshed shortly after the alert changes (debounced).
    await expect.poll(() => page.getByTestId('kpi-city-onscene').textContent(), { timeout: 5000 }).toBe('1');
    expect(await page.getByTestId('kpi-city-alerts').textContent()).toBe('2');
    expect(await page.getByTestId('kpi-city-within').textContent()).toMatch(/^100\s?%$/);
    const sector = page.locator(`[data-testid="kpi-row"][data-group="${citizenAlert.quadrant!.sector}"]`);
    expect(await sector.getByTestId('kpi-alerts').textContent()).toBe('1');
    expect(await sector.getByTestId('kpi-onscene').textContent()).toBe('1');
    expect(await sector.getByTestId('kpi-within').textContent()).toMatch(/^100\s?%$/);

    await page.getByTestId('kpi-by-alcaldia').click();
    await expect.poll(() => page.locator(`[data-testid="kpi-row"][data-group="${citizenAlert.quadrant!.alcaldia}"] [data-testid="kpi-onscene"]`).textContent()).toBe('1');

    // Leave the remaining alert selected for the screenshot.
    await page.getByTestId('queue-row').first().locator('button').first().click();
    await page.waitForTimeout(400);
    await page.screenshot({ path: '/tmp/console.png' });
  });

  it('switches to English', async () => {
    await page.getByTestId('lang-toggle').click();
    await expect.poll(() => page.getAttribute('html', 'lang')).toBe('en');
    expect(await page.getByTestId('kpi-by-alcaldia').textContent()).toBe('By borough');
    expect(await page.locator('#queue-title').textContent()).toContain('Open alerts');
    expect(await page.getByTestId('queue-row').first().getByTestId('status').textContent()).toMatch(/^(Paging|Escalated to 911)$/);
    await page.getByTestId('lang-toggle').click();
    await expect.poll(() => page.getAttribute('html', 'lang')).toBe('es');
  });

  it('says it is reconnecting while offline, and catches up from the snapshot afterwards', async () => {
    await context.setOffline(true);
    await expect.poll(() => page.getByTestId('reconnecting').isVisible()).toBe(true);
    const device = await call<{ token: string }>(server, 'POST', '/api/v1/devices', null, undefined, 201);
    const missed = await call<AlertView>(server, 'POST', '/api/v1/alerts', device.token, { ...home, kind: 'followed' }, 201,
      { 'idempotency-key': 'console-test-citizen-2' });
    await page.waitForTimeout(300);
    expect(await queueRow(page, missed.id).count()).toBe(0);
    await context.setOffline(false);
    await expect.poll(() => page.getByTestId('connection').getAttribute('data-state'), { timeout: 10_000 }).toBe('connected');
    await queueRow(page, missed.id).waitFor({ timeout: 2000 });
    expect(await page.getByTestId('reconnecting').count()).toBe(0);
  });

  it('puts an alert "cancelled" with the duress PIN at the top of the queue, marked', async () => {
    const device = await call<{ token: string }>(server, 'POST', '/api/v1/devices', null, undefined, 201);
    await call(server, 'PUT', '/api/v1/devices/me/pins', device.token, { cancelPin: '1234', duressPin: '9876' }, 204);
    const alert = await call<AlertView>(server, 'POST', '/api/v1/alerts', device.token, { ...home, kind: 'extortion' }, 201,
      { 'idempotency-key': 'console-test-citizen-3' });
    const seen = await call<AlertView>(server, 'POST', `/api/v1/alerts/${alert.id}/actions`, device.token, { action: 'cancel', pin: '9876' }, 200);
    expect(seen.status).toBe('cancelled'); // what the phone shows

    const row = queueRow(page, alert.id);
    await expect.poll(() => row.getAttribute('data-duress')).toBe('true');
    expect(await row.getByTestId('duress').textContent()).toBe('Bajo coacción');
    expect((await queueIds(page))[0]).toBe(alert.id);
    await expect.poll(() => renderedFeatureCount(page, 'alert-duress-halo')).toBe(1);
    await page.screenshot({ path: '/tmp/console-duress.png' });
  });

  it('shows an alert held as a possible flood first, marked, and a dispatcher confirms it', async () => {
    // A network that registered more devices this hour than the city allows: its next device is on
    // probation, so its alert is stored and shown here but pages nobody until a dispatcher confirms.
    const flooding = (i: number) => ({ 'x-forwarded-for': `10.9.9.${i % 250}` });
    let device = { token: '' };
    for (let i = 0; i <= server.config.devicesPerNetworkHour; i++) device = await call<{ token: string }>(server, 'POST', '/api/v1/devices', null, undefined, 201, flooding(i));
    const phoneSees = await call<{ id: string; status: string; review: boolean }>(server, 'POST', '/api/v1/alerts', device.token, { ...home, kind: 'robbery' }, 201,
      { 'idempotency-key': 'console-test-held-1', ...flooding(99) });
    expect(phoneSees).toMatchObject({ status: 'new', review: true });

    const row = queueRow(page, phoneSees.id);
    await row.waitFor({ timeout: 2000 });
    expect((await queueIds(page))[0]).toBe(phoneSees.id); // first: nobody else will act on it
    expect(await row.getAttribute('data-hold')).toBe('saturation');
    expect(await row.getByTestId('hold').textContent()).toBe('Posible saturación');
    expect(await row.getByTestId('paged-units').textContent()).toBe('ninguna unidad');
    expect(await row.getByTestId('countdown').count()).toBe(0); // no escalation clock runs
    await page.getByTestId('lang-toggle').click();
    await expect.poll(() => page.getAttribute('html', 'lang')).toBe('en');
    expect(await row.getByTestId('hold').textContent()).toBe('Possible flood');
    await page.getByTestId('lang-toggle').click();
    await expect.poll(() => page.getAttribute('html', 'lang')).toBe('es');

    await row.locator('button').first().click();
    const detail = page.getByTestId('detail');
    await expect.poll(() => detail.getAttribute('data-alert-id')).toBe(phoneSees.id);
    expect(await detail.getByTestId('hold-hint').textContent()).toContain('no se avisó a ninguna unidad');
    await page.screenshot({ path: '/tmp/console-held.png' });
    await detail.getByTestId('action-confirm').click();
    // Confirmed: the quadrant's unit is paged now, the escalation clock starts, the mark goes.
    await expect.poll(() => row.getAttribute('data-status')).toBe('paging');
    expect(await row.getAttribute('data-hold')).toBe('');
    expect(await row.getByTestId('hold').count()).toBe(0);
    // Both of the quadrant's units are on shift by now (the assigned one was freed when its alert closed).
    expect((await row.getByTestId('paged-units').textContent())!.split(', ').sort()).toEqual([onDuty.callsign, offDuty.callsign].sort());
    await expect.poll(() => row.getByTestId('countdown').count()).toBe(1);
    expect(await detail.getByTestId('action-confirm').count()).toBe(0);
    await expect.poll(() => page.locator('[data-testid="event"][data-type="confirm"]').count()).toBe(1);
    await call(server, 'POST', `/api/v1/alerts/${phoneSees.id}/actions`, await server.adminToken(), { action: 'cancel' }, 200);
    await expect.poll(() => row.count()).toBe(0);
    await detail.getByTestId('detail-close').click(); // a selected alert stays on the map even once closed
  });

  it('keeps up with a flood of alerts, redrawing the map a few times a second at most', async () => {
    const admin = await server.adminToken();
    await page.evaluate(() => {
      const { map } = (globalThis as unknown as PageGlobals).__cuadrante;
      const source = (map as unknown as { getSource(id: string): { setData(d: unknown): unknown } }).getSource('alerts');
      const original = source.setData.bind(source);
      const g = globalThis as unknown as { __setData: number };
      g.__setData = 0;
      source.setData = (d: unknown) => { g.__setData += 1; return original(d); };
    });
    const before = (await queueIds(page)).length;
    const FLOOD = 60;
    const started = Date.now();
    await Promise.all(Array.from({ length: FLOOD }, (_, i) => call(server, 'POST', '/api/v1/alerts', admin,
      { lat: home.lat + (i % 10) * 0.002, lon: home.lon + Math.floor(i / 10) * 0.002, kind: 'other', address: `Flood ${i}` }, 201,
      { 'idempotency-key': `console-flood-${i}` })));
    await expect.poll(() => page.getByTestId('queue-count').textContent(), { timeout: 5000 }).toBe(String(before + FLOOD));
    const elapsedMs = Date.now() - started;
    const calls = await page.evaluate(() => (globalThis as unknown as { __setData: number }).__setData);
    // Each alert produces at least two realtime messages; the map is updated ~4×/s at most.
    console.info(`[flood] ${FLOOD} alerts in ${elapsedMs} ms, ${calls} map updates`);
    expect(calls).toBeGreaterThan(0);
    expect(calls).toBeLessThanOrEqual(Math.ceil(elapsedMs / 250) + 2);
    await expect.poll(() => renderedFeatureCount(page, 'alert-points')).toBe(before + FLOOD);
  });

  it('stays signed in across a reload, and signing out revokes the token', async () => {
    const count = await page.getByTestId('queue-count').textContent();
    await page.reload();
    await waitForMapReady(page);
    await expect.poll(() => page.getByTestId('queue-count').textContent()).toBe(count);
    const token = await page.evaluate(() => {
      const { sessionStorage: storage } = globalThis as unknown as { sessionStorage: { getItem(key: string): string | null } };
      return (JSON.parse(storage.getItem('cuadrante.console.session') ?? '{}') as { token?: string }).token;
    });
    expect(token).toMatch(/^cq_[\w-]{43}$/); // a session token (src/accounts/passwords.ts newToken)
    await page.getByTestId('sign-out').click();
    await page.getByTestId('login-form').waitFor();
    await call(server, 'GET', '/api/v1/alerts', token!, undefined, 401);
  });
});

const queueRow = (page: Page, alertId: string) => page.locator(`[data-testid="queue-row"][data-alert-id="${alertId}"]`);

const queueIds = (page: Page) => page.getByTestId('queue-row').evaluateAll((els) => els.map((e) => e.getAttribute('data-alert-id')));

async function call<T = unknown>(
  server: TestServer, method: string, path: string, token: string | null, body: unknown, expected: number, headers: Record<string, string> = {},
): Promise<T> {
  const res = await fetch(server.url + path, {
    method,
    headers: {
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  expect(res.status, `${method} ${path}: ${text}`).toBe(expected);
  return (text ? JSON.parse(text) : undefined) as T;
}

async function signIn(server: TestServer, username: string): Promise<string> {
  return (await call<{ token: string }>(server, 'POST', '/api/v1/auth/login', null, { username, password: PASSWORD }, 200)).token;
}

async function interiorPoint(server: TestServer, id: string): Promise<LatLon> {
  const feature = await call<{ properties: { interiorPoint: LatLon } }>(server, 'GET', `/api/v1/quadrants/${id}`, null, undefined, 200);
  return feature.properties.interiorPoint;
}


/** Features of a layer drawn in the current view, after the map has settled. */
function renderedFeatureCount(page: Page, layer: string): Promise<number> {
  return page.evaluate((layer) => new Promise<number>((resolve) => {
    const { map } = (globalThis as unknown as PageGlobals).__cuadrante;
    map.jumpTo({ center: [-99.1332, 19.4326], zoom: 10 }); // the whole city
    map.once('idle', () => resolve(map.queryRenderedFeatures({ layers: [layer] }).length));
    map.triggerRepaint();
  }), layer);
}
