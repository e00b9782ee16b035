// Patrol units on the operations console (/centro) in a real Chromium at 1280×800, against the
// real server: an admin registers a unit and its GPS tracker from the units panel, watches both
// units move live as a fleet gateway (batch) and a Traccar Client (OsmAnd) report, sees a unit
// that stays out of its quadrant flagged and one that goes quiet greyed out, and clicks a unit
// to read its details and its trail. A dispatcher sees the same units, read-only.
import { request as httpRequest } from 'node:http';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeInBrowser, ensureWebBuilt, launchChromium, submitStaffLogin, clickMapAt } from '../support/browser.js';
import { waitForMapReady } from '../support/page-wait.js';
import { startTestServer, type TestServer } from '../support/server.js';

interface LatLon { lat: number; lon: number }
interface Unit { id: string; callsign: string; type: string; phone: string | null; quadrantIds: string[] }
interface Fix extends LatLon { at: number }
interface UnitFeature extends LatLon { noSignal: boolean; located: boolean; outside: boolean; arrow: boolean }

/** The slice of the page's test hook these tests use (the root tsconfig has no DOM types). */
interface PageGlobals {
  __cuadrante: {
    map: {
      jumpTo(options: { center: [number, number]; zoom: number }): void;
      once(event: 'idle', listener: () => void): void;
      triggerRepaint(): void;
      project(lngLat: [number, number]): { x: number; y: number };
      queryRenderedFeatures(options: { layers: string[] }): Array<{ properties: Record<string, unknown> }>;
      getSource(id: string): { getData(): Promise<{ features: Array<{ geometry: { type: string; coordinates: unknown }; properties: Record<string, unknown> }> }> };
    };
  };
}

const HOME = 'P-1.4.8'; // San Ángel, Álvaro Obregón: both units' quadrant
const PASSWORD = 'correct horse battery staple';
const DISPATCHER = 'despacho.unidades';
const TRACKER = '48241179'; // a Traccar Client's device identifier
const DESKTOP = { viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 };
const NO_SIGNAL_MS = 3000;
const GEOFENCE_ALLOWANCE_MS = 3000;
const KNOTS_PER_MPS = 1.943844;

