// The quadrant service through HTTP on a real server, on SQLite and on PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableEngines } from '../support/engines.js';
import { startTestServer, type TestServer } from '../support/server.js';

const engines = await availableEngines();

interface LocateBody {
  quadrant: { id: string; sector: string; alcaldia: string; contacts: { phone: string; isDefault: boolean }[]; threat: { level: number; explanation: { es: string; en: string } } } | null;
  nearest: { id: string; distanceMeters: number; contacts: unknown[] } | null;
  version: number;
}
interface FeatureBody { properties: { id: string; interiorPoint: { lat: number; lon: number }; neighbours: string[]; areaM2: number; centroid: { lat: number; lon: number }; contacts: { phone: string }[]; threat: { level: number } } }

describe.each(engines)('quadrants over HTTP on $name', (engine) => {
  let server: TestServer;
  const get = (path: string, headers: Record<string, string> = {}) => fetch(`${server.url}${path}`, { headers });
  const json = async <T>(path: string, headers: Record<string, string> = {}) => (await get(path, headers)).json() as Promise<T>;
  const send = async (method: string, path: string, body: unknown, token?: string, contentType = 'application/json') =>
    fetch(`${server.url}${path}`, {
      method, body: typeof body === 'string' ? body : JSON.stringify(body),
      headers: { 'content-type': contentType, ...(token ? { authorization: `Bearer ${token}` } : {}) },
    });

  beforeAll(async () => { server = await startTestServer({ engine, webDir: null }); }, 120_000);
  afterAll(async () => { await server?.close(); });

  it('is healthy with the 847 CDMX quadrants loaded', async () => {
    const res = await get('/health');
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ok', engine: engine.name, quadrants: 847, quadrantSetVersion: 1 });
  });

  it('locates a point inside a known quadrant with its phone and threat level', async () => {
    const f = await json<FeatureBody>('/api/v1/quadrants/P-1.4.8');
    const { lat, lon } = f.properties.interiorPoint;
    const body = await json<LocateBody>(`/api/v1/locate?lat=${lat}&lon=${lon}`);
    expect(body.quadrant?.id).toBe('P-1.4.8');
    expect(body.quadrant?.sector).toBe('SAN ANGEL');
    expect(body.quadrant?.alcaldia).toBe('ALVARO OBREGON');
    expect(body.quadrant?.contacts[0]).toMatchObject({ phone: '+525552089898', isDefault: true });
    expect(body.quadrant?.threat.level).toBeGreaterThanOrEqual(1);
    expect(body.quadrant?.threat.explanation.es.length).toBeGreaterThan(20);
    // A phone's answer stays small: the drivers are in the quadrant's own document.
    expect(Object.keys(body.quadrant!.threat).sort()).toEqual(['explanation', 'label', 'level']);
    expect(body.nearest).toBeNull();
  });

  it('answers a point outside the city with the nearest quadrant and its distance', async () => {
    // Toluca road, west of the city limits.
    const body = await json<LocateBody>('/api/v1/locate?lat=19.35&lon=-99.40');
    expect(body.quadrant).toBeNull();
    expect(body.nearest?.id).toMatch(/^[A-Z]+-/);
    expect(body.nearest?.distanceMeters).toBeGreaterThan(1000);
    expect(body.nearest?.distanceMeters).toBeLessThan(30_000);
    expect(body.nearest?.contacts.length).toBeGreaterThan(0);
  });

  it('gives one answer, every time, for a vertex shared by neighbouring quadrants', async () => {
    const f = await json<FeatureBody & { geometry: { coordinates: number[][][] } }>('/api/v1/quadrants/P-1.4.8');
    const neighbour = f.properties.neighbours[0]!;
    const other = await json<{ geometry: { coordinates: number[][][] } }>(`/api/v1/quadrants/${encodeURIComponent(neighbour)}`);
    const key = (p: number[]) => `${p[0]},${p[1]}`;
    const theirs = new Set(other.geometry.coordinates[0]!.map(key));
    const shared = f.geometry.coordinates[0]!.find((p) => theirs.has(key(p)));
    expect(shared, 'neighbours share at least one vertex').toEqual([expect.any(Number), expect.any(Number)]);
    const answers = new Set<string | undefined>();
    for (let i = 0; i < 5; i++) {
      answers.add((await json<LocateBody>(`/api/v1/locate?lat=${shared![1]}&lon=${shared![0]}`)).quadrant?.id);
    }
    expect(answers.size).toBe(1);
    expect(['P-1.4.8', neighbour]).toContain([...answers][0]); // one of the two, never none
  });

  it.each([
    ['missing lat', 'lon=-99.13'],
    ['non-numeric', 'lat=abc&lon=-99.13'],
    ['latitude out of range', 'lat=91&lon=-99.13'],
    ['longitude out of range', 'lat=19.4&lon=-181'],
    ['empty value', 'lat=&lon=-99.13'],
  ])('refuses %s with 400 INVALID_COORDINATES in Spanish by default', async (_, qs) => {
    const res = await get(`/api/v1/locate?${qs}`);
    expect(res.status).toBe(400);
    const body = await res.json() as { error: { code: string; message: string } };
    expect(body.error.code).toBe('INVALID_COORDINATES');
    expect(body.error.message).toMatch(/^Coordenadas inválidas/);
  });

  it('answers errors in English when asked', async () => {
    const res = await get('/api/v1/locate?lat=95&lon=0', { 'accept-language': 'en-US,en;q=0.9,es;q=0.5' });
    const body = await res.json() as { error: { code: string; message: string } };
    expect(body.error.message).toMatch(/^Invalid coordinates/);
  });

  it('lists all quadrants as GeoJSON, filtered by bbox and simplified on request', async () => {
    const all = await get('/api/v1/quadrants');
    const allText = await all.text();
    const fc = JSON.parse(allText) as { features: { properties: { id: string; threatLevel: number } }[] };
    expect(fc.features).toHaveLength(847);
    expect(new Set(fc.features.map((f) => f.properties.threatLevel))).toEqual(new Set([1, 2, 3, 4, 5]));
    const small = await (await get('/api/v1/quadrants?simplify=20')).text();
    expect(JSON.parse(small).features).toHaveLength(847);
    expect(small.length).toBeLessThan(allText.length * 0.7);
    const centro = await json<{ features: unknown[] }>('/api/v1/quadrants?bbox=-99.145,19.425,-99.125,19.44');
    expect(centro.features.length).toBeGreaterThan(0);
    expect(centro.features.length).toBeLessThan(60);
    expect((await get('/api/v1/quadrants?bbox=1,2,3')).status).toBe(400);
  });

  it('describes one quadrant with area, centroid and neighbours', async () => {
    const f = await json<FeatureBody>('/api/v1/quadrants/P-1.4.8');
    expect(f.properties.areaM2).toBeGreaterThan(100_000);
    expect(f.properties.neighbours.length).toBeGreaterThan(1);
    expect(f.properties.neighbours).not.toContain('P-1.4.8');
    // Neighbourhood is symmetric.
    const n = await json<FeatureBody>(`/api/v1/quadrants/${encodeURIComponent(f.properties.neighbours[0]!)}`);
    expect(n.properties.neighbours).toContain('P-1.4.8');
    const missing = await get('/api/v1/quadrants/NO-EXISTE');
    expect(missing.status).toBe(404);
    expect((await missing.json() as { error: { code: string } }).error.code).toBe('QUADRANT_NOT_FOUND');
  });

  it('serves the 72 sectors', async () => {
    const fc = await json<{ features: { properties: { id: string; quadrants: string[] } }[] }>('/api/v1/sectors');
    expect(fc.features).toHaveLength(72);
    const sanAngel = await json<{ properties: { quadrants: string[]; alcaldia: string } }>('/api/v1/sectors/SAN%20ANGEL');
    expect(sanAngel.properties.quadrants).toContain('P-1.4.8');
    expect((await get('/api/v1/sectors/NOPE')).status).toBe(404);
  });

  it('refuses admin endpoints to anonymous callers and to other roles', async () => {
    expect((await get('/api/v1/quadrant-sets')).status).toBe(401);
    const admin = await server.adminToken();
    const created = await send('POST', '/api/v1/users', { username: 'despacho1', password: 'una-clave-larga-123', role: 'dispatcher' }, admin);
    expect(created.status).toBe(201);
    const login = await send('POST', '/api/v1/auth/login', { username: 'despacho1', password: 'una-clave-larga-123' });
    const { token } = await login.json() as { token: string };
    const forbidden = await fetch(`${server.url}/api/v1/quadrant-sets`, { headers: { authorization: `Bearer ${token}` } });
    expect(forbidden.status).toBe(403);
    expect((await send('PUT', '/api/v1/quadrants/P-1.4.8/contacts', { contacts: [] }, token)).status).toBe(403);
    expect((await send('POST', '/api/v1/auth/login', { username: 'despacho1', password: 'wrong-password!!' })).status).toBe(401);
  });

  it('revokes a token on logout', async () => {
    const login = await send('POST', '/api/v1/auth/login', { username: server.config.adminUsername, password: server.config.adminPassword });
    const { token } = await login.json() as { token: string };
    const me = await fetch(`${server.url}/api/v1/auth/me`, { headers: { authorization: `Bearer ${token}` } });
    expect(await me.json()).toMatchObject({ role: 'admin' });
    expect((await send('POST', '/api/v1/auth/logout', '', token, 'text/plain')).status).toBe(204);
    const after = await fetch(`${server.url}/api/v1/auth/me`, { headers: { authorization: `Bearer ${token}` } });
    expect(after.status).toBe(401);
  });

  it("lets an admin set a quadrant's phone, audited, and refuses a bad number without changing anything", async () => {
    const admin = await server.adminToken();
    const bad = await send('PUT', '/api/v1/quadrants/P-1.4.8/contacts', { contacts: [{ phone: '12' }] }, admin);
    expect(bad.status).toBe(400);
    const bad2 = await send('PUT', '/api/v1/quadrants/P-1.4.8/contacts', { contacts: [{ phone: 'call me maybe' }] }, admin);
    expect((await bad2.json() as { error: { code: string } }).error.code).toBe('INVALID_PHONE');
    let f = await json<FeatureBody>('/api/v1/quadrants/P-1.4.8');
    expect(f.properties.contacts[0]!.phone).toBe('+525552089898');

    const ok = await send('PUT', '/api/v1/quadrants/P-1.4.8/contacts', { contacts: [{ phone: '55 1234 5678', label: 'Patrulla P-1.4.8' }] }, admin);
    expect(ok.status).toBe(200);
    f = await json<FeatureBody>('/api/v1/quadrants/P-1.4.8');
    const located = await json<LocateBody>(`/api/v1/locate?lat=${f.properties.interiorPoint.lat}&lon=${f.properties.interiorPoint.lon}`);
    expect(located.quadrant?.contacts).toEqual([expect.objectContaining({ phone: '+525512345678', isDefault: false })]);
    const audit = await (await fetch(`${server.url}/api/v1/audit`, { headers: { authorization: `Bearer ${admin}` } })).json() as { action: string; target: string }[];
    expect(audit.find((a) => a.action === 'quadrant.contacts.update')?.target).toBe('P-1.4.8');
  });

  it('imports a new version, refuses a bad file naming the feature, and activates versions atomically', async () => {
    const admin = await server.adminToken();
    const square = (x: number, y: number, d: number) => [[[x, y], [x + d, y], [x + d, y + d], [x, y + d], [x, y]]];
    const city = {
      type: 'FeatureCollection',
      features: [
        { type: 'Feature', properties: { clave: 'N-1', sec: 'NORTE-1' }, geometry: { type: 'Polygon', coordinates: square(-99.2, 19.4, 0.01) } },
        { type: 'Feature', properties: { clave: 'N-2', sec: 'NORTE-1' }, geometry: { type: 'Polygon', coordinates: square(-99.19, 19.4, 0.01) } },
      ],
    };
    const broken = structuredClone(city);
    broken.features[1]!.geometry.coordinates[0]!.pop(); // ring no longer closed
    const refused = await send('POST', '/api/v1/quadrant-sets?idProperty=clave&sectorProperty=sec', broken, admin);
    expect(refused.status).toBe(422);
    const err = await refused.json() as { error: { code: string; message: string } };
    expect(err.error.code).toBe('IMPORT_INVALID_FEATURE');
    expect(err.error.message).toContain('1');
    expect(err.error.message).toContain('N-2');
    const versionsBefore = await (await fetch(`${server.url}/api/v1/quadrant-sets`, { headers: { authorization: `Bearer ${admin}` } })).json() as unknown[];
    expect(versionsBefore).toHaveLength(1);

    const imported = await send('POST', '/api/v1/quadrant-sets?idProperty=clave&sectorProperty=sec&name=Prueba', city, admin, 'application/geo+json');
    expect(imported.status).toBe(201);
    expect(await imported.json()).toMatchObject({ version: 2, featureCount: 2, active: true });
    const inside = await json<LocateBody>('/api/v1/locate?lat=19.405&lon=-99.185');
    expect(inside).toMatchObject({ version: 2, quadrant: { id: 'N-2', sector: 'NORTE-1' } });
    expect((await json<FeatureBody>('/api/v1/quadrants/N-1')).properties.neighbours).toEqual(['N-2']);

    const back = await send('POST', '/api/v1/quadrant-sets/1/activate', '', admin, 'text/plain');
    expect(back.status).toBe(200);
    const again = await json<LocateBody>('/api/v1/locate?lat=19.4326&lon=-99.1332');
    expect(again.version).toBe(1);
    expect(again.quadrant?.id).toBe('C-1.1.3');
    const versions = await (await fetch(`${server.url}/api/v1/quadrant-sets`, { headers: { authorization: `Bearer ${admin}` } })).json() as { version: number; active: boolean }[];
    expect(versions.map((v) => [v.version, v.active])).toEqual([[2, false], [1, true]]);
    expect((await send('POST', '/api/v1/quadrant-sets/99/activate', '', admin, 'text/plain')).status).toBe(404);
  });

  it('recomputes threat levels when crime statistics are imported', async () => {
    const admin = await server.adminToken();
    const before = await json<FeatureBody>('/api/v1/quadrants/P-1.4.8');
    const rows = ['cuadrante,crime,month,count'];
    for (let m = 1; m <= 12; m++) rows.push(`P-1.4.8,HOMICIDIO DOLOSO,2015-${String(m).padStart(2, '0')},40`);
    rows.push('C-1.1.3,ROBO A NEGOCIO C.V.,2015-12,1');
    const res = await send('POST', '/api/v1/crime-stats', rows.join('\n'), admin, 'text/csv');
    expect(res.status).toBe(200);
    const after = await json<FeatureBody & { properties: { threat: { explanation: { es: string }; window: { to: string } } } }>('/api/v1/quadrants/P-1.4.8');
    const calm = await json<FeatureBody>('/api/v1/quadrants/C-1.1.3');
    expect(after.properties.threat.level).toBeGreaterThan(calm.properties.threat.level);
    expect(after.properties.threat.explanation.es).toMatch(/homicidio/i);
    expect(after.properties.threat.window.to).toBe('2015-12');
    expect(before.properties.threat).not.toEqual(after.properties.threat);
    const bad = await send('POST', '/api/v1/crime-stats', 'cuadrante,crime,month,count\nP-1.4.8,X,not-a-month,1', admin, 'text/csv');
    expect(bad.status).toBe(422);
    expect((await json<FeatureBody>('/api/v1/quadrants/P-1.4.8')).properties.threat).toEqual(after.properties.threat);
  });

  it('documents the API in OpenAPI 3 and serves browsable docs', async () => {
    const doc = await json<{ openapi: string; paths: Record<string, unknown> }>('/openapi.json');
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/v1/locate', '/api/v1/quadrants', '/api/v1/quadrants/{id}', '/api/v1/sectors', '/api/v1/quadrant-sets', '/api/v1/auth/login']));
    const docs = await get('/docs');
    expect(docs.status).toBe(200);
  });

  it('refuses malformed and oversized bodies with a clear 4xx', async () => {
    const admin = await server.adminToken();
    const malformed = await send('POST', '/api/v1/auth/login', '{"username": ');
    expect(malformed.status).toBe(400);
    expect((await malformed.json() as { error: { code: string } }).error.code).toBe('MALFORMED_JSON');
    const huge = await send('PUT', '/api/v1/quadrants/P-1.4.8/contacts', { contacts: [], pad: 'x'.repeat(2 * 1024 * 1024) }, admin);
    expect(huge.status).toBe(413);
    expect((await get('/api/v1/nope')).status).toBe(404);
    expect((await get('/health')).status).toBe(200);
  });
});
