// Item 1 of issue 10: one API contract. Every route the app registered (its own catalogue, so a
// route added later is covered without a list to update) must
// - declare a real schema for each success body (never Type.Unknown()): the serializer is then an
//   allow-list, and /openapi.json describes what clients read;
// - document every status it can return — derived from its shape and access rule, plus the
//   use-case statuses declared below (tests/support/contract.ts says how) — in its schema and in
//   /openapi.json, each error with the one {"error":{"code","message"}} body, and the real media
//   types (GeoJSON, CSV);
// - and, walked for real, answer only statuses it documents: anonymously, with bad input, with an
//   overlong path segment (414), an unsupported content type (415), a body past its limit (413),
//   and with a method the path does not take (405 with Allow).
// Fastify's and Node's own refusals (unknown route, overlong segment, malformed request line,
// headers too large, a request during shutdown) come in the same shape. One engine: this is about
// the HTTP edge.
import { readdirSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';
import Fastify from 'fastify';
import FindMyWay, { type HTTPMethod } from 'find-my-way';
import fastifySwagger from '@fastify/swagger';
import { Type } from 'typebox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import '../../src/http/auth.js';
import { registerRouteCatalogue } from '../../src/http/route-catalogue.js';
import { registerClosingRefusal, registerErrorHandling } from '../../src/http/errors.js';
import { errorResponses } from '../../src/http/route-contract.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { concreteUrl, requiredHeaders } from '../support/routes.js';
import { expectCatalogueError } from '../support/error-shape.js';
import {
  contractProblems, contractRoutes, documentedStatuses, keyOf, openApiPath, requiredStatuses, type ContractRules, type OpenApiDoc,
} from '../support/contract.js';

/** What use-cases return beyond what a route's shape says (read from the services; keep in step). */
const RULES: ContractRules = {
  declared: {
    'POST /api/v1/extortion/reports': [429],
    'POST /api/v1/numbers/:number/disputes': [429],
    'GET /api/v1/carrier/numbers/:number': [401, 429],
    'GET /api/v1/carrier/blocklist': [401, 429],
    'POST /api/v1/extortion/disputes/:id/resolution': [409],
    'POST /api/v1/code-word/check': [429, 503],
    'PUT /api/v1/code-word': [503],
    'POST /api/v1/checkins': [404, 429],
    'POST /api/v1/checkin-links/status': [404],
    'POST /api/v1/checkin-links/answer': [404, 409],
    'GET /api/v1/locate': [503],
    'GET /api/v1/quadrants': [503],
    'GET /api/v1/quadrants/:id': [503],
    'GET /api/v1/sectors': [503],
    'GET /api/v1/sectors/:id': [503],
    'PUT /api/v1/quadrants/:id/contacts': [503],
    'POST /api/v1/quadrant-sets': [422],
    'POST /api/v1/crime-stats': [422],
    'POST /api/v1/auth/login': [401, 429, 503],
    'POST /api/v1/devices': [429],
    'PUT /api/v1/devices/me/pins': [409, 429],
    'POST /api/v1/alerts/:id/actions': [409],
  },
  everyValue: [
    // A number nobody reported has a reputation too (level none); a prefix with no entries is an empty list.
    'GET /api/v1/numbers/:number', 'GET /api/v1/carrier/numbers/:number', 'GET /api/v1/numbers/range/:prefix',
    'GET /api/v1/extortion/numbers/:number', 'POST /api/v1/extortion/numbers/:number/decision',
    'PUT /api/v1/extortion/protected/:number', 'DELETE /api/v1/extortion/protected/:number',
  ],
  // The OsmAnd routes take any body as text (the Traccar protocol): no content type is refused.
  impossible: Object.fromEntries(['GET', 'POST', 'PUT'].flatMap((m) => [[`${m} /api/v1/osmand`, [415]], [`${m} /api/v1/osmand/*`, [415]]])),
  // The Traccar protocol's refusals are a status with an empty body (trackers read nothing else).
  bareErrors: Object.fromEntries(['GET', 'POST', 'PUT'].flatMap((m) => [[`${m} /api/v1/osmand`, [400, 429]], [`${m} /api/v1/osmand/*`, [400, 429]]])),
  media: {
    'GET /api/v1/quadrants': ['application/geo+json'],
    'GET /api/v1/quadrants/:id': ['application/geo+json'],
    'GET /api/v1/sectors': ['application/geo+json'],
    'GET /api/v1/sectors/:id': ['application/geo+json'],
    'GET /api/v1/units/:id/track': ['application/geo+json'],
    'GET /api/v1/carrier/blocklist': ['application/json', 'text/csv'],
    'POST /api/v1/extortion/exports': ['application/json', 'text/csv'],
  },
};

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];
const isOsmAnd = (url: string) => url.startsWith('/api/v1/osmand');

