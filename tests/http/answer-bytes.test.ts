// /locate and GET /api/v1/numbers/{n} send bytes they keep (src/http/answer-bytes.ts): those
// bytes must be exactly what Fastify's serializer makes of the same object by the route's response
// schema — for every quadrant, inside and as the nearest one — and must follow the data when it
// changes. SQLite only: this is about serialisation and caching, not storage.
import fastJson from 'fast-json-stringify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifySchema } from 'fastify';
import { NumberTemplate } from '../../src/http/answer-bytes.js';
import { locateBody } from '../../src/quadrants/presenters.js';
import { startTestServer, type TestServer } from '../support/server.js';

let server: TestServer;
beforeAll(async () => { server = await startTestServer({ webDir: null }); }, 120_000);
afterAll(async () => { await server?.close(); });

/** The serializer Fastify compiles for a route's 200 body (the app sets no serializer options). */
function serializerOf(url: string): (body: unknown) => string {
  const route = server.app.routeCatalogue.find((r) => r.method === 'GET' && r.url === url);
  const schema = (route?.schema as FastifySchema & { response?: Record<string, object> } | undefined)?.response?.['200'];
  expect(schema, `${url} declares a 200 response schema`).toBeDefined();
  return fastJson(schema as object) as (body: unknown) => string;
}

const get = (url: string) => server.app.inject({ method: 'GET', url });

/** The answer's bytes against the serializer's output for the object they parse to. */
async function expectSerializerBytes(url: string, serialize: (b: unknown) => string) {
  const res = await get(url);
  expect(res.statusCode, res.body).toBe(200);
  expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
  const parsed = JSON.parse(res.body) as unknown;
  expect(res.rawPayload.equals(Buffer.from(serialize(parsed))), url).toBe(true);
  expect(Number(res.headers['content-length'])).toBe(res.rawPayload.length);
  return parsed as { quadrant: { id: string; contacts: { phone: string }[] } | null; nearest: { id: string; distanceMeters: number } | null };
}

describe('GET /api/v1/locate bytes', () => {
  it('are the serializer output for a point in every quadrant', async () => {
    const serialize = serializerOf('/api/v1/locate');
    const set = server.services.quadrants.requireActive();
    expect(set.quadrants.length).toBe(847);
    for (const q of set.quadrants) {
      const body = await expectSerializerBytes(`/api/v1/locate?lat=${q.interiorPoint.lat}&lon=${q.interiorPoint.lon}`, serialize);
      expect(body.quadrant?.id).toBe(q.id);
    }
  }, 120_000);

  it('are the serializer output outside the city, with the nearest quadrant and its distance', async () => {
    const serialize = serializerOf('/api/v1/locate');
    const seen = new Set<string>();
    for (const [lat, lon] of [[19.35, -99.4], [19.9, -99.1], [18.9, -99.2], [19.4, -98.6], [0, 0], [-45.5, 170.25]] as const) {
      const body = await expectSerializerBytes(`/api/v1/locate?lat=${lat}&lon=${lon}`, serialize);
      expect(body.quadrant).toBeNull();
      expect(body.nearest!.distanceMeters).toBeGreaterThan(0);
      seen.add(body.nearest!.id);
    }
    expect(seen.size).toBeGreaterThan(2);
  });

  it('take the templated path with the route schema (no per-answer serialisation)', () => {
    const serialize = serializerOf('/api/v1/locate');
    const q = server.services.quadrants;
    const inside = q.locate(-99.1332, 19.4326);
    const outside = q.locate(-99.4, 19.35);
    expect(NumberTemplate.probe(serialize, ([lat, lon]) => locateBody(inside, lat!, lon!), 2)).not.toBeNull();
    expect(NumberTemplate.probe(serialize, ([lat, lon, d]) => locateBody({ ...outside, nearest: { index: outside.nearest!.index, distanceMeters: d! } }, lat!, lon!), 3)).not.toBeNull();
  });

  it("follow a change of the quadrant's data", async () => {
    const serialize = serializerOf('/api/v1/locate');
    const set = server.services.quadrants.requireActive();
    const q = set.quadrants.find((x) => x.id === 'C-1.1.3')!;
    const url = `/api/v1/locate?lat=${q.interiorPoint.lat}&lon=${q.interiorPoint.lon}`;
    expect((await expectSerializerBytes(url, serialize)).quadrant?.contacts.map((c) => c.phone)).toEqual(['+525552089898']);
    const admin = await server.adminToken();
    const put = await server.app.inject({
      method: 'PUT', url: '/api/v1/quadrants/C-1.1.3/contacts', headers: { authorization: `Bearer ${admin}` },
      payload: { contacts: [{ phone: '55 1234 5678', label: 'Patrulla Centro' }] },
    });
    expect(put.statusCode, put.body).toBe(200);
    const after = await expectSerializerBytes(url, serialize);
    expect(after.quadrant?.contacts.map((c) => c.phone)).toEqual(['+525512345678']);
    // …and back: the city line again, in new bytes.
    await server.app.inject({ method: 'PUT', url: '/api/v1/quadrants/C-1.1.3/contacts', headers: { authorization: `Bearer ${admin}` }, payload: { contacts: [] } });
    expect((await expectSerializerBytes(url, serialize)).quadrant?.contacts.map((c) => c.phone)).toEqual(['+525552089898']);
  });
});

describe('GET /api/v1/numbers/{n} bytes', () => {
  const report = (number: string) => server.app.inject({
    method: 'POST', url: '/api/v1/extortion/reports', payload: { number, channel: 'call', type: 'virtual_kidnapping' },
  });

  it('are the serializer output for numbers nobody reported, in any spelling', async () => {
    const serialize = serializerOf('/api/v1/numbers/:number');
    for (const n of ['+525512345670', '55 1234 5671', '044 55 1234 5672', '+52 1 55 1234 5673']) {
      await expectSerializerBytes(`/api/v1/numbers/${encodeURIComponent(n)}`, serialize);
    }
  });

  it("are the serializer output for a reported number and follow its reputation's changes", async () => {
    const serialize = serializerOf('/api/v1/numbers/:number');
    const url = `/api/v1/numbers/${encodeURIComponent('+525598765432')}`;
    const before = await expectSerializerBytes(url, serialize) as unknown as { reports: number; level: string };
    expect(before.reports).toBe(0);
    expect((await report('55 9876 5432')).statusCode).toBe(201);
    const once = await expectSerializerBytes(url, serialize) as unknown as { reports: number; lastReportAt: string | null };
    expect(once.reports).toBe(1);
    expect(once.lastReportAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect((await report('+52 55 9876 5432')).statusCode).toBe(201);
    expect((await expectSerializerBytes(url, serialize) as unknown as { reports: number }).reports).toBe(2);
  });
});
