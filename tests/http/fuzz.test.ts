// Item 12 of issue 9: a property-based fuzz suite generated from the app's own OpenAPI document
// (GET /openapi.json: paths, methods, parameters, request body schemas). For every operation,
// fast-check makes requests — schema-valid and hostile path parameters, query strings, headers and
// bodies (see tests/support/openapi-fuzz.ts) — sent to the real server as the admin, anonymously
// or with a malformed credential, and every answer must hold:
// - no 5xx (a 503 SERVER_BUSY from the password-hashing pool is tolerated only in the catalogue's
//   shape, and counted in the log line);
// - every 4xx in the error catalogue's shape with a code from src/kernel/errors.ts — except the
//   OsmAnd routes, which speak the Traccar protocol: their refusals have empty bodies, and stay so;
// - a refused request (4xx) changed nothing: the database fingerprint is taken around every request;
// - afterwards the server is healthy: /health answers and a new alert is raised and pages a unit.
//
// Bounded for CI: FUZZ_RUNS requests per operation (default 12), with a fixed seed (FUZZ_SEED,
// default below) so a run is reproducible; a failure prints the seed, the operation and
// fast-check's path: FUZZ_SEED=… FUZZ_ONLY='POST /api/v1/alerts' FUZZ_PATH=… replays it. Go deeper
// locally with e.g. FUZZ_RUNS=500.
//
// Limits: the server runs with limits far above what the fuzz sends (HIGH_LIMITS; unknown tracker
// ids per network too), and the guess throttles (sign-in, password change, PINs, code word,
// disputes) have their counters cleared before each request to those routes — otherwise most
// answers would be the limiter's 429 and the fuzz would measure it instead of the handlers. The
// limits themselves are tested by the abuse suites.
import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableEngines } from '../support/engines.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { HIGH_LIMITS, mintSession, send, type Answer } from '../support/access-world.js';
import { interiorPoint } from '../support/api.js';
import { acceptLanguageArb, bodyArb, hostileHeader, operations, queryValueArb, segmentArb, validArb, type Operation, type RawBody } from '../support/openapi-fuzz.js';
import { expectCatalogueError } from '../support/error-shape.js';
import { fingerprinter } from '../support/fingerprinter.js';
import { changedTables, type Fingerprint } from '../support/snapshot.js';

const engines = await availableEngines();

const RUNS = Number(process.env.FUZZ_RUNS ?? 12);
const SEED = Number(process.env.FUZZ_SEED ?? 20260309);
const ONLY = process.env.FUZZ_ONLY;
const PATH = process.env.FUZZ_PATH;

/** Routes whose guesses are throttled: their counters are cleared before each request (see above). */
const GUESSED = /\/auth\/login$|\/auth\/password$|\/code-word\/check$|\/devices\/me\/pins$|\/disputes$|\/actions$/;
/** Routes that end the caller's own session: each request gets a session of its own. */
const ENDS_SESSION = /\/auth\/(logout|sign-out-everywhere|password)$/;
const isOsmAnd = (path: string) => path.startsWith('/api/v1/osmand');

/** Audit entries that record a refusal (a failed sign-in, a sweep of tracker ids) are the point of the refusal, not a change. */
const UNCHANGED = {
  ignore: ['rate_counters'],
  ignoreLike: { audit_log: { column: 'action', patterns: ['retention.%', 'auth.login_failed', 'user.password_change_failed', 'tracker.sweep'] } },
};

interface Generated {
  caller: 'admin' | 'anonymous' | 'malformed';
  malformed: string;
  segments: string[];
  query: (string | string[] | undefined)[];
  extraQuery: string | undefined;
  headers: (string | undefined)[];
  lang: string | undefined;
  body: RawBody | null;
}

const clip = (s: string, n = 160) => (s.length > n ? `${s.slice(0, n)}… (${s.length} chars)` : s);