describeInBrowser('operations console: patrol units', () => {
  let server: TestServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let admin: string;
  let car: Unit; // created through the API, reports through the batch endpoint
  let moto: Unit; // created in the units panel, reports through its Traccar Client
  let home: LatLon;
  let centroid: LatLon;
  const carFixes: Fix[] = [];
  const motoFixes: Fix[] = [];
  let motoStep = 0;

  beforeAll(async () => {
    await ensureWebBuilt();
    [server, browser] = await Promise.all([
      startTestServer({ config: { noSignalMs: NO_SIGNAL_MS, geofenceAllowanceMs: GEOFENCE_ALLOWANCE_MS } }),
      launchChromium(),
    ]);
    admin = await server.adminToken();
    car = await call<Unit>(server, 'POST', '/api/v1/units', admin, { callsign: 'P-148-A', type: 'car', quadrantIds: [HOME] }, 201);
    await call(server, 'PUT', `/api/v1/units/${car.id}/shift`, admin, { state: 'available' }, 200);
    await call(server, 'POST', '/api/v1/users', admin, { username: DISPATCHER, password: PASSWORD, role: 'dispatcher' }, 201);
    const feature = await call<{ properties: { interiorPoint: LatLon; centroid: LatLon } }>(server, 'GET', `/api/v1/quadrants/${HOME}`, null, undefined, 200);
    home = feature.properties.interiorPoint;
    centroid = feature.properties.centroid;

    context = await browser.newContext(DESKTOP);
    page = await context.newPage();
    page.on('pageerror', (err) => console.error('[page error]', err));
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await server?.close();
  });

  it('signs an admin in and draws a unit that never reported at its quadrant', async () => {
    await page.goto(server.url + '/centro');
    await submitStaffLogin(page, server.config.adminUsername, server.config.adminPassword!);
    await waitForMapReady(page);
    await expect.poll(() => page.getByTestId('connection').getAttribute('data-state')).toBe('connected');
    await expect.poll(() => unitFeature(page, car.id)).toMatchObject({ located: false, noSignal: false, ...centroid });
  });

  it('creates a unit with its officer account from the units panel, showing the API’s errors', async () => {
    await page.getByTestId('units-open').click();
    const panel = page.getByTestId('units-panel');
    await expect.poll(() => panel.getByTestId('unit-row').count()).toBe(1);
    await panel.getByTestId('unit-create-open').click();
    await panel.getByTestId('unit-callsign').fill('p-148-a');
    await panel.getByTestId('unit-type').selectOption('motorcycle');
    await panel.getByTestId('unit-quadrants').fill(HOME.toLowerCase());
    await panel.getByTestId('unit-phone').fill('55 1234 5678');
    await panel.getByTestId('unit-username').fill('oficial.moto');
    await panel.getByTestId('unit-password').fill('short');
    await panel.getByTestId('unit-submit').click();
    expect(await panel.getByTestId('unit-form-error').textContent()).toBe('La contraseña necesita al menos 12 caracteres.');

    // The server refuses a callsign in use, and says so in the page's language.
    await panel.getByTestId('unit-password').fill(PASSWORD);
    await panel.getByTestId('unit-submit').click();
    await expect.poll(() => panel.getByTestId('unit-form-error').textContent()).toBe('Ya existe una unidad con el indicativo P-148-A');

    await panel.getByTestId('unit-callsign').fill('P-148-M');
    await panel.getByTestId('unit-submit').click();
    await expect.poll(() => panel.getByTestId('unit-created').textContent()).toBe('Unidad P-148-M creada.');
    const row = panel.locator('[data-testid="unit-row"][data-callsign="P-148-M"]');
    await row.waitFor({ timeout: 2000 });
    const units = await call<Unit[]>(server, 'GET', '/api/v1/units', admin, undefined, 200);
    moto = units.find((u) => u.callsign === 'P-148-M')!;
    expect(moto).toMatchObject({ type: 'motorcycle', quadrantIds: [HOME] });
    expect(moto.phone).toContain('5512345678');
    expect(await row.getAttribute('data-unit-id')).toBe(moto.id);
    const officer = await signIn(server, 'oficial.moto'); // the officer's account exists and signs in
    await call(server, 'PUT', `/api/v1/units/${moto.id}/shift`, officer, { state: 'available' }, 200);
  });

  it('edits a unit’s phone', async () => {
    const panel = page.getByTestId('units-panel');
    await panel.locator(`[data-testid="unit-row"][data-unit-id="${car.id}"] [data-testid="unit-edit"]`).click();
    await panel.getByTestId('unit-edit-phone').fill('55 8765 4321');
    await panel.getByTestId('unit-edit-save').click();
    await panel.getByTestId('unit-edit-form').waitFor({ state: 'detached' });
    const units = await call<Unit[]>(server, 'GET', '/api/v1/units', admin, undefined, 200);
    expect(units.find((u) => u.id === car.id)?.phone).toContain('5587654321');
  });

  it('registers a GPS tracker for the new unit, warns that its id is short, and shows where Traccar Client must send', async () => {
    // Meanwhile, someone on another network sweeps tracker ids (each answered 200, as a known one would be).
    for (let n = 0; n < 51; n++) expect(await osmandFrom('127.0.2.1', `id=${20_000_000 + n}&lat=${home.lat}&lon=${home.lon}`)).toBe(200);
    await expect.poll(async () => (await call<unknown[]>(server, 'GET', '/api/v1/trackers/sweeps', admin, undefined, 200)).length).toBe(1);

    const panel = page.getByTestId('units-panel');
    await panel.getByTestId('tracker-unique-id').fill(TRACKER);
    await panel.getByTestId('tracker-unit').selectOption(moto.id);
    await panel.getByTestId('tracker-label').fill('Teléfono de la moto');
    await panel.getByTestId('tracker-submit').click();
    const tracker = panel.locator(`[data-testid="tracker-row"][data-unique-id="${TRACKER}"]`);
    await tracker.waitFor({ timeout: 2000 });
    expect(await tracker.getAttribute('data-unit-id')).toBe(moto.id);
    // Traccar Client 9's default id is 8 random digits: registered, with a warning in Spanish…
    const warning = panel.locator('[data-testid="tracker-warnings"] [data-testid="tracker-warning"][data-code="TRACKER_ID_SHORT"]');
    expect(await panel.getByTestId('tracker-warnings').getAttribute('data-unique-id')).toBe(TRACKER);
    expect(await warning.textContent()).toMatch(/^El identificador tiene 8 caracteres: alguien podría encontrarlo probando/);
    // …and the sweep, as a notice (the network only by a fingerprint of its keyed hash).
    const sweep = panel.getByTestId('tracker-sweep');
    expect(await sweep.count()).toBe(1);
    expect(await sweep.textContent()).toMatch(/Una red \(huella [0-9a-f]{8}\) probó 5\d identificadores no registrados; sus envíos se rechazan hasta las \d\d:\d\d:\d\d\./);
    expect(await sweep.textContent()).not.toContain('127.0.2');
    expect(await call(server, 'GET', '/api/v1/trackers', admin, undefined, 200)).toMatchObject([{ uniqueId: TRACKER, unitId: moto.id }]);
    expect(await panel.getByTestId('traccar-main').textContent()).toBe(`${server.url}/api/v1/osmand`);

    // In English, the warnings and the server's refusal come in English.
    await page.getByTestId('lang-toggle').click();
    expect(await warning.textContent()).toMatch(/^The identifier has 8 characters: someone could find it by trying/);
    expect(await sweep.textContent()).toMatch(/^\d\d:\d\d:\d\d · A network \(fingerprint [0-9a-f]{8}\) tried 5\d unregistered identifiers/);
    await panel.getByTestId('tracker-unique-id').fill(TRACKER);
    await panel.getByTestId('tracker-unit').selectOption(car.id);
    await panel.getByTestId('tracker-submit').click();
    await expect.poll(() => panel.getByTestId('tracker-error').textContent()).toBe(`The request is not valid: tracker ${TRACKER} is already registered`);
    await page.getByTestId('lang-toggle').click();
    await panel.getByTestId('tracker-unique-id').fill('');
  });

  it('moves both units on the map within 1.5 s of each report (fleet batch and OsmAnd)', async () => {
    const latencies: number[] = [];
    for (let i = 0; i < 3; i++) {
      const started = Date.now();
      await postBatch(offset(home, -60 - 20 * i, 0));
      await postOsmAnd();
      for (const [unit, fix] of [[car, carFixes.at(-1)!], [moto, motoFixes.at(-1)!]] as const) {
        await expect.poll(() => unitFeature(page, unit.id), { timeout: 1500, interval: 50 }).toMatchObject({ located: true, noSignal: false, ...round(fix) });
      }
      latencies.push(Date.now() - started);
      await page.waitForTimeout(Math.max(0, 1000 - (Date.now() - started))); // ~20 m/s, plausible for both
    }
    console.info(`[units] report → map: ${latencies.join(', ')} ms`);
    expect((await unitFeature(page, moto.id))?.arrow).toBe(true); // the tracker reports a heading and a speed
    expect((await unitFeature(page, car.id))?.arrow).toBe(false); // the gateway sends neither: a dot
    expect(await renderedIds(page, 'unit-arrows')).toEqual([moto.id]);
    expect((await renderedIds(page, 'unit-points')).sort()).toEqual([car.id, moto.id].sort());
  });

  it('tells the dispatcher when a unit stays out of its quadrant too long', async () => {
    const motoTicker = keepReporting();
    try {
      // The car drives west out of its quadrant, at a plausible speed, and stays out.
      const last = carFixes.at(-1)!;
      const outside = offset(home, -290, 0);
      const located = await call<{ quadrant: { id: string } | null }>(server, 'GET', `/api/v1/locate?lat=${outside.lat}&lon=${outside.lon}`, null, undefined, 200);
      expect(located.quadrant?.id).not.toBe(HOME);
      await waitUntil(last.at + (distanceM(last, outside) / 40) * 1000);
      await postBatch(outside);
      await page.waitForTimeout(GEOFENCE_ALLOWANCE_MS + 200);
      await postBatch(offset(home, -300, 0));

      const notice = page.locator(`[data-testid="geofence-notice"][data-unit-id="${car.id}"]`);
      await notice.waitFor({ timeout: 5000 });
      console.info(`[units] geofence notice ${Date.now() - carFixes.at(-1)!.at} ms after the fix that caused it`);
      expect(await notice.textContent()).toContain(`P-148-A lleva demasiado tiempo fuera de sus cuadrantes (ahora en ${located.quadrant?.id})`);
      await expect.poll(() => unitFeature(page, car.id)).toMatchObject({ outside: true, ...round(offset(home, -300, 0)) });
      await expect.poll(() => page.locator(`[data-testid="unit-row"][data-unit-id="${car.id}"]`).getAttribute('data-outside')).toBe('true');
    } finally {
      await motoTicker.stop();
    }
  });

  it('greys out a unit that stops reporting, after the no-signal threshold, while the other stays live', async () => {
    const motoTicker = keepReporting();
    try {
      const lastAt = carFixes.at(-1)!.at; // the car has stopped reporting
      await waitUntil(lastAt + NO_SIGNAL_MS - 800);
      expect((await unitFeature(page, car.id))?.noSignal).toBe(false); // not before the threshold
      // Normally 3–5 s: the threshold, plus up to one re-read of the positions (see fleet.ts).
      await expect.poll(async () => (await unitFeature(page, car.id))?.noSignal, { timeout: 10_000, interval: 100 }).toBe(true);
      console.info(`[units] no signal shown ${Date.now() - lastAt} ms after the last fix (threshold ${NO_SIGNAL_MS} ms)`);
      await expect.poll(() => page.locator(`[data-testid="unit-row"][data-unit-id="${car.id}"]`).getAttribute('data-no-signal')).toBe('true');
      expect(await unitFeature(page, moto.id)).toMatchObject({ noSignal: false, arrow: true });
    } finally {
      await motoTicker.stop();
    }
  });

  it('shows a unit chosen in the list: no signal, outside, and its trail', async () => {
    await page.locator(`[data-testid="unit-row"][data-unit-id="${car.id}"] [data-testid="unit-select"]`).click();
    const detail = page.getByTestId('unit-detail');
    await expect.poll(() => detail.getAttribute('data-unit-id')).toBe(car.id);
    expect(await detail.getByTestId('unit-no-signal').textContent()).toBe('Sin señal');
    expect(await detail.getByTestId('unit-outside').textContent()).toBe('Fuera de cuadrante');
    await expect.poll(() => detail.getByTestId('trail-count').getAttribute('data-points')).toBe(String(carFixes.length));
    // The map's sources are updated at most 4×/s: the panel can be a frame ahead of the map.
    await expect.poll(() => trailOnMap(page)).toEqual(carFixes.map(round));
    await detail.getByTestId('unit-detail-back').click();
    await page.getByTestId('units-panel').waitFor();
  });

  it('selects a unit clicked on the map and draws its last hour, extended live', async () => {
    await clickMapAt(page, motoFixes.at(-1)!, 16);
    const detail = page.getByTestId('unit-detail');
    await expect.poll(() => detail.getAttribute('data-unit-id')).toBe(moto.id);
    expect(await detail.getByTestId('unit-detail-callsign').textContent()).toBe('P-148-M');
    expect(await detail.getByTestId('unit-type').textContent()).toBe('Moto');
    expect(await detail.getByTestId('unit-quadrant').textContent()).toBe(HOME);
    expect(await detail.getByTestId('unit-speed').textContent()).toMatch(/^\d+ km\/h$/);
    expect(await detail.getByTestId('unit-last-fix').textContent()).toMatch(/^hace \d:\d\d/);
    await expect.poll(() => detail.getByTestId('trail-count').getAttribute('data-points')).toBe(String(motoFixes.length));
    await expect.poll(() => trailOnMap(page)).toEqual(motoFixes.map(round));

    await page.waitForTimeout(1000);
    await postOsmAnd();
    await expect.poll(() => detail.getByTestId('trail-count').getAttribute('data-points'), { timeout: 1500 }).toBe(String(motoFixes.length));
    await expect.poll(() => trailOnMap(page)).toEqual(motoFixes.map(round));

    await page.evaluate(() => {
      const { map } = (globalThis as unknown as PageGlobals).__cuadrante;
      map.jumpTo({ center: [-99.2105, 19.3293], zoom: 16 });
    });
    await page.waitForTimeout(600);
    await page.screenshot({ path: '/tmp/console-units.png' });
  });

  it('shows a dispatcher the same units, read-only', async () => {
    const other = await browser.newContext(DESKTOP);
    try {
      const p = await other.newPage();
      await p.goto(server.url + '/centro');
      await submitStaffLogin(p, DISPATCHER, PASSWORD);
      await p.getByTestId('units-open').click();
      const panel = p.getByTestId('units-panel');
      await expect.poll(() => panel.getByTestId('unit-row').count()).toBe(2);
      expect(await panel.getByTestId('units-read-only').isVisible()).toBe(true);
      expect(await panel.getByTestId('unit-create-open').count()).toBe(0);
      expect(await panel.getByTestId('unit-edit').count()).toBe(0);
      expect(await panel.getByTestId('tracker-form').count()).toBe(0);
      await expect.poll(() => panel.locator(`[data-testid="unit-row"][data-unit-id="${car.id}"]`).getAttribute('data-no-signal')).toBe('true');
    } finally {
      await other.close();
    }
  });

  it('keeps up with a thousand moving units: one map update per 250 ms at most, no long stalls', async () => {
    const quadrants = await call<{ features: Array<{ properties: { id: string; centroid: LatLon } }> }>(server, 'GET', '/api/v1/quadrants?simplify=1000', null, undefined, 200);
    const FLEET = 1000;
    const created: Array<{ id: string; at: LatLon }> = [];
    for (let i = 0; i < FLEET; i += 50) {
      created.push(...await Promise.all(Array.from({ length: Math.min(50, FLEET - i) }, async (_, j) => {
        const q = quadrants.features[(i + j) % quadrants.features.length]!.properties;
        const unit = await call<Unit>(server, 'POST', '/api/v1/units', admin, { callsign: `F-${i + j}`, type: 'car', quadrantIds: [q.id] }, 201);
        return { id: unit.id, at: q.centroid };
      })));
    }
    await page.getByTestId('units-open').click(); // the list of every unit stays open meanwhile
    await expect.poll(() => page.getByTestId('unit-row').count(), { timeout: 5000 }).toBe(FLEET + 2);
    await page.evaluate(() => {
      const g = globalThis as unknown as { __setData: number; __longTasks: number[]; PerformanceObserver: new (cb: (list: { getEntries(): Array<{ duration: number }> }) => void) => { observe(o: object): void } };
      const source = (g as unknown as PageGlobals).__cuadrante.map.getSource('units') as unknown as { setData(d: unknown): unknown };
      const original = source.setData.bind(source);
      g.__setData = 0;
      g.__longTasks = [];
      source.setData = (d: unknown) => { g.__setData += 1; return original(d); };
      new g.PerformanceObserver((list) => { for (const e of list.getEntries()) g.__longTasks.push(e.duration); }).observe({ type: 'longtask', buffered: false });
    });
    const ROUNDS = 5;
    const last = created.at(-1)!;
    const lastAt = (round: number) => offset(last.at, 15 * round, ((FLEET - 1) % 7) * 3);
    const started = Date.now();
    for (let round = 1; round <= ROUNDS; round++) {
      // The last unit must still be drawn where the previous round put it, so the poll after the
      // last round waits for that round's update rather than finding it already there.
      if (round === ROUNDS) await expect.poll(() => unitFeature(page, last.id), { timeout: 3000 }).toMatchObject({ located: true, ...lastAt(round - 1) });
      const at = Date.now();
      const positions = created.map((u, k) => ({ unitId: u.id, at, ...offset(u.at, 15 * round, (k % 7) * 3) }));
      await call(server, 'POST', '/api/v1/positions/batch', admin, { positions }, 200);
      if (round < ROUNDS) await page.waitForTimeout(Math.max(0, round * 1000 - (Date.now() - started)));
    }
    await expect.poll(() => unitFeature(page, last.id), { timeout: 3000 }).toMatchObject({ located: true, ...lastAt(ROUNDS) });
    const elapsedMs = Date.now() - started;
    const { calls, longTasks } = await page.evaluate(() => {
      const g = globalThis as unknown as { __setData: number; __longTasks: number[] };
      return { calls: g.__setData, longTasks: g.__longTasks };
    });
    console.info(`[units] ${FLEET} units × ${ROUNDS} rounds in ${elapsedMs} ms: ${calls} map updates; long tasks ${longTasks.map(Math.round).join(', ') || 'none'} ms`);
    expect(calls).toBeLessThanOrEqual(Math.ceil(elapsedMs / 250) + 2);
    expect(Math.max(0, ...longTasks)).toBeLessThan(500);
  }, 60_000);

  /** A fleet gateway reports the car. */
  async function postBatch(p: LatLon): Promise<void> {
    const fix = { ...round(p), at: Date.now() };
    await call(server, 'POST', '/api/v1/positions/batch', admin, { positions: [{ unitId: car.id, ...fix }] }, 200);
    carFixes.push(fix);
  }

  /** The motorbike's Traccar Client reports the next point of a 30 m circle, with speed and bearing. */
  async function postOsmAnd(): Promise<void> {
    const next = round(circlePoint(offset(home, 60, 0), 30, motoStep++));
    const previous = motoFixes.at(-1);
    const fix = { ...next, at: Date.now() };
    const speed = previous ? distanceM(previous, next) / Math.max(0.5, (fix.at - previous.at) / 1000) : 0;
    const query = new URLSearchParams({
      id: TRACKER, timestamp: String(fix.at), lat: String(next.lat), lon: String(next.lon),
      speed: (speed * KNOTS_PER_MPS).toFixed(2), bearing: previous ? bearing(previous, next).toFixed(1) : '0', accuracy: '8',
    });
    const res = await fetch(`${server.url}/api/v1/osmand?${query}`, { method: 'POST' });
    expect(res.status).toBe(200);
    motoFixes.push(fix);
  }

  /** One OsmAnd request to the main server from another local address (so another network); its status. */
  function osmandFrom(localAddress: string, query: string): Promise<number> {
    const { port } = new URL(server.url);
    return new Promise((ok, fail) => {
      const req = httpRequest({ host: '127.0.0.1', port, localAddress, method: 'POST', path: `/api/v1/osmand?${query}` }, (res) => {
        res.resume();
        res.on('end', () => ok(res.statusCode ?? 0));
      });
      req.on('error', fail);
      req.end();
    });
  }

  /** The motorbike goes on reporting every second until stopped. */
  function keepReporting(): { stop(): Promise<void> } {
    let running: Promise<void> = Promise.resolve();
    const timer = setInterval(() => { running = running.then(postOsmAnd); }, 1000);
    return { stop: async () => { clearInterval(timer); await running; } };
  }
});