describe('the contract rules themselves', () => {
  // The checker must fail on a route that breaks the contract, or its silence on the app means nothing.
  it('find a route with an unknown body and undocumented statuses, and pass one that documents them', async () => {
    const app = Fastify();
    registerRouteCatalogue(app);
    await app.register(fastifySwagger, { openapi: { openapi: '3.1.0', info: { title: 't', version: '1' } } });
    app.get('/things/:id', { schema: { params: Type.Object({ id: Type.String() }), response: { 200: Type.Unknown() } }, config: { access: 'authenticated' } }, async () => ({}));
    app.get('/good/:id', {
      schema: { params: Type.Object({ id: Type.String() }), response: { 200: Type.Object({ id: Type.String() }), ...errorResponses(400, 401, 403, 404, 414) } },
      config: { access: 'authenticated' },
    }, async () => ({ id: 'x' }));
    app.post('/bodies', { schema: { body: Type.Object({ a: Type.String() }), response: { 201: Type.Object({ a: Type.String() }), ...errorResponses(400) } } }, async () => ({ a: '' }));
    await app.ready();
    const problems = contractProblems(app, app.swagger() as unknown as OpenApiDoc, { declared: {}, everyValue: [], impossible: {}, bareErrors: {}, media: {} });
    expect(problems).toEqual([
      'GET /things/:id: 200 application/json has no schema (Type.Unknown)',
      'GET /things/:id: can return 400, 401, 403, 404, 414 but does not document them',
      'GET /things/:id: /openapi.json lacks 400, 401, 403, 404, 414',
      'POST /bodies: can return 413, 415 but does not document them',
      'POST /bodies: /openapi.json lacks 413, 415',
    ]);
    const declared = contractProblems(app, app.swagger() as unknown as OpenApiDoc, { declared: { 'GET /good/:id': [429] }, everyValue: [], impossible: {}, bareErrors: {}, media: { 'GET /good/:id': ['text/csv'] } })
      .filter((p) => p.startsWith('GET /good'));
    expect(declared).toEqual([
      'GET /good/:id: can return 429 but does not document it',
      'GET /good/:id: /openapi.json lacks 429',
      'GET /good/:id: /openapi.json does not say it sends text/csv',
    ]);
    await app.close();
  });
});