describe.each(engines)('fuzzing every operation of the OpenAPI document ($name)', (engine) => {
  let server: TestServer;
  let admin: string;
  let adminId: string;
  let pool: string[];
  let fp: () => Promise<Fingerprint>;
  const notes: string[] = [];

  beforeAll(async () => {
    server = await startTestServer({ engine, webDir: null, config: { ...HIGH_LIMITS, trackerUnknownIdsPerNetworkHour: 1_000_000 } });
    admin = await server.adminToken();
    const call = (method: string, url: string, body?: unknown, token: string | null = admin) => send(server.url, { method, url, body, token });
    adminId = (await call('GET', '/api/v1/auth/me')).json.userId;
    // Real ids, so that generated path parameters also reach the handlers behind the look-ups.
    const point = await interiorPoint(server.url, 'P-1.4.8');
    const unit = (await call('POST', '/api/v1/units', { callsign: 'FZ01', type: 'car', quadrantIds: ['P-1.4.8'] })).json.id;
    const device = (await call('POST', '/api/v1/devices', undefined, null)).json.token;
    const alert = (await call('POST', '/api/v1/alerts', { lat: point.lat, lon: point.lon }, device)).json.id;
    const victim = (await call('POST', '/api/v1/users', { username: 'fuzz-blanco', password: 'clave-del-blanco-1', role: 'dispatcher' })).json.id;
    const contact = (await call('POST', '/api/v1/contacts', { name: 'Contacto', phone: '5512340002' })).json.id;
    await call('POST', '/api/v1/extortion/reports', { number: '5520001111', channel: 'call', type: 'virtual_kidnapping' }, null);
    const dispute = (await call('POST', '/api/v1/numbers/5520001111/disputes', { ownerName: 'Dueño', contact: 'd@example.org', reason: 'Es mi negocio' }, null)).json.id;
    await call('POST', '/api/v1/trackers', { uniqueId: 'rastreador-fuzz-0001', unitId: unit });
    for (const id of [unit, alert, victim, contact, dispute]) expect(typeof id, 'fixture').toBe('string');
    // Never the admin's own id: the fuzz must not reset its own password or sign itself out of the run.
    pool = [unit, alert, victim, contact, dispute, 'rastreador-fuzz-0001', '5520001111', '+525520001111', 'P-1.4.8', '1'];
    fp = await fingerprinter(server.services.storage.db, UNCHANGED, server.services.storage.sqlite ?? null);
  }, 120_000);
  afterAll(async () => {
    console.info(`fuzz (${engine.name}): ${notes.join('; ')}`);
    await server?.close();
  });

  it('answers every generated request without a 5xx, refuses in the catalogue\'s shape, changes nothing when it refuses, and stays healthy', { timeout: 300_000 }, async () => {
    const t0 = Date.now();
    const doc = (await send(server.url, { method: 'GET', url: '/openapi.json' })).json;
    const ops = operations(doc).filter((op) => !ONLY || `${op.method} ${op.path}` === ONLY);
    if (!ONLY) {
      // Generated from the document, not a hand list: the routes the issue names are in it.
      const names = ops.map((op) => `${op.method} ${op.path}`);
      for (const known of ['POST /api/v1/alerts', 'POST /api/v1/alerts/{id}/actions', 'POST /api/v1/auth/login', 'GET /api/v1/locate', 'POST /api/v1/osmand', 'POST /api/v1/checkin-links/answer']) expect(names).toContain(known);
      expect(ops.length).toBeGreaterThanOrEqual(80);
    }
    const problems: string[] = [];
    let sent = 0;
    let busy = 0;
    let refusedChecked = 0;
    const statuses = new Map<number, number>();

    for (const op of ops) {
      const label = `${op.method} ${op.path}`;
      const arb = requestArb(op, pool);
      let baseline = await fp();
      const property = fc.asyncProperty(arb, async (g) => {
        if (GUESSED.test(op.path)) {
          await sql`delete from rate_counters where scope like 'login.%' or scope like 'pins.%' or scope like 'codeword.%' or scope like 'extortion.disputes.number.%'`.execute(server.services.storage.db);
          baseline = await fp();
        }
        let token: string | null = g.caller === 'admin' ? admin : null;
        if (g.caller === 'admin' && ENDS_SESSION.test(op.path)) { token = await mintSession(server, adminId); baseline = await fp(); }
        const { url, init } = build(op, g, token);
        const started = Date.now();
        const res = await fetch(server.url + url, init);
        const text = await res.text();
        sent++;
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        const answer: Answer = { status: res.status, text, headers: res.headers, json: null };
        const context = `${label} ${describeRequest(url, init, g)} → ${res.status} ${clip(text, 200)} (${Date.now() - started} ms)`;
        judge(op, answer, context);
        if (res.status === 503) busy++;
        if (res.status >= 400) {
          // Refused: nothing may have changed since the last request.
          const after = await fp();
          const changes = changedTables(baseline, after);
          refusedChecked++;
          if (changes.length) throw new Error(`${context}: a refused request changed ${changes.join(', ')}`);
        } else {
          // "Sign out everywhere" ended the run's own admin session too: sign in again.
          if (g.caller === 'admin' && ENDS_SESSION.test(op.path)) admin = await mintSession(server, adminId);
          // Allowed: what it wrote (and what it queued to write) is the new baseline.
          await server.services.tracking.flush();
          baseline = await fp();
        }
      });
      const result = await fc.check(property, { seed: SEED, numRuns: RUNS, endOnFailure: true, ...(PATH ? { path: PATH } : {}) });
      if (result.failed) {
        const reason = result.errorInstance instanceof Error ? result.errorInstance.message : String(result.errorInstance);
        problems.push(`${clip(reason, 1500)}\n    replay: FUZZ_SEED=${result.seed} FUZZ_ONLY='${label}' FUZZ_PATH=${result.counterexamplePath}`);
      }
    }
    notes.push(`${ops.length} operations, ${sent} requests, ${refusedChecked} refusals checked for changes, ${busy} SERVER_BUSY, in ${Date.now() - t0} ms (seed ${SEED}, ${RUNS} runs each)`);
    notes.push(`statuses ${[...statuses].sort((a, b) => a[0] - b[0]).map(([s, n]) => `${s}×${n}`).join(' ')}`);
    expect(problems).toEqual([]);

    // Still healthy: it answers, and a new alert still pages a unit that is free in its quadrant.
    expect((await send(server.url, { method: 'GET', url: '/health' })).status).toBe(200);
    const point = await interiorPoint(server.url, 'P-1.4.8');
    const fresh = await send(server.url, { method: 'POST', url: '/api/v1/units', token: admin, body: { callsign: 'SANO1', type: 'car', quadrantIds: ['P-1.4.8'] } });
    expect(fresh.status, fresh.text).toBe(201);
    expect((await send(server.url, { method: 'PUT', url: `/api/v1/units/${fresh.json.id}/shift`, token: admin, body: { state: 'available' } })).status).toBe(200);
    const device = (await send(server.url, { method: 'POST', url: '/api/v1/devices' })).json.token;
    const raised = await send(server.url, { method: 'POST', url: '/api/v1/alerts', token: device, body: { lat: point.lat, lon: point.lon, kind: 'robbery' } });
    expect(raised.status, raised.text).toBe(201);
    const seen = await send(server.url, { method: 'GET', url: `/api/v1/alerts/${raised.json.id}`, token: admin });
    expect(seen.json.pagedUnits.map((u: { id: string }) => u.id)).toContain(fresh.json.id);
    // And the admin still signs in with the password it started with.
    const login = await send(server.url, { method: 'POST', url: '/api/v1/auth/login', body: { username: server.config.adminUsername, password: server.config.adminPassword } });
    expect(login.status).toBe(200);
  });
});