async function call<T = unknown>(server: TestServer, method: string, path: string, token: string | null, body: unknown, expected: number): Promise<T> {
  const res = await fetch(server.url + path, {
    method,
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  expect(res.status, `${method} ${path}: ${text}`).toBe(expected);
  return (text ? JSON.parse(text) : undefined) as T;
}

async function signIn(server: TestServer, username: string): Promise<string> {
  return (await call<{ token: string }>(server, 'POST', '/api/v1/auth/login', null, { username, password: PASSWORD }, 200)).token;
}

// ——— geometry: metres east/north of a point, good enough over a few hundred metres ———

const M_PER_DEG = 111_320;
const rad = (d: number) => (d * Math.PI) / 180;

function offset(p: LatLon, eastM: number, northM: number): LatLon {
  return { lat: p.lat + northM / M_PER_DEG, lon: p.lon + eastM / (M_PER_DEG * Math.cos(rad(p.lat))) };
}

const circlePoint = (centre: LatLon, radiusM: number, step: number): LatLon =>
  offset(centre, radiusM * Math.cos(rad(step * 45)), radiusM * Math.sin(rad(step * 45)));

function distanceM(a: LatLon, b: LatLon): number {
  const x = (b.lon - a.lon) * M_PER_DEG * Math.cos(rad((a.lat + b.lat) / 2));
  const y = (b.lat - a.lat) * M_PER_DEG;
  return Math.hypot(x, y);
}

function bearing(a: LatLon, b: LatLon): number {
  const x = (b.lon - a.lon) * Math.cos(rad((a.lat + b.lat) / 2));
  return ((Math.atan2(x, b.lat - a.lat) * 180) / Math.PI + 360) % 360;
}

const round = (p: LatLon): LatLon => ({ lat: Number(p.lat.toFixed(6)), lon: Number(p.lon.toFixed(6)) });

const waitUntil = async (t: number) => { if (t > Date.now()) await new Promise((r) => setTimeout(r, t - Date.now())); };

// ——— reading the map back ———

/** A unit's feature in the map's `units` source: where it is drawn and how. */
function unitFeature(page: Page, unitId: string): Promise<UnitFeature | null> {
  return page.evaluate(async (id) => {
    const { map } = (globalThis as unknown as PageGlobals).__cuadrante;
    const data = await map.getSource('units').getData();
    const f = data.features.find((x) => x.properties.id === id);
    if (!f) return null;
    const [lon, lat] = f.geometry.coordinates as [number, number];
    const { noSignal, located, outside, arrow } = f.properties as { noSignal: boolean; located: boolean; outside: boolean; arrow: boolean };
    return { lat, lon, noSignal, located, outside, arrow };
  }, unitId);
}

/** The points of the trail drawn on the map (its line must join the same points). */
function trailOnMap(page: Page): Promise<LatLon[]> {
  return page.evaluate(async () => {
    const { map } = (globalThis as unknown as PageGlobals).__cuadrante;
    const data = await map.getSource('track').getData();
    const points = data.features.filter((f) => f.geometry.type === 'Point').map((f) => f.geometry.coordinates as [number, number]);
    const line = data.features.find((f) => f.geometry.type === 'LineString')?.geometry.coordinates as Array<[number, number]> | undefined;
    if (points.length > 1 && JSON.stringify(line) !== JSON.stringify(points)) throw new Error('the trail line does not join its points');
    return points.map(([lon, lat]) => ({ lat, lon }));
  });
}

/** Ids of a layer's features drawn in the current view, once the map has settled. */
function renderedIds(page: Page, layer: string): Promise<string[]> {
  return page.evaluate((layer) => new Promise<string[]>((resolve) => {
    const { map } = (globalThis as unknown as PageGlobals).__cuadrante;
    map.once('idle', () => resolve(map.queryRenderedFeatures({ layers: [layer] }).map((f) => String(f.properties.id))));
    map.triggerRepaint();
  }), layer);
}

