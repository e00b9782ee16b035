// "Mi cuadrante" (/) in a real Chromium at phone size, against the real server.
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  PHONE, clickMapAt, describeInBrowser, ensureWebBuilt, launchChromium, serverForBrowser, type RunningServer,
} from '../support/browser.js';
import { waitForMapReady } from '../support/page-wait.js';
import { interiorPoint, type LatLon } from '../support/api.js';


/** The slice of the page's test hook these tests use (the root tsconfig has no DOM types). */
interface PageGlobals {
  __cuadrante: {
    mapReady: boolean;
    map: {
      jumpTo(options: { center: [number, number]; zoom: number }): void;
      once(event: 'idle', listener: () => void): void;
      loaded(): boolean;
      on(event: 'render', listener: () => void): void;
      off(event: 'render', listener: () => void): void;
      triggerRepaint(): void;
      project(lngLat: [number, number]): { x: number; y: number };
    };
  };
  __geoCalls: number;
}

const TAPPED = 'P-1.4.8'; // San Ángel, Álvaro Obregón
const LOCATED = 'C-2.5.2'; // Tlatelolco, Cuauhtémoc
const CITY_LINE = 'tel:+525552089898';
const OUTSIDE: LatLon = { lat: 19.4, lon: -98.98 }; // Nezahualcóyotl, Estado de México

/** Counts every geolocation request the page makes, then lets it through. */
const COUNT_GEOLOCATION = `
  window.__geoCalls = 0;
  const geo = navigator.geolocation;
  for (const name of ['getCurrentPosition', 'watchPosition']) {
    const original = geo[name].bind(geo);
    geo[name] = (...args) => { window.__geoCalls += 1; return original(...args); };
  }`;