function requestArb(op: Operation, pool: readonly string[]): fc.Arbitrary<Generated> {
  const pathParams = op.params.filter((p) => p.in === 'path');
  const queryParams = op.params.filter((p) => p.in === 'query');
  const headerParams = op.params.filter((p) => p.in === 'header');
  const hasBody = op.method !== 'GET' && op.method !== 'HEAD';
  // Segments in the order they appear in the template.
  const names = [...op.path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!);
  return fc.record({
    caller: fc.constantFrom<Generated['caller']>('admin', 'admin', 'admin', 'anonymous', 'anonymous', 'malformed'),
    malformed: fc.constantFrom('Bearer', 'Bearer ', 'Basic YWRtaW46YWRtaW4=', 'bearer a b', `Bearer ${'x'.repeat(300)}`, 'Bearer \u00e9', 'Token abc', 'Bearer null'),
    segments: fc.tuple(...names.map((n) => segmentArb(pathParams.find((p) => p.name === n)?.schema ?? {}, pool))),
    query: isOsmAnd(op.path) ? osmandQueryArb() : fc.tuple(...queryParams.map((p) => fc.option(queryValueArb(p.schema, pool), { nil: undefined, freq: 3 }))),
    extraQuery: fc.option(fc.constantFrom('extra=1', '%zz=1', 'a[b]=1', '__proto__[x]=1', 'constructor.prototype.x=1', '&&&', '=', '?'), { nil: undefined, freq: 4 }),
    headers: fc.tuple(...headerParams.map((p) => fc.option(fc.oneof(validArb(p.schema).map(String).filter((s) => /^[\x20-\x7e]*$/.test(s)), hostileHeader), { nil: undefined }))),
    lang: acceptLanguageArb,
    body: hasBody ? (isOsmAnd(op.path) ? osmandBodyArb() : bodyArb(op.body)) : fc.constant(null),
  }) as fc.Arbitrary<Generated>;
}

