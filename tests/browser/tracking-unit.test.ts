// Patrol tracking from the unit page (/unidad) in a real Chromium with a fake GPS: the position
// is shared only while on duty, follows the phone when it moves, and stops when the officer goes
// off duty or signs out. The citizen whose alert the unit took sees it coming (distance, ETA, map).
import type { Browser, BrowserContext, BrowserContextOptions, Page, Request } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { PHONE, describeInBrowser, ensureWebBuilt, launchChromium } from '../support/browser.js';
import { waitForMapReady } from '../support/page-wait.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { api, interiorPoint, type LatLon } from '../support/api.js';

interface PositionRow { unitId: string; lat: number; lon: number; at: string; shiftState: string; quadrantId: string | null }
interface UnitRow { id: string; callsign: string }

const QUADRANT = 'P-1.4.8'; // San Ángel, Álvaro Obregón
const PASSWORD = 'patrulla-segura-2024';
const STEP_TIMEOUT = 10_000;
/** ~100 m of latitude. */
const STEP = 0.0009;
/** Past every timer the page's position sender can set: the 5 s send spacing and the 30 s quiet-watch re-ask (web/src/unit/positionSender.ts). */
const EVERY_SENDER_TIMER_MS = 40_000;

/** The slice of the page's navigator.geolocation these tests touch (the Node typings have no DOM). */
interface PageGeolocation {
  watchPosition(ok: unknown, fail?: unknown, options?: unknown): number;
  clearWatch(id: number): void;
  getCurrentPosition(ok: (p: { coords: { latitude: number } }) => void, fail?: (e: unknown) => void): void;
}

/** Runs in the page before its scripts: counts live geolocation watches and the position posts the page starts. */
function instrumentPage(): void {
  const g = globalThis as unknown as { __watches: Set<number>; __positionPosts: number; fetch: typeof fetch; navigator: { geolocation: PageGeolocation } };
  g.__watches = new Set();
  g.__positionPosts = 0;
  const geo = g.navigator.geolocation;
  const watch = geo.watchPosition.bind(geo);
  const clear = geo.clearWatch.bind(geo);
  geo.watchPosition = (ok, fail, options) => { const id = watch(ok, fail, options); g.__watches.add(id); return id; };
  geo.clearWatch = (id) => { g.__watches.delete(id); clear(id); };
  const send = g.fetch.bind(globalThis);
  g.fetch = (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    if ((init?.method ?? 'GET').toUpperCase() === 'POST' && /\/api\/v1\/units\/[^/]+\/positions$/.test(url)) g.__positionPosts += 1;
    return send(input, init);
  };
}