describeInBrowser('citizen page: Mi cuadrante', () => {
  let server: RunningServer;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const points = new Map<string, LatLon>();

  beforeAll(async () => {
    await ensureWebBuilt();
    [server, browser] = await Promise.all([serverForBrowser(), launchChromium()]);
    for (const id of [TAPPED, LOCATED]) points.set(id, await interiorPoint(server.url, id));
  });

  afterAll(async () => {
    await Promise.all(contexts.map((c) => c.close()));
    await browser?.close();
    await server?.close();
  });

  async function openPage(options: BrowserContextOptions = {}, waitForMap = true): Promise<Page> {
    const context = await browser.newContext({ ...PHONE, ...options });
    contexts.push(context);
    await context.addInitScript(COUNT_GEOLOCATION);
    const page = await context.newPage();
    page.on('pageerror', (err) => console.error('[page error]', err));
    await page.goto(server.url + '/');
    if (waitForMap) await waitForMapReady(page);
    return page;
  }

  const point = (id: string): LatLon => points.get(id)!;

  it('shows the quadrant, its threat level and its phone when the map is tapped', async () => {
    const page = await openPage();
    expect(await framesWhenSettled(page, 1000), 'frames drawn while nothing changes').toBe(0);
    await clickMapAt(page, point(TAPPED));
    await expect.poll(() => page.getByTestId('quadrant-id').textContent()).toBe(TAPPED);
    expect(await page.getByTestId('quadrant-phone').first().getAttribute('href')).toBe(CITY_LINE);
    expect(await page.getByTestId('quadrant-mention').textContent()).toContain(`Menciona el cuadrante ${TAPPED}`);
    expect(await page.getByTestId('threat-level').getAttribute('data-level')).toMatch(/^[1-5]$/);
    expect(await page.getByTestId('threat-explanation').textContent()).not.toBe('');
    expect(await page.getByTestId('quadrant-alcaldia').textContent()).toBe('ALVARO OBREGON');
    await page.screenshot({ path: '/tmp/citizen.png', fullPage: true });
  });

  it('switches the card to English and remembers the choice', async () => {
    const page = await openPage();
    await clickMapAt(page, point(TAPPED));
    await expect.poll(() => page.getByTestId('threat-level').textContent()).toContain('Nivel de amenaza');
    await page.getByTestId('lang-toggle').click();
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    expect(await page.getByTestId('threat-level').textContent()).toContain('Threat level');
    expect(await page.getByTestId('quadrant-mention').textContent()).toBe(`Mention quadrant ${TAPPED}`);
    expect(await page.getByTestId('locate-me').textContent()).toContain('Where am I?');
    await page.reload();
    await expect.poll(() => page.getByTestId('locate-me').textContent()).toContain('Where am I?');
    expect(await page.getAttribute('html', 'lang')).toBe('en');
  });

  it('asks for the location only when "¿Dónde estoy?" is tapped, then locates it', async () => {
    const at = point(LOCATED);
    const page = await openPage({ geolocation: { latitude: at.lat, longitude: at.lon }, permissions: ['geolocation'] });
    expect(await geoCalls(page)).toBe(0);
    await page.getByTestId('locate-me').click();
    await expect.poll(() => page.getByTestId('quadrant-id').textContent()).toBe(LOCATED);
    expect(await page.getByTestId('quadrant-phone').first().getAttribute('href')).toBe(CITY_LINE);
    expect(await geoCalls(page)).toBe(1);
  });

  it('says when a point is outside every quadrant, with the nearest one and 911', async () => {
    const page = await openPage();
    await clickMapAt(page, OUTSIDE);
    await expect.poll(() => page.getByTestId('outside-title').textContent()).toBe('Estás fuera de los cuadrantes');
    expect(await page.getByTestId('nearest-quadrant').textContent()).toMatch(/cercano es \S+ .*, a [\d.,]+ k?m\./);
    expect(await page.getByTestId('call-911').getAttribute('href')).toBe('tel:911');
  });

  it('explains a refused location permission in words', async () => {
    const page = await openPage();
    await page.getByTestId('locate-me').click();
    await expect.poll(() => page.getByTestId('error-message').textContent()).toContain('permiso');
  });

  it('is usable before the map library has loaded', async () => {
    const at = point(LOCATED);
    const context = await browser.newContext({ ...PHONE, geolocation: { latitude: at.lat, longitude: at.lon }, permissions: ['geolocation'] });
    contexts.push(context);
    let release = () => {};
    const held = new Promise<void>((resolve) => { release = resolve; });
    await context.route(/\/assets\/maplibre-[^/]*\.js$/, async (route) => { await held; await route.continue(); });
    const page = await context.newPage();
    await page.goto(server.url + '/');
    await page.getByTestId('locate-me').click();
    await expect.poll(() => page.getByTestId('quadrant-id').textContent()).toBe(LOCATED);
    expect(await page.evaluate('window.__cuadrante?.mapReady ?? false')).toBe(false);
    release();
    await waitForMapReady(page);
  });
});


/**
 * Frames drawn once the page has settled: a render loop never settles, but on a loaded machine a
 * late layer (the quadrants' GeoJSON arriving after the first idle) may draw once — so when the
 * first quiet second drew anything, wait for the map to be idle and count a second one.
 */
async function framesWhenSettled(page: Page, ms: number): Promise<number> {
  if ((await framesDrawnIn(page, ms)) === 0) return 0;
  await page.evaluate(() => new Promise<void>((resolve) => {
    const { map } = (globalThis as unknown as PageGlobals).__cuadrante;
    if (map.loaded()) resolve(); else map.once('idle', () => resolve());
  }));
  return framesDrawnIn(page, ms);
}

/** Frames MapLibre draws in a quiet interval: the page should render on change only. */
function framesDrawnIn(page: Page, ms: number): Promise<number> {
  return page.evaluate((ms) => new Promise<number>((resolve) => {
    const { map } = (globalThis as unknown as PageGlobals).__cuadrante;
    let frames = 0;
    const count = () => { frames += 1; };
    map.on('render', count);
    setTimeout(() => { map.off('render', count); resolve(frames); }, ms);
  }), ms);
}

const geoCalls = (page: Page) => page.evaluate(() => (globalThis as unknown as PageGlobals).__geoCalls);