// The OsmAnd routes declare no parameters (the protocol is a query string or a form): generate the
// protocol's own fields. Unknown ids come from a small set, well inside the sweep allowance.
const OSMAND_FIELDS = ['id', 'deviceid', 'lat', 'lon', 'timestamp', 'speed', 'bearing', 'altitude', 'accuracy', 'batt', 'charge', 'alarm', 'valid', 'hdop', 'location'];
function osmandValueArb(field: string): fc.Arbitrary<string> {
  const valid: Record<string, fc.Arbitrary<string>> = {
    id: fc.constantFrom('rastreador-fuzz-0001', '12345678', '87654321', 'desconocido-1', 'desconocido-2'),
    deviceid: fc.constantFrom('rastreador-fuzz-0001', '12345678'),
    lat: fc.double({ min: -90, max: 90, noNaN: true }).map(String), lon: fc.double({ min: -180, max: 180, noNaN: true }).map(String),
    timestamp: fc.oneof(fc.integer({ min: 0, max: 4_102_444_800 }).map(String), fc.date({ noInvalidDate: true }).map((d) => d.toISOString()), fc.constant('2026-03-01 12:00:00')),
    alarm: fc.constantFrom('sos', 'general', 'lowBattery', ''), valid: fc.constantFrom('true', 'false', '1', '0'),
    location: fc.tuple(fc.double({ min: -90, max: 90, noNaN: true }), fc.double({ min: -180, max: 180, noNaN: true })).map(([a, b]) => `${a},${b}`),
  };
  return fc.oneof({ arbitrary: valid[field] ?? fc.double({ noNaN: true }).map(String), weight: 3 }, { arbitrary: fc.oneof(fc.constantFrom('NaN', 'Infinity', '-1e309', '', '%zz', '1,2,3', '\u0000'), hostileHeader), weight: 1 });
}
function osmandQueryArb(): fc.Arbitrary<(string | string[] | undefined)[]> {
  return fc.subarray(OSMAND_FIELDS).chain((fields) => fc.tuple(...fields.map((f) => osmandValueArb(f).map((v) => `${f}=${encodeURIComponent(v)}`)))).map((pairs) => [pairs.join('&')]);
}
function osmandBodyArb(): fc.Arbitrary<RawBody> {
  return fc.oneof(
    fc.constant<RawBody>({ text: undefined, contentType: undefined, kind: 'no body' }),
    osmandQueryArb().map(([q]) => ({ text: String(q), contentType: 'application/x-www-form-urlencoded', kind: 'form' })),
    fc.tuple(osmandValueArb('lat'), osmandValueArb('lon')).map(([lat, lon]) => ({
      text: JSON.stringify({ device_id: 'rastreador-fuzz-0001', location: { timestamp: new Date().toISOString(), coords: { latitude: Number(lat), longitude: Number(lon) } } }),
      contentType: 'application/json', kind: 'Traccar JSON' })),
    bodyArb(null),
  );
}