describeInBrowser('patrol tracking from the unit page', () => {
  let server: TestServer;
  let browser: Browser;
  let at: LatLon; // the quadrant's interior point: where the citizen stands
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    await ensureWebBuilt();
    [server, browser] = await Promise.all([startTestServer({ config: { ackTimeoutMs: 30_000, escalateAfterMs: 90_000 } }), launchChromium()]);
    at = await interiorPoint(server.url, QUADRANT);
  });

  afterAll(async () => {
    await Promise.all(contexts.map((c) => c.close()));
    await browser?.close();
    await server?.close();
  });

  async function newPage(options: BrowserContextOptions, opts: { fakeClock?: boolean } = {}): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ ...PHONE, ...options });
    contexts.push(context);
    // A page clock that runs in real time until a test pauses it and runs the page's timers at will.
    if (opts.fakeClock) {
      await context.clock.install();
      await context.addInitScript(instrumentPage);
    }
    const page = await context.newPage();
    page.on('pageerror', (err) => console.error('[page error]', err));
    return { context, page };
  }

  const geo = (p: LatLon) => ({ latitude: p.lat, longitude: p.lon, accuracy: 8 });
  const offset = (dLat: number, dLon: number): LatLon => ({ lat: at.lat + dLat, lon: at.lon + dLon });

  /** Every position the page posts, with when it was sent. */
  function recordPosts(page: Page): { at: number; body: Record<string, unknown> }[] {
    const posts: { at: number; body: Record<string, unknown> }[] = [];
    page.on('request', (r: Request) => {
      if (r.method() === 'POST' && /\/api\/v1\/units\/[^/]+\/positions$/.test(r.url())) posts.push({ at: Date.now(), body: r.postDataJSON() as Record<string, unknown> });
    });
    return posts;
  }

  async function signIn(page: Page, username: string, callsign: string): Promise<void> {
    await page.goto(server.url + '/unidad');
    await page.getByTestId('unit-username').fill(username);
    await page.getByTestId('unit-password').fill(PASSWORD);
    await page.getByTestId('unit-sign-in-submit').click();
    await expect.poll(() => page.getByTestId('unit-callsign').textContent()).toBe(callsign);
    await expect.poll(() => page.getByTestId('duty').getAttribute('data-state')).toBe('off_duty');
  }

  /**
   * The page has stopped sharing, proved without waiting: no geolocation watch is left, and with the
   * page's clock paused, the phone moved (and the page able to read the move), every timer the
   * sender could have set run — and no position post was started.
   */
  async function expectNothingMoreSent(context: BrowserContext, page: Page, to: LatLon): Promise<void> {
    // The watch is cleared as the on-duty view unmounts, which a loaded machine may run a frame after
    // the sign-in form shows; a watch left behind would never reach 0.
    await expect.poll(() => page.evaluate(() => (globalThis as unknown as { __watches: Set<number> }).__watches.size), { timeout: 2000 }).toBe(0);
    const posted = () => page.evaluate(() => (globalThis as unknown as { __positionPosts: number }).__positionPosts);
    const before = await posted();
    await page.clock.pauseAt(await page.evaluate(() => Date.now() + 1000));
    await context.setGeolocation(geo(to));
    // The page can read the move now, so a live watch would have been told of it too.
    expect(await page.evaluate(() => new Promise<number>((ok, fail) => (globalThis as unknown as { navigator: { geolocation: PageGeolocation } }).navigator.geolocation.getCurrentPosition((p) => ok(p.coords.latitude), fail)))).toBe(to.lat);
    await page.clock.runFor(EVERY_SENDER_TIMER_MS);
    expect(await posted()).toBe(before);
  }

  const serverPosition = async (unitId: string): Promise<PositionRow | undefined> =>
    (await api<PositionRow[]>(server, 'GET', '/api/v1/units/positions', await server.adminToken())).find((p) => p.unitId === unitId);

  async function expectServerAt(unitId: string, p: LatLon): Promise<PositionRow> {
    await expect.poll(async () => {
      const row = await serverPosition(unitId);
      return row ? [round(row.lat), round(row.lon)] : null;
    }, { timeout: STEP_TIMEOUT }).toEqual([round(p.lat), round(p.lon)]);
    return (await serverPosition(unitId))!;
  }

  it('shares the position only while on duty, follows a move, stops off duty; the citizen sees the unit come', async () => {
    const unit = await createUnit(server, 'P148-A', 'oficial.p148a');
    const start = offset(-2 * STEP, 0);
    const { context, page } = await newPage({ geolocation: geo(start), permissions: ['geolocation'] }, { fakeClock: true });
    const posts = recordPosts(page);
    await signIn(page, 'oficial.p148a', 'P148-A');

    // Off duty: nothing is sent, and the page says why.
    expect(await page.getByTestId('position-sharing').count()).toBe(0);
    expect(await page.getByTestId('duty').textContent()).toContain('ni compartes tu ubicación');
    expect(posts).toHaveLength(0);

    await page.getByTestId('duty-toggle').click();
    await expect.poll(() => page.getByTestId('duty').getAttribute('data-state')).toBe('available');
    await expect.poll(() => page.getByTestId('position-sharing').getAttribute('data-state')).toBe('sharing');
    expect(await page.getByTestId('position-sharing').textContent()).toContain('Compartiendo tu ubicación mientras estás en servicio');
    const first = await expectServerAt(unit.id, start);
    expect(first).toMatchObject({ shiftState: 'available', quadrantId: QUADRANT });
    expect(posts[0]!.body).toMatchObject({ lat: start.lat, lon: start.lon, accuracyM: 8 });
    expect(typeof posts[0]!.body.at).toBe('number');
    await page.screenshot({ path: '/tmp/unidad-sharing.png' });

    // ~100 m north: the watch reports it and the server has it within seconds.
    const moved = offset(-STEP, 0);
    await context.setGeolocation(geo(moved));
    const second = await expectServerAt(unit.id, moved);
    expect(Date.parse(second.at)).toBeGreaterThan(Date.parse(first.at));
    // A small move waits for the ~5 s spacing between sends.
    for (let i = 1; i < posts.length; i++) expect(posts[i]!.at - posts[i - 1]!.at).toBeGreaterThanOrEqual(4500);

    // A citizen in the quadrant asks for help; the unit takes it and drives closer.
    const { page: phone } = await newPage({ geolocation: geo(at), permissions: ['geolocation'] });
    await phone.goto(server.url + '/');
    await waitForMapReady(phone);
    await phone.getByTestId('panic-button').click();
    await page.getByTestId('ringing').waitFor({ timeout: STEP_TIMEOUT });
    const card = page.getByTestId('unit-alert');
    await card.getByTestId('action-acknowledge').click();
    await card.getByTestId('action-en_route').click();
    await expect.poll(() => phone.getByTestId('alert-status').textContent(), { timeout: STEP_TIMEOUT }).toBe('La unidad P148-A va en camino');

    const near = offset(-STEP / 2, STEP / 2);
    await context.setGeolocation(geo(near));
    await expectServerAt(unit.id, near);
    const approach = phone.getByTestId('unit-approach');
    await approach.waitFor({ timeout: STEP_TIMEOUT });
    // Told how far (to the nearest 100 m) and how soon, never where: no unit is drawn on the citizen's map.
    const expected = Math.round(distanceM(near, at) / 100) * 100;
    expect(Number(await approach.getAttribute('data-distance'))).toBe(expected);
    expect(await approach.textContent()).toMatch(new RegExp(`^La unidad P148-A está a ${expected < 100 ? 'menos de 100 m' : `${expected} m`}, llega en (menos de 1 min|~\\d+ min)$`));
    expect(await phone.getByTestId('map').getAttribute('data-unit')).toBeNull();
    await phone.getByTestId('alert-tracker').scrollIntoViewIfNeeded();
    await phone.screenshot({ path: '/tmp/citizen-unit-approach.png' });
    await phone.getByTestId('lang-toggle').click();
    expect(await approach.textContent()).toMatch(/^Unit P148-A is (\d+ m|less than 100 m) away, arriving in /);
    await phone.getByTestId('lang-toggle').click();

    // On scene, the distance is no longer news; the unit closes the alert.
    await card.getByTestId('action-on_scene').click();
    await approach.waitFor({ state: 'detached', timeout: STEP_TIMEOUT });
    await card.getByTestId('action-resolve').click();
    await card.getByTestId('outcome-attended').click();
    await expect.poll(() => page.getByTestId('duty').getAttribute('data-state'), { timeout: STEP_TIMEOUT }).toBe('available');

    // Off duty: the watch stops. A later move is not sent and the server's timestamp stands still.
    await page.getByTestId('duty-toggle').click();
    await expect.poll(() => page.getByTestId('duty').getAttribute('data-state')).toBe('off_duty');
    await page.getByTestId('position-sharing').waitFor({ state: 'detached' });
    const offAt = Date.now();
    const last = await serverPosition(unit.id);
    await expectNothingMoreSent(context, page, offset(STEP, 0));
    expect(posts.filter((p) => p.at > offAt)).toHaveLength(0);
    const after = await serverPosition(unit.id);
    expect(after?.at).toBe(last?.at);
    expect([round(after!.lat), round(after!.lon)]).toEqual([round(near.lat), round(near.lon)]);
  }, 120_000);

  it('stops sharing when the officer signs out while on duty', async () => {
    const unit = await createUnit(server, 'P148-B', 'oficial.p148b');
    const start = offset(0, -STEP);
    const { context, page } = await newPage({ geolocation: geo(start), permissions: ['geolocation'] }, { fakeClock: true });
    const posts = recordPosts(page);
    await signIn(page, 'oficial.p148b', 'P148-B');
    await page.getByTestId('duty-toggle').click();
    await expectServerAt(unit.id, start);

    await page.getByTestId('unit-sign-out').click();
    await page.getByTestId('unit-sign-in').waitFor();
    const outAt = Date.now();
    const last = await serverPosition(unit.id);
    await expectNothingMoreSent(context, page, offset(0, -2 * STEP));
    expect(posts.filter((p) => p.at > outAt)).toHaveLength(0);
    expect((await serverPosition(unit.id))?.at).toBe(last?.at);
  }, 60_000);

  it('says so when location permission is refused, and sends nothing', async () => {
    await createUnit(server, 'P148-C', 'oficial.p148c');
    const { page } = await newPage({}); // no geolocation permission: the prompt is refused
    const posts = recordPosts(page);
    await signIn(page, 'oficial.p148c', 'P148-C');
    await page.getByTestId('duty-toggle').click();
    await expect.poll(() => page.getByTestId('position-sharing').getAttribute('data-state'), { timeout: STEP_TIMEOUT }).toBe('denied');
    expect(await page.getByTestId('position-sharing').textContent()).toContain('No diste permiso de ubicación');
    expect(posts).toHaveLength(0);
    await page.screenshot({ path: '/tmp/unidad-sharing-denied.png' });
  }, 30_000);
});

const round = (x: number) => Math.round(x * 1e6) / 1e6;

function distanceM(a: LatLon, b: LatLon): number {
  const rad = (d: number) => (d * Math.PI) / 180;
  const h = Math.sin(rad(b.lat - a.lat) / 2) ** 2 + Math.cos(rad(a.lat)) * Math.cos(rad(b.lat)) * Math.sin(rad(b.lon - a.lon) / 2) ** 2;
  return 2 * 6_371_008.8 * Math.asin(Math.sqrt(h));
}

async function createUnit(server: TestServer, callsign: string, username: string): Promise<UnitRow> {
  return api<UnitRow>(server, 'POST', '/api/v1/units', await server.adminToken(),
    { callsign, type: 'car', quadrantIds: [QUADRANT], username, password: PASSWORD });
}