describe('the contract module', () => {
  it('imports nothing but typebox and its own files, so the pages can import its types', () => {
    const dir = new URL('../../src/contracts/', import.meta.url);
    const files = readdirSync(dir).filter((f) => f.endsWith('.ts'));
    expect(files).toEqual(expect.arrayContaining(['index.ts', 'extortion.ts', 'family.ts', 'quadrants.ts', 'tracking.ts']));
    for (const f of files) {
      const sources = [...readFileSync(new URL(f, dir), 'utf8').matchAll(/^(?:import|export)[^'"]*from\s+'([^']+)'/gm)].map((m) => m[1]);
      for (const from of sources) expect(from, `src/contracts/${f}`).toMatch(/^(typebox|\.\/[a-z-]+\.js)$/);
    }
  });
});

describe('the HTTP edge while the server stops', () => {
  it('answers a request that arrives during shutdown with 503 SHUTTING_DOWN in the one shape, not Fastify\'s own body', async () => {
    const app = Fastify({ return503OnClosing: false });
    registerRouteCatalogue(app);
    registerErrorHandling(app);
    registerClosingRefusal(app);
    app.get('/h', async () => ({ ok: true }));
    let url = '';
    let answer: { status: number; headers: Headers; text: string } | null = null;
    // Runs after the refusal's own preClose hook: the server still listens, but is stopping.
    app.addHook('preClose', async () => {
      const res = await fetch(`${url}/h`, { headers: { 'accept-language': 'en' } });
      answer = { status: res.status, headers: res.headers, text: await res.text() };
    });
    url = await app.listen({ port: 0, host: '127.0.0.1' });
    await app.close();
    const got = answer as { status: number; headers: Headers; text: string } | null;
    expect(got?.status).toBe(503);
    expect(got?.headers.get('connection')).toBe('close');
    expect(expectCatalogueError(503, got!.headers, got!.text, 'during shutdown').error.code).toBe('SHUTTING_DOWN');
  });
});

describe('every route keeps the API contract', () => {
  let server: TestServer;
  let admin: string;
  let doc: OpenApiDoc;

  beforeAll(async () => {
    server = await startTestServer({ webDir: null, config: { mode: 'development' } });
    admin = await server.adminToken();
    doc = await (await fetch(`${server.url}/openapi.json`)).json() as OpenApiDoc;
  });
  afterAll(async () => { await server?.close(); });

  it('walks the whole catalogue', () => {
    // Guards the walk: a catalogue that lost its routes would make every check below pass.
    expect(contractRoutes(server.app).length).toBeGreaterThan(60);
  });

  it('gives every success body a schema and documents every status a route can return, in the routes and in /openapi.json', () => {
    expect(contractProblems(server.app, doc, RULES)).toEqual([]);
  });

  it('documents the media types each answer really has: GeoJSON and CSV where they are sent', () => {
    const track = doc.paths['/api/v1/units/{id}/track']!.get!.responses!['200']!;
    expect(Object.keys(track.content ?? {})).toEqual(['application/geo+json']);
    const feed = doc.paths['/api/v1/carrier/blocklist']!.get!.responses!['200']!;
    expect(Object.keys(feed.content ?? {}).sort()).toEqual(['application/json', 'text/csv']);
    // Errors stay JSON even where the success is not.
    expect(Object.keys(track.content ?? {})).not.toContain('application/json');
    expect(Object.keys(doc.paths['/api/v1/units/{id}/track']!.get!.responses!['404']!.content ?? {})).toEqual(['application/json']);
  });

  /** Sends one request and checks the answer is documented for the route (and in the error shape when it is an error). */
  async function expectDocumented(route: ReturnType<typeof contractRoutes>[number], init: { method?: string; url: string; token?: string | null; body?: string; type?: string }, seen: string[]) {
    const headers: Record<string, string> = { ...requiredHeaders(route), 'accept-language': 'en' };
    if (init.token) headers.authorization = `Bearer ${init.token}`;
    if (init.body !== undefined) headers['content-type'] = init.type ?? 'application/json';
    const res = await fetch(server.url + init.url, { method: init.method ?? route.method, headers, ...(init.body !== undefined ? { body: init.body } : {}) });
    const text = await res.text();
    const context = `${init.method ?? route.method} ${init.url.slice(0, 120)} → ${res.status}`;
    seen.push(context);
    if (init.method === undefined || init.method === route.method) {
      expect(documentedStatuses(route), `${context}: the answer's status is not documented for ${keyOf(route)}`).toContain(res.status);
    }
    if (res.status >= 400 && !(isOsmAnd(route.url) && text === '')) expectCatalogueError(res.status, res.headers, text, context);
    return res;
  }

  it('answers only statuses it documents, walked anonymously, as the admin, with bad bodies and content types', async () => {
    const seen: string[] = [];
    for (const route of contractRoutes(server.app)) {
      const url = concreteUrl(route);
      const body = ['POST', 'PUT', 'PATCH'].includes(route.method) ? '[]' : undefined;
      // A body of the wrong shape is refused before any use-case runs: nothing changes.
      await expectDocumented(route, { url, token: null, ...(body ? { body } : {}) }, seen);
      const hasBodySchema = (route.schema as { body?: unknown } | undefined)?.body !== undefined;
      // As the admin: reads, and bodies a schema refuses (a route without one, like sign-out, would act).
      if (route.method === 'GET' || hasBodySchema) await expectDocumented(route, { url, token: admin, ...(body ? { body } : {}) }, seen);
      if (body && !isOsmAnd(route.url)) {
        const res = await expectDocumented(route, { url, token: admin, body: '<a/>', type: 'application/xml' }, seen);
        expect(res.status, `${keyOf(route)} with application/xml`).toBe(415);
        const limit = route.bodyLimit ?? 1024 * 1024;
        if (limit <= 2 * 1024 * 1024) {
          const big = await expectDocumented(route, { url, token: admin, body: JSON.stringify({ x: 'a'.repeat(limit) }) }, seen);
          expect(big.status, `${keyOf(route)} with ${limit + 8} bytes`).toBe(413);
        }
      }
    }
    expect(seen.length).toBeGreaterThan(150);
  }, 240_000);

  it('answers an overlong path segment with 414 URI_TOO_LONG, documented, in the caller\'s language and with the API headers', async () => {
    for (const route of contractRoutes(server.app).filter((r) => r.url.includes(':'))) {
      const url = route.url.replace(/:[A-Za-z0-9_]+/, 'x'.repeat(101)).replace(/:[A-Za-z0-9_]+/g, 'x');
      const res = await fetch(server.url + url, { method: route.method, headers: { 'accept-language': 'en', ...(route.method === 'GET' || route.method === 'DELETE' ? {} : { 'content-type': 'application/json' }) }, ...(route.method === 'GET' || route.method === 'DELETE' ? {} : { body: '{}' }) });
      const text = await res.text();
      expect(res.status, `${keyOf(route)}: ${text}`).toBe(414);
      const body = expectCatalogueError(414, res.headers, text, keyOf(route));
      expect(body.error.code).toBe('URI_TOO_LONG');
      expect(body.error.message).toBe('A path segment is too long (maximum 100 characters)');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(requiredStatuses(route, RULES)).toContain(414);
    }
  });

  it('answers a method a known path does not take with 405 and Allow, for every path', async () => {
    // The oracle is Fastify's own router, fed the catalogue: what it would route is what Allow lists
    // (PATCH /api/v1/units/positions reaches PATCH /api/v1/units/:id, so it is allowed there).
    const router = FindMyWay();
    const urls = new Set<string>();
    for (const r of server.app.routeCatalogue) {
      if (r.websocket) continue;
      router.on(r.method as HTTPMethod, r.url, () => {});
      urls.add(r.url);
    }
    let checked = 0;
    for (const url of urls) {
      if (!url.startsWith('/api/')) continue;
      const concrete = url.replace(/:[A-Za-z0-9_]+/g, 'abc').replace(/\*$/, 'x');
      const methods = new Set([...METHODS, 'HEAD'].filter((m) => router.find(m as HTTPMethod, concrete) !== null));
      const other = METHODS.find((m) => !methods.has(m));
      if (!other) continue;
      const res = await fetch(server.url + concrete, { method: other, headers: { 'accept-language': 'es' } });
      const text = await res.text();
      expect(res.status, `${other} ${url}: ${text}`).toBe(405);
      expect(res.headers.get('allow')?.split(', '), `${other} ${url}`).toEqual([...methods].sort());
      const body = expectCatalogueError(405, res.headers, text, `${other} ${url}`);
      expect(body.error.code).toBe('METHOD_NOT_ALLOWED');
      expect(body.error.message).toContain(`no admite ${other}`);
      checked++;
    }
    expect(checked).toBeGreaterThan(40);
    // A path nobody registered is still a 404.
    const res = await fetch(`${server.url}/api/v1/nothing-here`, { method: 'DELETE' });
    expect(expectCatalogueError(404, res.headers, await res.text(), 'DELETE /api/v1/nothing-here').error.code).toBe('ROUTE_NOT_FOUND');
    expect(res.headers.get('allow')).toBeNull();
  });

  it('answers Fastify\'s own refusals in the one shape: malformed JSON, an unknown content type, a body too large', async () => {
    const post = (body: string, type: string) => fetch(`${server.url}/api/v1/extortion/reports`, { method: 'POST', headers: { 'content-type': type, 'accept-language': 'en' }, body });
    const malformed = await post('{"number":', 'application/json');
    expect(expectCatalogueError(400, malformed.headers, await malformed.text(), 'malformed JSON').error.code).toBe('MALFORMED_JSON');
    const xml = await post('<a/>', 'application/xml');
    expect(expectCatalogueError(415, xml.headers, await xml.text(), 'xml').error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    const big = await post(JSON.stringify({ notes: 'x'.repeat(20_000) }), 'application/json');
    const body = expectCatalogueError(413, big.headers, await big.text(), 'too large');
    expect(body.error).toEqual({ code: 'BODY_TOO_LARGE', message: 'The request body is too large (maximum 16384 bytes)' });
  });

  /** Writes raw bytes to the server and returns what it answers before closing the connection. */
  function raw(request: string): Promise<string> {
    const { port } = new URL(server.url);
    return new Promise((resolve, reject) => {
      const socket = connect(Number(port), '127.0.0.1', () => socket.write(request));
      let out = '';
      socket.on('data', (d) => { out += d.toString('utf8'); });
      socket.on('close', () => resolve(out));
      socket.on('error', (err) => (out ? resolve(out) : reject(err)));
    });
  }

  it('answers what Node\'s HTTP parser refuses in the one shape too: a malformed request, headers too large', async () => {
    const parse = (answer: string) => {
      const [head = '', text = ''] = answer.split('\r\n\r\n');
      const status = Number(head.split(' ')[1]);
      const headers = new Headers(head.split('\r\n').slice(1).map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 1).trim()] as [string, string]));
      return { status, headers, text };
    };
    const bad = parse(await raw('GET /health HTTP/1.1\r\nHost: x\r\nContent-Length: nope\r\n\r\n'));
    expect(expectCatalogueError(bad.status, bad.headers, bad.text, 'malformed request').error.code).toBe('MALFORMED_REQUEST');
    expect(bad.headers.get('x-content-type-options')).toBe('nosniff');
    const huge = parse(await raw(`GET /health HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`));
    expect(huge.status).toBe(431);
    expect(expectCatalogueError(431, huge.headers, huge.text, 'headers too large').error.code).toBe('HEADERS_TOO_LARGE');
  });

  it('publishes every operation under its OpenAPI path', () => {
    for (const r of contractRoutes(server.app)) {
      if ((r.schema as { hide?: boolean } | undefined)?.hide) continue;
      expect(doc.paths[openApiPath(r.url)]?.[r.method.toLowerCase()], keyOf(r)).toMatchObject({ responses: expect.any(Object) });
    }
  });
});