function build(op: Operation, g: Generated, token: string | null): { url: string; init: RequestInit } {
  let i = 0;
  let url = op.path.replace(/\{[^}]+\}/g, () => g.segments[i++] ?? 'x');
  const pairs: string[] = [];
  if (isOsmAnd(op.path)) { if (g.query[0]) pairs.push(String(g.query[0])); }
  else {
    op.params.filter((p) => p.in === 'query').forEach((p, k) => {
      const v = g.query[k];
      if (v === undefined) return;
      for (const one of [v].flat()) pairs.push(`${encodeURIComponent(p.name)}=${one}`);
    });
  }
  if (g.extraQuery) pairs.push(g.extraQuery);
  if (pairs.length) url += `?${pairs.join('&')}`;
  const headers: Record<string, string> = {};
  op.params.filter((p) => p.in === 'header').forEach((p, k) => { if (g.headers[k] !== undefined) headers[p.name] = g.headers[k]!; });
  if (g.lang !== undefined) headers['accept-language'] = g.lang;
  if (token) headers.authorization = `Bearer ${token}`;
  else if (g.caller === 'malformed') headers.authorization = g.malformed.replace(/[^\x20-\x7e]/g, '?');
  let body: string | undefined;
  if (g.body) {
    if (g.body.contentType) headers['content-type'] = g.body.contentType;
    body = g.body.text;
  }
  return { url, init: { method: op.method, headers, body, redirect: 'manual' } };
}

function describeRequest(url: string, init: RequestInit, g: Generated): string {
  const body = typeof init.body === 'string' ? clip(JSON.stringify(init.body), 300) : 'no body';
  return `${clip(url, 300)} as ${g.caller}${g.body ? ` [${g.body.kind}, ${(init.headers as Record<string, string>)['content-type'] ?? 'no content type'}]` : ''} ${body}`;
}

/** The properties every single answer must have. Throws (for fast-check) with the request in the message. */
function judge(op: Operation, a: Answer, context: string): void {
  if (a.status >= 500) {
    // The hashing pool's back-pressure is an answer, not a failure — in the catalogue's shape only.
    if (a.status === 503) {
      const { error } = expectCatalogueError(a.status, a.headers, a.text, context);
      if (error.code === 'SERVER_BUSY') return;
    }
    throw new Error(`${context}: a server error`);
  }
  if (a.status < 400) return;
  if (isOsmAnd(op.path)) {
    // Traccar Client reads only the status: no JSON error bodies on the tracker protocol.
    if (a.text !== '') throw new Error(`${context}: the OsmAnd protocol answers with an empty body`);
    return;
  }
  if (op.method === 'HEAD') return;
  try {
    expectCatalogueError(a.status, a.headers, a.text, context);
  } catch (err) {
    throw new Error(`${context}: not in the error catalogue's shape: ${(err as Error).message.split('\n')[0]}`);
  }
}
