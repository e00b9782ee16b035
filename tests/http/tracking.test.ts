// Patrol tracking through its real interfaces — the OsmAnd protocol (dedicated port and the main
// server's path), the unit page, fleet batches — on SQLite and PostgreSQL.
import { connect as tcp } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableEngines } from '../support/engines.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { freePort } from '../support/net.js';
import { connect } from '../support/ws.js';

const engines = await availableEngines();

describe.each(engines)('tracking on $name', (engine) => {
  let server: TestServer;
  let osmandPort: number;
  let admin: string;
  let home: { lat: number; lon: number };
  let away: { lat: number; lon: number };
  const unit: Record<string, { id: string; token: string }> = {};

  const call = async (method: string, path: string, token?: string, body?: unknown) => {
    const res = await fetch(`${server.url}${path}`, {
      method, body: body === undefined ? undefined : JSON.stringify(body),
      headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...(token ? { authorization: `Bearer ${token}` } : {}) },
    });
    const text = await res.text();
    return { status: res.status, text, body: text && res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : null };
  };
  const osmand = (query: string, init: RequestInit = { method: 'POST' }, base = `http://127.0.0.1:${osmandPort}`) => fetch(`${base}/?${query}`, init);
  const positionOf = async (unitId: string) => ((await call('GET', '/api/v1/units/positions', admin)).body as { unitId: string; lat: number; lon: number; quadrantId: string; noSignal: boolean }[]).find((p) => p.unitId === unitId);
  const nowS = () => Math.floor(Date.now() / 1000);
  const TRACKER_C = 'cT7wq2KfR9xLm4Zp';
  const TRACKER_D = 'dV3nH8sJk5QyB1Xe';
  /** Everything the dedicated port sends back for these bytes on a fresh connection, until it goes quiet. */
  const raw = (bytes: string) => new Promise<string>((ok, fail) => {
    let got = '';
    const s = tcp(osmandPort, '127.0.0.1', () => s.write(bytes));
    s.on('data', (d) => { got += d.toString('latin1'); if (got.endsWith('\r\n\r\n')) { s.destroy(); ok(got); } });
    s.on('error', fail);
    setTimeout(() => { s.destroy(); ok(got); }, 3000).unref();
  });

  beforeAll(async () => {
    osmandPort = await freePort();
    server = await startTestServer({ engine, webDir: null, config: { osmandPort, geofenceAllowanceMs: 1500, positionRetentionDays: 1 } });
    admin = await server.adminToken();
    home = (await call('GET', '/api/v1/quadrants/P-1.4.8')).body.properties.interiorPoint;
    const neighbour = (await call('GET', '/api/v1/quadrants/P-1.4.8')).body.properties.neighbours[0];
    away = (await call('GET', `/api/v1/quadrants/${encodeURIComponent(neighbour)}`)).body.properties.interiorPoint;
    for (const [callsign, q] of [['P148A', 'P-1.4.8'], ['P148B', 'P-1.4.8'], ['P148C', 'P-1.4.8'], ['P148D', 'P-1.4.8']] as const) {
      const username = callsign.toLowerCase();
      const created = await call('POST', '/api/v1/units', admin, { callsign, type: 'car', quadrantIds: [q], username, password: `clave-${username}-segura` });
      const token = (await call('POST', '/api/v1/auth/login', undefined, { username, password: `clave-${username}-segura` })).body.token;
      await call('PUT', `/api/v1/units/${created.body.id}/shift`, token, { state: 'available' });
      unit[callsign] = { id: created.body.id, token };
    }
    expect((await call('POST', '/api/v1/trackers', admin, { uniqueId: '356938035643809', unitId: unit.P148A!.id, label: 'Traccar Client' })).status).toBe(201);
    for (const [id, callsign] of [[TRACKER_C, 'P148C'], [TRACKER_D, 'P148D']] as const) {
      expect((await call('POST', '/api/v1/trackers', admin, { uniqueId: id, unitId: unit[callsign]!.id })).status).toBe(201);
    }
  }, 120_000);
  afterAll(async () => { await server?.close(); });

  it('accepts Traccar Client positions on the OsmAnd port with the protocol\'s answers', async () => {
    const ok = await osmand(`id=356938035643809&timestamp=${nowS()}&lat=${home.lat}&lon=${home.lon}&speed=10&bearing=90&altitude=2240&accuracy=5&batt=87`);
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe('');
    const p = await positionOf(unit.P148A!.id);
    expect(p).toMatchObject({ lat: home.lat, lon: home.lon, quadrantId: 'P-1.4.8', noSignal: false });
    // An unregistered id gets the same answer as a registered one (Traccar says 400, which tells a sweeper the id is free).
    expect((await osmand(`id=000&lat=${home.lat}&lon=${home.lon}`)).status).toBe(200);
    // Malformed is still 400: that says nothing about registration.
    expect((await osmand(`lat=${home.lat}&lon=${home.lon}`)).status).toBe(400);
    const json = (deviceId: string) => osmand('', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({
      device_id: deviceId, location: { timestamp: new Date().toISOString(), coords: { latitude: home.lat + 0.0001, longitude: home.lon, accuracy: 6, speed: 3, heading: 10, altitude: 2240 }, battery: { level: 0.5, is_charging: false }, is_moving: true },
    }) });
    expect((await json('unknown-device')).status).toBe(200);
    expect((await json('356938035643809')).status).toBe(200);
    // The same protocol under the main server's path.
    expect((await osmand(`id=356938035643809&timestamp=${nowS() + 1}&lat=${home.lat}&lon=${home.lon}`, { method: 'POST' }, `${server.url}/api/v1/osmand`)).status).toBe(200);
    const form = await fetch(`${server.url}/api/v1/osmand`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `id=356938035643809&timestamp=${nowS() + 2}&lat=${home.lat}&lon=${home.lon}` });
    expect(form.status).toBe(200);
  });

  it('answers an unregistered id byte for byte like a registered one, in about the same time, and stores nothing for it', async () => {
    const q = (id: string, t?: number) => `POST /?id=${id}${t === undefined ? '' : `&timestamp=${t}`}&lat=${home.lat}&lon=${home.lon} HTTP/1.1\r\nHost: t\r\nContent-Length: 0\r\n\r\n`;
    const known = await raw(q('356938035643809', nowS() + 5));
    const unknown = await raw(q('356938035643808', nowS() + 5));
    expect(known).toBe('HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n');
    expect(unknown).toBe(known);
    // JSON (Traccar answers an unknown device_id with 404): also identical.
    const body = (id: string) => JSON.stringify({ device_id: id, location: { timestamp: new Date().toISOString(), coords: { latitude: home.lat, longitude: home.lon } } });
    const jsonReq = (id: string) => `POST / HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body(id))}\r\n\r\n${body(id)}`;
    expect(await raw(jsonReq('unknown-device'))).toBe(await raw(jsonReq('356938035643809')));
    // The main server's path: same status, headers and body apart from the date.
    const main = async (id: string) => {
      const res = await osmand(`id=${id}&timestamp=${nowS() + 6}&lat=${home.lat}&lon=${home.lon}`, { method: 'POST' }, `${server.url}/api/v1/osmand`);
      const headers = Object.fromEntries([...res.headers].filter(([k]) => k !== 'date'));
      return { status: res.status, headers, body: await res.text() };
    };
    expect(await main('356938035643808')).toEqual(await main('356938035643809'));
    // Timing: interleaved samples over one keep-alive connection each; the medians within a millisecond.
    const timer = async (id: string) => {
      const s = tcp(osmandPort, '127.0.0.1');
      await new Promise((r) => s.once('connect', r));
      const times: number[] = [];
      return {
        async once() {
          const started = performance.now();
          await new Promise<void>((ok) => { s.once('data', () => ok()); s.write(q(id)); });
          times.push(performance.now() - started);
        },
        median: () => [...times].sort((a, b) => a - b)[times.length >> 1]!,
        close: () => s.destroy(),
      };
    };
    const k = await timer('356938035643809');
    const u = await timer('000000000000');
    for (let i = 0; i < 60; i++) { await k.once(); await u.once(); }
    k.close(); u.close();
    expect(Math.abs(k.median() - u.median())).toBeLessThan(1);
    await server.services.tracking.flush();
    const rows = await server.services.storage.db.selectFrom('positions').select('tracker_id').where('tracker_id', 'in', ['356938035643808', '000', 'unknown-device', '000000000000']).execute();
    expect(rows).toEqual([]);
  });

  it('warns the admin when a tracker id could be found by sweeping (short, or digits only), in Spanish and English', async () => {
    const register = (uniqueId: string) => call('POST', '/api/v1/trackers', admin, { uniqueId, unitId: unit.P148B!.id });
    const short = await register('48241179'); // Traccar Client 9's default: 8 random digits
    expect(short.status).toBe(201);
    expect(short.body).toMatchObject({ uniqueId: '48241179', unitId: unit.P148B!.id, warnings: [{ code: 'TRACKER_ID_SHORT' }] });
    expect(short.body.warnings[0].message.es).toMatch(/8 caracteres/);
    expect(short.body.warnings[0].message.en).toMatch(/8 characters/);
    const imei = await register('490154203237518');
    expect(imei.body.warnings.map((w: { code: string }) => w.code)).toEqual(['TRACKER_ID_DIGITS_ONLY']);
    expect((await register('b2Fq9XmT4kLw7RzN')).body.warnings).toEqual([]);
    // The warning is a warning: the tracker is registered and reports.
    expect((await osmand(`id=48241179&lat=${home.lat}&lon=${home.lon + 0.0002}`)).status).toBe(200);
    for (const id of ['48241179', '490154203237518', 'b2Fq9XmT4kLw7RzN']) expect((await call('DELETE', `/api/v1/trackers/${id}`, admin)).status).toBe(204);
  });

  it('never lets garbage move a unit', async () => {
    const before = await positionOf(unit.P148A!.id);
    const bad = [
      `id=356938035643809&timestamp=${nowS()}&lat=999&lon=-99.1`,
      `id=356938035643809&timestamp=0&lat=19.3&lon=-99.1`,
      `id=356938035643809&timestamp=${nowS() + 365 * 86400}&lat=19.3&lon=-99.1`,
      `id=356938035643809&timestamp=${nowS() + 3}&lat=25.0&lon=-99.1`, // 600 km away a second later
      `id=356938035643809&timestamp=${nowS() + 4}&lat=abc&lon=-99.1`,
    ];
    for (const q of bad) expect((await osmand(q)).status).toBeLessThan(500);
    const huge = await fetch(`http://127.0.0.1:${osmandPort}/`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `id=356938035643809&x=${'a'.repeat(100_000)}` });
    expect(huge.status).toBe(413);
    expect(await positionOf(unit.P148A!.id)).toEqual(before);
  });

  it('takes the unit page\'s own position, and only for its own unit', async () => {
    const r = await call('POST', `/api/v1/units/${unit.P148B!.id}/positions`, unit.P148B!.token, { lat: home.lat, lon: home.lon + 0.0005, accuracyM: 15 });
    expect(r.body).toEqual({ accepted: 1, dropped: {} });
    expect((await call('POST', `/api/v1/units/${unit.P148A!.id}/positions`, unit.P148B!.token, { lat: home.lat, lon: home.lon })).status).toBe(404);
    expect((await call('POST', `/api/v1/units/${unit.P148B!.id}/positions`, unit.P148B!.token, { lat: 95, lon: home.lon })).status).toBe(400);
  });

  it('answers the nearest available units with an ETA', async () => {
    const near = (await call('GET', `/api/v1/units/nearest?lat=${home.lat}&lon=${home.lon}&k=5`, admin)).body as { callsign: string; distanceM: number; etaS: number }[];
    expect(near.map((n) => n.callsign).sort()).toEqual(['P148A', 'P148B']);
    expect(near[0]!.distanceM).toBeLessThanOrEqual(near[1]!.distanceM);
    expect(near.every((n) => n.etaS >= 0)).toBe(true);
    expect((await call('GET', '/api/v1/units/nearest?lat=91&lon=0', admin)).status).toBe(400);
  });

  it('ingests fleet batches and returns the track as GeoJSON, in time order', async () => {
    const t0 = Date.now() - 60_000;
    const positions = Array.from({ length: 30 }, (_, i) => ({ unitId: unit.P148B!.id, at: t0 + i * 1000, lat: home.lat + i * 0.00001, lon: home.lon, speedMps: 1 }));
    // A fleet gateway has its own account, which may post positions and do nothing else.
    expect((await call('POST', '/api/v1/users', admin, { username: 'gw-flota', password: 'clave-gateway-segura', role: 'gateway' })).status).toBe(201);
    const gateway = (await call('POST', '/api/v1/auth/login', undefined, { username: 'gw-flota', password: 'clave-gateway-segura' })).body.token as string;
    const r = await call('POST', '/api/v1/positions/batch', gateway, { positions: [...positions].reverse().concat([{ trackerId: 'nope', lat: 19, lon: -99 } as never]) });
    expect(r.body).toMatchObject({ accepted: 30, unknown: 1 });
    expect((await call('POST', '/api/v1/positions/batch', unit.P148B!.token, { positions })).status).toBe(403);
    for (const [method, path] of [['GET', '/api/v1/units'], ['GET', '/api/v1/units/positions'], ['GET', '/api/v1/alerts'], ['GET', `/api/v1/units/${unit.P148B!.id}/track`]] as const) {
      expect((await call(method, path, gateway)).status, `${method} ${path}`).toBe(403);
    }
    const track = await call('GET', `/api/v1/units/${unit.P148B!.id}/track?from=${new Date(t0 - 1).toISOString()}`, admin);
    const line = JSON.parse(track.text).features[0];
    expect(line.geometry.type).toBe('LineString');
    expect(line.geometry.coordinates.length).toBeGreaterThanOrEqual(30);
    const lats = line.geometry.coordinates.slice(0, 30).map((c: number[]) => c[1]);
    expect(lats).toEqual([...lats].sort((a, b) => a - b));
  });

  it('records a unit leaving its quadrant and tells dispatchers when it stays out too long', async () => {
    const staff = await connect(server.url, admin);
    await staff.next((m) => m.type === 'snapshot');
    // Into the neighbouring quadrant (a plausible drive), then still there past the allowance.
    const t = Date.now() + 60_000;
    expect((await osmand(`id=356938035643809&timestamp=${t}&lat=${away.lat}&lon=${away.lon}`)).status).toBe(200);
    expect((await osmand(`id=356938035643809&timestamp=${t + 2000}&lat=${away.lat}&lon=${away.lon + 0.0001}`)).status).toBe(200);
    const events = (await call('GET', '/api/v1/geofence-events', admin)).body as { unitId: string; type: string }[];
    const mine = events.filter((e) => e.unitId === unit.P148A!.id).map((e) => e.type);
    expect(mine).toContain('left_assignment');
    expect(mine).toContain('outside_too_long');
    await staff.next((m) => m.type === 'geofence', 3000);
    await staff.next((m) => m.type === 'positions', 3000);
    staff.close();
  });

  type AlertView = { id: string; kind: string; source: string; hold: string | null; status: string; lat: number; pagedUnits: { callsign: string }[] };
  /** Officers' SOS alerts open now (each test's SOS has a position of its own to find it by). */
  const officerAlarms = async () => ((await call('GET', '/api/v1/alerts', admin)).body as AlertView[])
    .filter((a) => a.kind === 'officer_in_danger' && a.source === 'officer');

  it("raises an officer-in-danger alert on a tracker's SOS that fits the unit's track, once, paging the nearest units", async () => {
    // P148A's last fix (previous test) is in the neighbouring quadrant, seconds ago: the SOS comes from there.
    for (let i = 0; i < 3; i++) {
      expect((await osmand(`id=356938035643809&timestamp=${nowS() + 70 + i}&lat=${away.lat}&lon=${away.lon}&alarm=sos`)).status).toBe(200);
    }
    const sos = (await officerAlarms()).filter((a) => a.lat === away.lat);
    expect(sos).toHaveLength(1);
    expect(sos[0]!.source).toBe('officer');
    expect(sos[0]!.hold).toBeNull();
    expect(sos[0]!.pagedUnits.length).toBeGreaterThan(0);
    expect(sos[0]!.pagedUnits.map((u) => u.callsign)).not.toContain('P148A');
  });

  it("holds a tracker's SOS for a dispatcher when it does not fit the unit's track (an impossible jump), paging nobody", async () => {
    // P148C drives through its quadrant; then "its" tracker cries SOS 600 km away a minute later.
    expect((await osmand(`id=${TRACKER_C}&timestamp=${nowS() - 60}&lat=${home.lat}&lon=${home.lon}`)).status).toBe(200);
    expect((await positionOf(unit.P148C!.id))).toMatchObject({ lat: home.lat, lon: home.lon });
    const far = { lat: home.lat + 5.4, lon: home.lon };
    expect((await osmand(`id=${TRACKER_C}&timestamp=${nowS()}&lat=${far.lat}&lon=${far.lon}&alarm=sos`)).status).toBe(200);
    const held = (await officerAlarms()).filter((a) => a.lat === far.lat);
    expect(held).toHaveLength(1);
    expect(held[0]).toMatchObject({ hold: 'unverified_sos', pagedUnits: [] });
  });

  it("holds a tracker's SOS when the unit has no recent fix from any source", async () => {
    // P148D never reported a position: nothing says the officer is where the SOS says.
    const spot = { lat: home.lat + 0.001, lon: home.lon + 0.001 };
    expect((await osmand(`id=${TRACKER_D}&timestamp=${nowS()}&lat=${spot.lat}&lon=${spot.lon}&alarm=sos`)).status).toBe(200);
    const held = (await officerAlarms()).filter((a) => a.lat === spot.lat);
    expect(held).toHaveLength(1);
    expect(held[0]).toMatchObject({ hold: 'unverified_sos', pagedUnits: [] });
  });

  it("audits every staff read of a unit's track (where an officer was)", async () => {
    const from = new Date(Date.now() - 3600_000).toISOString();
    const to = new Date().toISOString();
    expect((await call('GET', `/api/v1/units/${unit.P148C!.id}/track?from=${from}&to=${to}`, admin)).status).toBe(200);
    const audit = (await call('GET', '/api/v1/audit?limit=20', admin)).body as { actorId: string; action: string; target: string; details: unknown }[];
    const me = (await call('GET', '/api/v1/auth/me', admin)).body as { userId: string };
    const entry = audit.find((e) => e.action === 'unit.track.read' && e.target === unit.P148C!.id);
    expect(entry).toMatchObject({ actorId: me.userId, details: { from, to } });
    // A unit that does not exist is a 404, and nothing is recorded for it.
    expect((await call('GET', '/api/v1/units/nope/track', admin)).status).toBe(404);
    const after = (await call('GET', '/api/v1/audit?limit=20', admin)).body as { action: string; target: string }[];
    expect(after.filter((e) => e.action === 'unit.track.read' && e.target === 'nope')).toEqual([]);
  });

  it('purges history past the retention period', async () => {
    const old = Date.now() - 2 * 24 * 3600_000;
    await call('POST', '/api/v1/positions/batch', admin, { positions: [{ unitId: unit.P148B!.id, at: old, lat: home.lat, lon: home.lon }] });
    await server.services.tracking.flush();
    expect(await server.services.tracking.purge()).toBeGreaterThanOrEqual(1);
    const track = await call('GET', `/api/v1/units/${unit.P148B!.id}/track?from=${new Date(old - 1000).toISOString()}&to=${new Date(old + 1000).toISOString()}`, admin);
    expect(JSON.parse(track.text).features[0].geometry.coordinates).toHaveLength(0);
  });
});
