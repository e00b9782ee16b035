// A citizen never learns where a patrol unit is. Anyone can raise an alert (item 1 only makes a
// flood wait), so whoever raised one must not be able to watch the unit come: they get its
// distance to the nearest 100 m and its ETA in whole minutes, nothing else. This drives a real
// server: a unit takes the alert and reports its position (a distinctive point near the citizen),
// then every route of the app a citizen device can call — read from the app itself, so a route
// added later is covered — and every WebSocket message the citizen receives is searched for
// the unit's position, for any coordinates other than the citizen's own point, and for any
// `position`/`positions` field.
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { can, type Permission } from '../../src/accounts/roles.js';
import { availableEngines } from '../support/engines.js';
import { startTestServer, type TestServer } from '../support/server.js';

const engines = await availableEngines();

interface LatLon { lat: number; lon: number }
interface Answer { route: string; status: number; text: string }

/**
 * The public map of the city (the same polygons and centre for everyone) and the API's own documentation:
 * coordinates and field names by design, but never a unit's position (checked exactly).
 */
const isReferenceData = (url: string) => /^\/api\/v1\/(locate|quadrants|sectors|config\/public)\b|^\/openapi\.json$|^\/docs\b/.test(url);

/** Every problem with one answer or message: unit coordinates, foreign coordinates, position fields. */
function leaks(where: string, value: unknown, unitAt: LatLon, own: LatLon | null, reference: boolean): string[] {
  const problems: string[] = [];
  const near = (lat: number, lon: number, p: LatLon, tol: number) => Math.abs(lat - p.lat) < tol && Math.abs(lon - p.lon) < tol;
  // Within ~150 m of the unit is a leak anywhere but the static map (whose vertices may lie close by).
  const tol = reference ? 1e-7 : 0.0015;
  const walk = (v: unknown, path: string) => {
    if (Array.isArray(v)) {
      if (v.length >= 2 && typeof v[0] === 'number' && typeof v[1] === 'number' && near(v[1], v[0], unitAt, tol)) problems.push(`${where} ${path}: [lon, lat] of the unit`);
      v.forEach((x, i) => walk(x, `${path}[${i}]`));
      return;
    }
    if (!v || typeof v !== 'object') return;
    const o = v as Record<string, unknown>;
    if (!reference) for (const k of Object.keys(o)) if (/^positions?$/i.test(k)) problems.push(`${where} ${path}.${k}: a position field`);
    const lat = o.lat ?? o.latitude;
    const lon = o.lon ?? o.lng ?? o.longitude;
    if (typeof lat === 'number' && typeof lon === 'number') {
      if (near(lat, lon, unitAt, tol)) problems.push(`${where} ${path}: the unit's coordinates`);
      else if (!reference && !(own && near(lat, lon, own, 1e-9))) problems.push(`${where} ${path}: coordinates ${lat},${lon} that are not the citizen's own`);
    }
    for (const [k, x] of Object.entries(o)) walk(x, `${path}.${k}`);
  };
  walk(value, '$');
  return problems;
}

