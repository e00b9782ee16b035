// Real-browser tests: Debian's Chromium driven by playwright-core (no browser download).
// See docs in /work/shared/TESTING.md for why each flag is here.
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContextOptions, type Page } from 'playwright-core';
import { describe, it } from 'vitest';

process.env.PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD = '1';

export const CHROMIUM_PATH = process.env.CUADRANTE_CHROMIUM ?? '/usr/bin/chromium';

/** Never add --disable-software-rasterizer or --use-gl=swiftshader: both turn WebGL off. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  // Stops Chromium's own look-ups of Google hosts; only the local test server resolves.
  '--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1',
];

/** A cheap phone held upright. */
export const PHONE: BrowserContextOptions = {
  viewport: { width: 360, height: 740 },
  deviceScaleFactor: 1,
  isMobile: true,
  hasTouch: true,
};

const requireBrowser = process.env.CUADRANTE_REQUIRE_BROWSER === '1';

function missingBrowserReason(): string | null {
  return existsSync(CHROMIUM_PATH) ? null : `Chromium not found at ${CHROMIUM_PATH} (apt-get install -y chromium)`;
}

/**
 * describe() for suites that need Chromium. Without it the suite is skipped with a printed
 * reason — unless CUADRANTE_REQUIRE_BROWSER=1 (CI), where a missing browser is a failure.
 */
export function describeInBrowser(name: string, suite: () => void): void {
  const reason = missingBrowserReason();
  if (!reason) {
    describe(name, suite);
  } else if (requireBrowser) {
    describe(name, () => it('has a browser to run in', () => {
      throw new Error(`${reason}; CUADRANTE_REQUIRE_BROWSER=1 forbids skipping`);
    }));
  } else {
    console.warn(`[browser tests] skipping "${name}": ${reason}`);
    describe.skip(name, suite);
  }
}

/** Fills and submits the staff sign-in form that /centro and /analistas share (StaffLogin). */
export async function submitStaffLogin(page: Page, username: string, password: string): Promise<void> {
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
}

/** The map the pages expose to tests as window.__cuadrante.map (the root tsconfig has no DOM types). */
interface TestMap {
  jumpTo(options: { center: [number, number]; zoom: number }): void;
  once(event: 'idle', listener: () => void): void;
  triggerRepaint(): void;
  project(lngLat: [number, number]): { x: number; y: number };
}

/** Centres the page's map on a point at street zoom, waits for it to settle, then clicks (taps) there. */
export async function clickMapAt(page: Page, p: { lat: number; lon: number }, zoom = 15): Promise<void> {
  const canvas = page.locator('[data-testid="map"] canvas');
  await canvas.scrollIntoViewIfNeeded();
  const pixel = await page.evaluate(({ lat, lon, zoom }) => {
    const { map } = (globalThis as unknown as { __cuadrante: { map: TestMap } }).__cuadrante;
    map.jumpTo({ center: [lon, lat], zoom });
    return new Promise<{ x: number; y: number }>((resolve) => {
      map.once('idle', () => resolve(map.project([lon, lat])));
      map.triggerRepaint();
    });
  }, { ...p, zoom });
  const box = await canvas.boundingBox();
  if (!box) throw new Error('map canvas is not visible');
  await page.mouse.click(box.x + pixel.x, box.y + pixel.y);
}

/** A fresh browser with a throw-away profile; each newContext() is isolated as well. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
}

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const WEB = join(ROOT, 'web');
const BUILT = join(WEB, 'dist', 'index.html');

function newestSource(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((name) => newestSource(join(path, name))));
}

function webIsStale(): boolean {
  if (!existsSync(BUILT)) return true;
  const sources = readdirSync(WEB)
    .filter((name) => name === 'src' || name.endsWith('.html') || name.startsWith('vite.config'))
    .map((name) => newestSource(join(WEB, name)));
  return Math.max(...sources) > statSync(BUILT).mtimeMs;
}

/**
 * Builds web/dist with Vite's JS API when it is missing or older than its sources. Several
 * browser suites may run at once, so a lock directory lets only one of them build.
 */
export async function ensureWebBuilt(): Promise<void> {
  if (!webIsStale()) return;
  const lock = join(tmpdir(), `cuadrante-web-build-${Buffer.from(ROOT).toString('hex').slice(-24)}.lock`);
  await acquire(lock);
  try {
    if (!webIsStale()) return;
    const { build } = await import('vite');
    await build({ configFile: join(WEB, 'vite.config.ts'), logLevel: 'warn' });
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

async function acquire(lock: string, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      mkdirSync(lock);
      return;
    } catch {
      // A lock left by a crashed run is older than any real build takes.
      const heldFor = Date.now() - (statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (heldFor > timeoutMs) rmSync(lock, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${lock}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

export interface RunningServer { url: string; close(): Promise<void> }

/**
 * The real server on a free port with a fresh database (tests/support/server.ts), or an
 * already-running one when CUADRANTE_TEST_URL is set (handy against a dev server).
 */
export async function serverForBrowser(): Promise<RunningServer> {
  const external = process.env.CUADRANTE_TEST_URL;
  if (external) return { url: external.replace(/\/$/, ''), close: async () => {} };
  const { startTestServer } = await import('./server.js');
  return startTestServer();
}
