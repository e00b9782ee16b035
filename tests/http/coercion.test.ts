// Item 1b of issue 9: bad values are refused, never coerced. Every body field of every route the
// app registered gets null, booleans, numbers as text, text as numbers and one-item arrays —
// whatever its type does not allow — and each must be a 400 in the error catalogue's shape that
// names the field and changes nothing in the database.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableEngines } from '../support/engines.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { example, fields, getAt, setAt, wrongTypedValues, type Path } from '../support/schema-examples.js';
import { bodyRoutes, concreteUrl, needsAccount, requiredHeaders } from '../support/routes.js';
import { expectCatalogueError } from '../support/error-shape.js';
import { changedTables, fingerprint } from '../support/snapshot.js';
import { compileBodyValidator } from '../../src/http/validation.js';

const engines = await availableEngines();

// Counting a refused attempt against a limit is not a change of data, and the retention job
// records its runs in the audit log on its own schedule (one at start-up).
const UNCHANGED = { ignore: ['rate_counters'], ignoreRows: { audit_log: (r: Record<string, unknown>) => String(r.action).startsWith('retention.') } };

const fieldName = (path: Path) => ['body', ...path].join('.');

describe.each(engines)('bodies are validated as sent, never coerced ($name)', (engine) => {
  let server: TestServer;
  let citizen: string;

  const call = (method: string, path: string, token: string | null, body: unknown, extra: Record<string, string> = {}) =>
    fetch(server.url + path, {
      method,
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}), ...extra },
      body: JSON.stringify(body),
    });

  beforeAll(async () => {
    server = await startTestServer({ engine });
    const res = await fetch(`${server.url}/api/v1/devices`, { method: 'POST' });
    citizen = ((await res.json()) as { token: string }).token;
  });
  afterAll(async () => { await server?.close(); });

  it('refuses {"lat":null,"lon":null} for an alert instead of raising one at (0, 0) and handing it to 911', async () => {
    const before = await fingerprint(server.services.storage.db, UNCHANGED);
    for (const body of [{ lat: null, lon: null }, { lat: '19.4326', lon: '-99.1332' }, { lat: [19.4326], lon: [-99.1332] }, { lat: true, lon: false }]) {
      const res = await call('POST', '/api/v1/alerts', citizen, body);
      const text = await res.text();
      expect(res.status, text).toBe(400);
      const { error } = expectCatalogueError(res.status, res.headers, text, JSON.stringify(body));
      expect(error.code).toBe('VALIDATION_FAILED');
      expect(error.message).toContain('body.lat');
    }
    expect(changedTables(before, await fingerprint(server.services.storage.db, UNCHANGED))).toEqual([]);
    const mine = await fetch(`${server.url}/api/v1/alerts`, { headers: { authorization: `Bearer ${citizen}` } });
    expect(mine.status).toBe(200);
    expect(await mine.json()).toEqual([]);
  });

  it('refuses {"word":true} instead of setting the family code word "true"', async () => {
    const res = await call('PUT', '/api/v1/code-word', citizen, { word: true }, { 'accept-language': 'en' });
    const text = await res.text();
    expect(res.status, text).toBe(400);
    const { error } = expectCatalogueError(res.status, res.headers, text, 'PUT /api/v1/code-word');
    expect(res.headers.get('content-language')).toBe('en');
    expect(error.message).toBe('The request is not valid: body.word must be of type string');
    const check = await call('POST', '/api/v1/code-word/check', citizen, { word: 'true' });
    expect(check.status).toBe(200);
    expect(await check.json()).toEqual({ set: false, matches: false });
  });

  it('still reads numbers in query strings and path parameters, and still fills body defaults', async () => {
    const locate = await fetch(`${server.url}/api/v1/locate?lat=19.4326&lon=-99.1332`);
    expect(locate.status).toBe(200);
    expect(((await locate.json()) as { point: unknown }).point).toEqual({ lat: 19.4326, lon: -99.1332 });
    const admin = await server.adminToken();
    const key = await call('POST', '/api/v1/extortion/api-keys', admin, { name: 'Operador de prueba' });
    expect(key.status).toBe(201);
    expect(((await key.json()) as { perMinute: number }).perMinute).toBe(600);
    const bad = await fetch(`${server.url}/api/v1/quadrant-sets/uno/activate`, { method: 'POST', headers: { authorization: `Bearer ${admin}` } });
    expect(bad.status).toBe(400);
  });

  it('refuses a wrong-typed value in every body field of every registered route, and changes nothing', { timeout: 240_000 }, async () => {
    const admin = await server.adminToken();
    const routes = bodyRoutes(server.app);
    // The catalogue is the app's own: the routes the issue names must be in it.
    const names = routes.map((r) => `${r.method} ${r.url}`);
    for (const known of ['POST /api/v1/alerts', 'PUT /api/v1/code-word', 'POST /api/v1/auth/login', 'POST /api/v1/positions/batch']) expect(names).toContain(known);

    const problems: string[] = [];
    let sent = 0;
    let before = await fingerprint(server.services.storage.db, UNCHANGED);
    for (const route of routes) {
      const label = `${route.method} ${route.url}`;
      const valid = example(route.body);
      // The body we spoil must itself be valid, or a 400 would prove nothing about the spoilt field.
      if (!compileBodyValidator(route.body)(structuredClone(valid))) {
        problems.push(`${label}: the example body is not valid: ${JSON.stringify(valid)}`);
        continue;
      }
      const url = concreteUrl(route);
      const token = needsAccount(route) ? admin : null;
      const code = route.config.validationCode ?? 'VALIDATION_FAILED';
      for (const field of fields(route.body, valid)) {
        for (const wrong of wrongTypedValues(field.schema, getAt(valid, field.path))) {
          const lang = sent++ % 2 === 0 ? 'es' : 'en';
          const body = setAt(valid, field.path, wrong.value);
          const res = await call(route.method, url, token, body, { ...requiredHeaders(route), 'accept-language': lang });
          const text = await res.text();
          const context = `${label} with ${fieldName(field.path)} = ${JSON.stringify(wrong.value)} (${wrong.label})`;
          if (res.status !== 400) { problems.push(`${context}: ${res.status} ${text.slice(0, 200)}`); continue; }
          try {
            const { error } = expectCatalogueError(res.status, res.headers, text, context);
            expect(error.code, context).toBe(code);
            expect(res.headers.get('content-language'), context).toBe(lang);
            // Ajv stops at the first problem: it must be the field we spoilt, not another one.
            expect(error.message, context).toContain(fieldName(field.path));
          } catch (err) {
            problems.push((err as Error).message.split('\n')[0]!);
          }
        }
      }
      const after = await fingerprint(server.services.storage.db, UNCHANGED);
      for (const change of changedTables(before, after)) problems.push(`${label} changed ${change}`);
      before = after;
    }
    expect(problems).toEqual([]);
    // A floor, so a broken generator that spoils nothing cannot pass.
    expect(routes.length).toBeGreaterThanOrEqual(25);
    expect(sent).toBeGreaterThan(300);
  });
});