describe.each(engines)('what a citizen can learn of a patrol unit, on $name', (engine) => {
  let server: TestServer;
  let admin: string;

  const call = async (method: string, path: string, token: string | null, body?: unknown): Promise<{ status: number; text: string; body: any }> => { // eslint-disable-line @typescript-eslint/no-explicit-any
    const res = await fetch(`${server.url}${path}`, {
      method, body: body === undefined ? undefined : JSON.stringify(body),
      headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...(token ? { authorization: `Bearer ${token}` } : {}) },
    });
    const text = await res.text();
    let parsed: unknown = null;
    try { parsed = text ? JSON.parse(text) : null; } catch { parsed = text; }
    return { status: res.status, text, body: parsed };
  };

  beforeAll(async () => {
    // Development mode: the SMS outbox page is where the check-in link is read back.
    server = await startTestServer({ engine, webDir: null, config: { ackTimeoutMs: 600_000, escalateAfterMs: 1_200_000, mode: 'development' } });
    admin = await server.adminToken();
  }, 120_000);
  afterAll(async () => { await server?.close(); });

  it('gets distance to 100 m and ETA in minutes, never the unit\'s coordinates, over HTTP and WebSocket', async () => {
    const point = (await call('GET', '/api/v1/quadrants/P-1.4.8', null)).body.properties.interiorPoint as LatLon;
    // ~450 m north-east of the citizen, at a point no map vertex sits on.
    const unitAt = { lat: Number((point.lat + 0.0031234).toFixed(7)), lon: Number((point.lon + 0.0027891).toFixed(7)) };
    const unit = (await call('POST', '/api/v1/units', admin, { callsign: 'P148-V', type: 'car', quadrantIds: ['P-1.4.8'], username: 'oficial.vista', password: 'clave-oficial-vista' })).body;
    const officer = (await call('POST', '/api/v1/auth/login', null, { username: 'oficial.vista', password: 'clave-oficial-vista' })).body.token as string;
    await call('PUT', `/api/v1/units/${unit.id}/shift`, officer, { state: 'available' });

    const phone = (await call('POST', '/api/v1/devices', null)).body.token as string;
    const answers: Answer[] = [];
    const keep = async (route: string, p: Promise<{ status: number; text: string }>) => { const r = await p; answers.push({ route, status: r.status, text: r.text }); return r; };

    const ws = new WebSocket(`${server.url.replace(/^http/, 'ws')}/api/v1/ws`);
    const messages: string[] = [];
    ws.on('message', (d) => messages.push(String(d)));
    await new Promise<void>((r) => ws.once('open', () => r()));
    ws.send(JSON.stringify({ type: 'auth', token: phone }));
    const waitFor = async (type: string, timeoutMs = 8000) => {
      const until = Date.now() + timeoutMs;
      for (;;) {
        const m = messages.map((x) => JSON.parse(x) as { type: string }).find((x) => x.type === type);
        if (m) return m as Record<string, unknown>;
        if (Date.now() > until) throw new Error(`no ${type} message; got ${messages.map((x) => JSON.parse(x).type).join(', ')}`);
        await new Promise((r) => setTimeout(r, 25));
      }
    };
    await waitFor('snapshot');

    const raised = await keep('POST /api/v1/alerts', call('POST', '/api/v1/alerts', phone, { ...point, kind: 'robbery' }));
    const alertId = JSON.parse(raised.text).id as string;
    await call('POST', `/api/v1/alerts/${alertId}/actions`, officer, { action: 'acknowledge' });
    await call('POST', `/api/v1/alerts/${alertId}/actions`, officer, { action: 'en_route' });
    // The unit's fixes, closing in on the citizen at a plausible speed; the last one is where it is.
    const now = Date.now();
    const fixes = [-40, -20, 0].map((dt, i) => ({ unitId: unit.id, at: now + dt * 1000, lat: unitAt.lat + (2 - i) * 0.0004, lon: unitAt.lon + (2 - i) * 0.0004, speedMps: 8 }));
    fixes[2] = { ...fixes[2]!, lat: unitAt.lat, lon: unitAt.lon };
    expect((await call('POST', '/api/v1/positions/batch', admin, { positions: fixes })).body).toMatchObject({ accepted: 3 });
    const approach = await waitFor('unit-position');
    // Exactly these fields: a distance to the nearest 100 m, an ETA in whole minutes.
    expect(Object.keys(approach).sort()).toEqual(['alertId', 'distanceM', 'etaMin', 'type']);
    expect(approach.alertId).toBe(alertId);
    expect((approach.distanceM as number) % 100).toBe(0);
    expect(Math.abs((approach.distanceM as number) - 450)).toBeLessThanOrEqual(100);
    expect(Number.isInteger(approach.etaMin)).toBe(true);
    // Staff do see where it is: the position really was there to leak.
    expect(((await call('GET', '/api/v1/units/positions', admin)).body as { unitId: string; lat: number }[]).find((p) => p.unitId === unit.id)?.lat).toBe(unitAt.lat);

    // A check-in answered ('checkin' message) and a ping ('pong'): every message type a citizen gets.
    const contact = (await call('POST', '/api/v1/contacts', phone, { name: 'Tía', phone: '55 4444 3333' })).body;
    await keep('POST /api/v1/checkins', call('POST', '/api/v1/checkins', phone, { contactId: contact.id }));
    const sms = ((await call('GET', '/api/v1/dev/outbox', admin)).body as { to: string; body: string }[]).find((m) => m.to === '+525544443333');
    const linkToken = sms && /#([\w-]+)/.exec(sms.body)?.[1];
    expect(linkToken, 'the check-in link in the SMS').toMatch(/^[\w-]{24}$/); // 18 random bytes, base64url
    await call('POST', '/api/v1/checkin-links/answer', null, { token: linkToken, answer: 'fine' });
    ws.send(JSON.stringify({ type: 'ping' }));
    await waitFor('pong');
    await waitFor('checkin');

    // Every route of the app this device may call, as the app lists them, read with its token.
    const ids: Record<string, string> = { id: alertId, number: '5512345678', prefix: 'abcde', token: 'no-such-token', uniqueId: 'x', version: '1' };
    const citizenMay = (access: unknown) => access === undefined || access === 'authenticated' || can('citizen', access as Permission);
    const routes = server.app.routeCatalogue.filter((r) => !r.websocket && r.method !== 'HEAD' && r.method !== 'OPTIONS' && citizenMay(r.config.access));
    expect(routes.length).toBeGreaterThan(10);
    // Routes that change something run last, with a second device, so they cannot end the first one's session.
    const other = (await call('POST', '/api/v1/devices', null)).body.token as string;
    for (const r of [...routes].sort((a, b) => Number(a.method !== 'GET') - Number(b.method !== 'GET'))) {
      const path = r.url.replace(/:(\w+)/g, (_, k: string) => encodeURIComponent(ids[k] ?? 'x')).replace(/\*$/, '');
      const token = r.method === 'GET' ? phone : other;
      await keep(`${r.method} ${r.url}`, call(r.method, path, token, r.method === 'GET' || r.method === 'DELETE' ? undefined : {}));
    }
    const read = await keep('GET /api/v1/alerts/:id', call('GET', `/api/v1/alerts/${alertId}`, phone));
    expect(JSON.parse(read.text)).toMatchObject({ status: 'en_route', assignedUnit: { callsign: 'P148-V' } });

    // A reconnection's snapshot too.
    const again = new WebSocket(`${server.url.replace(/^http/, 'ws')}/api/v1/ws`);
    const second: string[] = [];
    again.on('message', (d) => second.push(String(d)));
    await new Promise<void>((r) => again.once('open', () => r()));
    again.send(JSON.stringify({ type: 'auth', token: phone }));
    for (let i = 0; i < 200 && second.length < 2; i++) await new Promise((r) => setTimeout(r, 25));
    again.close();
    ws.close();

    const problems: string[] = [];
    for (const a of answers) {
      let body: unknown;
      try { body = JSON.parse(a.text); } catch { body = a.text; }
      const url = a.route.split(' ')[1]!;
      problems.push(...leaks(a.route, body, unitAt, null, isReferenceData(url)));
    }
    const all = [...messages, ...second];
    for (const m of all) problems.push(...leaks(`ws ${JSON.parse(m).type}`, JSON.parse(m), unitAt, null, false));
    expect(problems).toEqual([]);
    const types = new Set(all.map((m) => JSON.parse(m).type as string));
    expect([...types].sort()).toEqual(['alert', 'checkin', 'hello', 'pong', 'snapshot', 'unit-position']);
    // The scan itself finds a leak when there is one (the staff view of the same alert has the citizen's point).
    expect(leaks('self-check', { positions: [{ lat: unitAt.lat, lon: unitAt.lon }] }, unitAt, null, false)).toHaveLength(2);
  }, 120_000);
});
