// Security headers on every answer: pages that cannot be framed, scripted from elsewhere or given
// powers they do not use; API answers that a browser will never render as a page.
//
// Every header value is computed once, at start-up. Per request, one hook picks one of a few
// ready-made sets by the path's first characters and copies it onto the reply — no parsing, no
// nonces — because /api/v1/locate and the number look-ups answer in tens of microseconds and are
// measured against /health (bench/http). @fastify/helmet was tried: it builds a new helmet
// middleware inside every request, through two hooks (one async), and picks a policy per page
// only from an option on each route — about 80 µs per request against about 10 µs for this hook
// (app.inject, same machine), and the Permissions-Policy it does not set at all.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

export interface SecurityHeaderSettings {
  /** The map style the pages load (its origin is added to connect-src). */
  basemapStyleUrl: string | null;
  /** Where people reach the server: https here means every answer carries HSTS. */
  publicUrl: string;
}

/** Paths of the pages that ask for the device's position: the citizen page, the unit's, the contact's answer. */
const GEOLOCATION_PAGES = ['/', '/index.html', '/unidad', '/unidad.html', '/verificar', '/verificar.html'];
/** The unit's page keeps the screen on while on duty and rings (Web Audio) for a page. */
const UNIT_PAGES = ['/unidad', '/unidad.html'];

/** Powers no page uses: off everywhere. Only features Chromium knows, so its console stays clean. */
const FEATURES_OFF = [
  'accelerometer', 'camera', 'display-capture', 'encrypted-media', 'fullscreen', 'gyroscope',
  'hid', 'idle-detection', 'magnetometer', 'microphone', 'midi', 'payment', 'picture-in-picture',
  'publickey-credentials-get', 'serial', 'sync-xhr', 'usb', 'xr-spatial-tracking',
];

function permissionsPolicy(allowed: string[]): string {
  const all = [...FEATURES_OFF, 'autoplay', 'geolocation', 'screen-wake-lock'].sort();
  return all.map((f) => `${f}=${allowed.includes(f) ? '(self)' : '()'}`).join(', ');
}

const directives = (d: Record<string, string[]>): string => Object.entries(d).map(([k, v]) => `${k} ${v.join(' ')}`).join('; ');

function origin(url: string | null): string | null {
  if (!url) return null;
  try { return new URL(url).origin; } catch { return null; }
}

/** The pages' policy: our own scripts only; MapLibre's worker (a module file, or a blob: URL) and its images. */
export function pageCsp(settings: SecurityHeaderSettings): string {
  const connect = ["'self'"];
  const self = origin(settings.publicUrl);
  // 'self' covers ws:/wss: to this host in current browsers; older Safari needs it spelt out.
  if (self) connect.push(self.replace(/^http/, 'ws'));
  const basemap = origin(settings.basemapStyleUrl);
  if (basemap && basemap !== self) connect.push(basemap);
  return directives({
    'default-src': ["'self'"],
    'script-src': ["'self'"],
    'worker-src': ["'self'", 'blob:'],
    // Workers fall back to child-src in browsers that predate worker-src.
    'child-src': ["'self'", 'blob:'],
    'frame-src': ["'none'"],
    'img-src': ["'self'", 'data:', 'blob:'],
    // Preact and MapLibre set styles through the CSSOM (element.style), which style-src does not govern.
    'style-src': ["'self'"],
    'font-src': ["'self'"],
    'connect-src': connect,
    'object-src': ["'none'"],
    'base-uri': ["'none'"],
    'form-action': ["'self'"],
    'frame-ancestors': ["'none'"],
  });
}

/** JSON, CSV and GeoJSON answers: nothing in them may run or load anything, even if opened as a page. */
export const API_CSP = "default-src 'none'; frame-ancestors 'none'";

/**
 * API answers are most of the traffic and a document made of one can run no script (API_CSP), so
 * it names only the powers worth naming in a few bytes rather than the pages' full list
 * (~330 bytes on a /locate answer of ~1 kB).
 */
export const API_PERMISSIONS = 'camera=(), display-capture=(), fullscreen=(), geolocation=(), microphone=(), payment=(), usb=()';

/**
 * /docs only (the Swagger UI): its scripts are files, but it adds inline <style> elements and
 * shows data: images (measured in tests/browser/csp.test.ts), so styles need 'unsafe-inline'
 * there. Scripts stay 'self'; it still cannot be framed.
 */
export const DOCS_CSP = directives({
  'default-src': ["'self'"],
  'script-src': ["'self'"],
  'style-src': ["'self'", "'unsafe-inline'"],
  'img-src': ["'self'", 'data:'],
  'connect-src': ["'self'"],
  'object-src': ["'none'"],
  'base-uri': ["'none'"],
  'form-action': ["'self'"],
  'frame-ancestors': ["'none'"],
});

export const HSTS = 'max-age=31536000; includeSubDomains';

type HeaderSet = Readonly<Record<string, string>>;

export interface HeaderSets { api: HeaderSet; docs: HeaderSet; page: HeaderSet; geoPage: HeaderSet; unitPage: HeaderSet }

export function headerSets(settings: SecurityHeaderSettings): HeaderSets {
  const common = { 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer', 'x-frame-options': 'DENY' };
  const none = permissionsPolicy([]);
  const page = pageCsp(settings);
  return {
    api: { ...common, 'permissions-policy': API_PERMISSIONS, 'content-security-policy': API_CSP },
    docs: { ...common, 'permissions-policy': none, 'content-security-policy': DOCS_CSP },
    page: { ...common, 'permissions-policy': none, 'content-security-policy': page },
    geoPage: { ...common, 'permissions-policy': permissionsPolicy(['geolocation']), 'content-security-policy': page },
    unitPage: { ...common, 'permissions-policy': permissionsPolicy(['geolocation', 'screen-wake-lock', 'autoplay']), 'content-security-policy': page },
  };
}

/** Which set a path gets: API answers first, as they are most of the traffic. */
export function headerSetFor(sets: HeaderSets, url: string): HeaderSet {
  if (url.startsWith('/api/')) return sets.api;
  if (url === '/docs' || url.startsWith('/docs/') || url.startsWith('/docs?')) return sets.docs;
  const q = url.indexOf('?');
  const path = q < 0 ? url : url.slice(0, q);
  if (UNIT_PAGES.includes(path)) return sets.unitPage;
  if (GEOLOCATION_PAGES.includes(path)) return sets.geoPage;
  if (path === '/openapi.json' || path === '/health' || path.startsWith('/health/')) return sets.api;
  return sets.page;
}

/** Register before anything that can answer early (authentication), so refusals carry the headers too. */
export function registerSecurityHeaders(app: FastifyInstance, settings: SecurityHeaderSettings): void {
  const sets = headerSets(settings);
  const alwaysHttps = settings.publicUrl.startsWith('https:');
  const apply = (reply: FastifyReply, set: HeaderSet) => {
    for (const key in set) reply.header(key, set[key]);
  };
  app.addHook('onRequest', (req: FastifyRequest, reply: FastifyReply, done: () => void) => {
    apply(reply, headerSetFor(sets, req.url));
    // Over https (directly, or as a trusted proxy says): browsers then refuse plain http for a year.
    if (alwaysHttps || req.protocol === 'https') reply.header('strict-transport-security', HSTS);
    done();
  });
}
