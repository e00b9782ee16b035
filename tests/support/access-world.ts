// The people (and machines) an authorisation test calls as, set up through the real API on a real
// server: two citizen phones each with an open alert, a unit paged for citizen A's alert and one
// that was not, a dispatcher, an analyst, a fleet gateway and the admin — staff signed in with
// their passwords — plus a carrier API key, a contact, a tracker and reported numbers. Shared by
// the authorisation matrix and the fuzz suite.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { Config } from '../../src/config/index.js';
import { hashToken, newToken } from '../../src/accounts/passwords.js';
import type { EngineCase } from './engines.js';
import { startTestServer, type TestServer } from './server.js';
import { interiorPoint, type LatLon } from './api.js';

export const ACTORS = ['anonymous', 'citizenA', 'citizenB', 'pagedUnit', 'unpagedUnit', 'dispatcher', 'analyst', 'gateway', 'admin'] as const;
export type ActorName = (typeof ACTORS)[number];
export type SignedIn = Exclude<ActorName, 'anonymous'>;
export const SIGNED_IN = ACTORS.filter((a): a is SignedIn => a !== 'anonymous');

/** Staff accounts' passwords (units sign in to their unit with theirs). */
const PASSWORD = (who: string) => `clave-de-${who}-larga-1`;

/**
 * Limits raised far past anything these suites do, so that what they measure is access and input
 * handling, not the limiter: otherwise every alert after the tenth from 127.0.0.1 would be held as
 * a possible flood, devices would start on probation, disputes and reports would get 429s. The
 * limits themselves are tested by the abuse suites. The escalation clock is pushed out of the run:
 * a timer paging ring 2 or handing an alert to 911 mid-test would change the database under a
 * "nothing changed" check.
 */
export const HIGH_LIMITS: Partial<Config> = {
  alertRateMax: 100_000, alertNetworkRateMax: 100_000, devicesPerNetworkHour: 100_000, devicesPerNetworkHourMax: 100_000,
  reportsPerDevicePerHour: 100_000, reportsPerNetworkPerHour: 100_000, disputesPerNetworkHour: 100_000,
  checkinsPerDeviceDay: 100_000, smsPerDestinationDay: 100_000,
  ackTimeoutMs: 3_600_000, escalateAfterMs: 7_200_000,
};

/** A page directory with a file for each page the app serves, so the page and static-file routes are registered too. */
export function stubWebDir(): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'cuadrante-web-'));
  for (const page of ['index', 'unidad', 'centro', 'llamada', 'analistas', 'verificar']) writeFileSync(join(dir, `${page}.html`), `<!doctype html><title>${page}</title>`);
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'assets', 'app-1a2b3c.js'), 'export {};\n');
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface Answer { status: number; text: string; headers: Headers; json: any } // eslint-disable-line @typescript-eslint/no-explicit-any

export interface Request {
  method: string;
  url: string;
  token?: string | null;
  /** Sent as JSON. */
  body?: unknown;
  /** Sent as is (with `contentType`). */
  raw?: string;
  contentType?: string;
  headers?: Record<string, string>;
}

export async function send(base: string, r: Request): Promise<Answer> {
  const headers: Record<string, string> = { ...r.headers };
  if (r.token) headers.authorization = `Bearer ${r.token}`;
  let body: string | undefined;
  if (r.raw !== undefined) { body = r.raw; if (r.contentType) headers['content-type'] = r.contentType; }
  else if (r.body !== undefined) { body = JSON.stringify(r.body); headers['content-type'] = 'application/json'; }
  const res = await fetch(base + r.url, { method: r.method, headers, body, redirect: 'manual' });
  const text = await res.text();
  let json: unknown = null;
  try { json = text ? JSON.parse(text) : null; } catch { /* not JSON: pages, CSV, the tracker protocol */ }
  return { status: res.status, text, headers: res.headers, json };
}

export interface World {
  server: TestServer;
  /** Each signed-in actor's current bearer token (replaced when a route ends the session). */
  token: Record<SignedIn, string>;
  userId: Record<SignedIn, string>;
  /** The two units' ids. */
  unit: { paged: string; unpaged: string; spare: string };
  /** Citizen A's and B's open alerts: A's paged the paged unit; the unpaged unit is off duty. */
  alert: { a: string; b: string };
  /** Inside quadrant P-1.4.8, the paged unit's. */
  point: LatLon;
  quadrant: string;
  sector: string;
  activeVersion: number;
  /** A staff account that is only ever a target (disabled, re-roled…), never an actor. */
  victimId: string;
  /** An account only used to try POST /auth/login. */
  login: { username: string; password: string };
  apiKey: string;
  apiKeyId: string;
  /** Each staff actor's current password (citizens have none). */
  password: Partial<Record<SignedIn, string>>;
  /** Citizen A's trusted contact. */
  contactA: string;
  /** Registered for the spare unit. */
  trackerId: string;
  /** A number with a report (so it has a page, a decision, disputes). */
  reported: string;
  /** An open dispute. */
  disputeId: string;
  /** A fresh number that is reported once (each dispute wants its own: disputes are slowed per number). */
  freshReportedNumber(): Promise<string>;
  /** A live check-in link's token: citizen A asks contact A, the token is read from the outbox (no SMS provider). */
  checkinToken(): Promise<string>;
  /** A new session for the same account, as if it had signed in again. */
  newSession(who: SignedIn): Promise<string>;
  call(r: Request): Promise<Answer>;
  /** The same call that must succeed; returns the JSON. */
  ok<T = any>(r: Request): Promise<T>; // eslint-disable-line @typescript-eslint/no-explicit-any
  /** An alert raised by citizen A at the point (it pages the paged unit when that unit is free). */
  raiseAsA(): Promise<string>;
  close(): Promise<void>;
}

/**
 * A second token of an account, as a second sign-in would give — without hashing a password (and a
 * phone has no password to sign in again with).
 */
export async function mintSession(server: TestServer, userId: string): Promise<string> {
  const t = newToken();
  const now = Date.now();
  await server.services.storage.db.insertInto('auth_tokens').values({ token_hash: hashToken(t), user_id: userId, created_at: now, expires_at: now + 24 * 3600_000, revoked_at: null }).execute();
  return t;
}

let serial = 0;
export const unique = (prefix: string) => `${prefix}${Date.now().toString(36)}${(++serial).toString(36)}`;

export async function startWorld(engine: EngineCase, config: Partial<Config> = {}): Promise<World> {
  const web = stubWebDir();
  const server = await startTestServer({ engine, webDir: web.dir, config: { ...HIGH_LIMITS, ...config } });
  const call = (r: Request) => send(server.url, r);
  const ok = async (r: Request) => {
    const a = await call(r);
    expect(a.status < 300, `${r.method} ${r.url} → ${a.status} ${a.text.slice(0, 300)}`).toBe(true);
    return a.json;
  };
  const admin = await server.adminToken();
  const point = await interiorPoint(server.url, 'P-1.4.8');
  const features = (await ok({ method: 'GET', url: '/api/v1/quadrants' })).features as { id: string; properties: { sector: string } }[];
  const far = features.find((f) => f.properties.sector !== features.find((g) => g.id === 'P-1.4.8')!.properties.sector)!;
  const sectors = (await ok({ method: 'GET', url: '/api/v1/sectors' })).features as { id: string }[];
  const sets = await ok({ method: 'GET', url: '/api/v1/quadrant-sets', token: admin }) as { version: number; active: boolean }[];

  const staff = async (who: string, role: string) => {
    const u = await ok({ method: 'POST', url: '/api/v1/users', token: admin, body: { username: who, password: PASSWORD(who), role } });
    return u.id as string;
  };
  const unitWithOfficer = async (callsign: string, quadrantId: string) => {
    const username = callsign.toLowerCase();
    const u = await ok({ method: 'POST', url: '/api/v1/units', token: admin, body: { callsign, type: 'car', quadrantIds: [quadrantId], username, password: PASSWORD(username) } });
    return { unitId: u.id as string, username };
  };
  const signIn = async (username: string) => {
    const s = await ok({ method: 'POST', url: '/api/v1/auth/login', body: { username, password: PASSWORD(username) } });
    return { token: s.token as string, userId: s.user.id as string };
  };

  const paged = await unitWithOfficer('P148A', 'P-1.4.8');
  const unpaged = await unitWithOfficer('LEJ01', far.id);
  const spare = (await ok({ method: 'POST', url: '/api/v1/units', token: admin, body: { callsign: 'RES01', type: 'foot', quadrantIds: [far.id] } })).id as string;
  await staff('despacho', 'dispatcher');
  await staff('analista', 'analyst');
  await staff('pasarela', 'gateway');
  const victimId = await staff('blanco', 'dispatcher');
  await staff('acceso', 'analyst');

  const sessions = {
    pagedUnit: await signIn(paged.username), unpagedUnit: await signIn(unpaged.username),
    dispatcher: await signIn('despacho'), analyst: await signIn('analista'), gateway: await signIn('pasarela'),
  };
  const me = await ok({ method: 'GET', url: '/api/v1/auth/me', token: admin });
  // On duty and free: an alert in its quadrant pages it. The other unit stays off duty, so nothing ever pages it.
  await ok({ method: 'PUT', url: `/api/v1/units/${paged.unitId}/shift`, token: sessions.pagedUnit.token, body: { state: 'available' } });

  const device = async () => {
    const d = await ok({ method: 'POST', url: '/api/v1/devices' });
    return { token: d.token as string, userId: d.userId as string };
  };
  const citizenA = await device();
  const citizenB = await device();
  const token: Record<SignedIn, string> = {
    citizenA: citizenA.token, citizenB: citizenB.token, admin,
    pagedUnit: sessions.pagedUnit.token, unpagedUnit: sessions.unpagedUnit.token,
    dispatcher: sessions.dispatcher.token, analyst: sessions.analyst.token, gateway: sessions.gateway.token,
  };
  const userId: Record<SignedIn, string> = {
    citizenA: citizenA.userId, citizenB: citizenB.userId, admin: me.userId,
    pagedUnit: sessions.pagedUnit.userId, unpagedUnit: sessions.unpagedUnit.userId,
    dispatcher: sessions.dispatcher.userId, analyst: sessions.analyst.userId, gateway: sessions.gateway.userId,
  };

  const raise = async (t: string) => (await ok({ method: 'POST', url: '/api/v1/alerts', token: t, body: { lat: point.lat, lon: point.lon, kind: 'robbery' } })).id as string;
  const alertA = await raise(token.citizenA);
  const alertB = await raise(token.citizenB);
  // The premise of the matrix: A's alert paged the paged unit and not the other one.
  const seen = await ok({ method: 'GET', url: `/api/v1/alerts/${alertA}`, token: admin }) as { pagedUnits: { id: string }[] };
  const pagedUnits = seen.pagedUnits.map((u) => u.id);
  expect(pagedUnits, JSON.stringify(seen)).toContain(paged.unitId);
  expect(pagedUnits).not.toContain(unpaged.unitId);

  const key = await ok({ method: 'POST', url: '/api/v1/extortion/api-keys', token: admin, body: { name: 'Operador de prueba' } });
  const contactA = (await ok({ method: 'POST', url: '/api/v1/contacts', token: token.citizenA, body: { name: 'Mamá', phone: '5512340001' } })).id as string;
  const trackerId = 'rastreador-de-prueba-0001';
  await ok({ method: 'POST', url: '/api/v1/trackers', token: admin, body: { uniqueId: trackerId, unitId: spare } });

  let numbers = 0;
  const freshReportedNumber = async () => {
    // Mobile numbers of Mexico City, one per call.
    const n = `55${String(20_000_000 + ++numbers * 7919).padStart(8, '0')}`;
    await ok({ method: 'POST', url: '/api/v1/extortion/reports', body: { number: n, channel: 'call', type: 'virtual_kidnapping' } });
    return n;
  };
  const reported = await freshReportedNumber();
  const disputeId = (await ok({ method: 'POST', url: `/api/v1/numbers/${await freshReportedNumber()}/disputes`, body: { ownerName: 'Dueña del número', contact: 'duena@example.org', reason: 'Es el teléfono de mi negocio' } })).id as string;

  const checkinToken = async () => {
    await ok({ method: 'POST', url: '/api/v1/checkins', token: token.citizenA, body: { contactId: contactA } });
    const [sms] = await server.services.notifier.outbox(1);
    const t = /#([A-Za-z0-9_-]+)$/.exec(sms?.body ?? '')?.[1];
    if (!t) throw new Error(`no check-in link in the outbox: ${JSON.stringify(sms)}`);
    return t;
  };

  const newSession = (who: SignedIn) => mintSession(server, userId[who]);

  return {
    server, token, userId, point, quadrant: 'P-1.4.8', sector: sectors[0]!.id,
    activeVersion: sets.find((s) => s.active)!.version,
    unit: { paged: paged.unitId, unpaged: unpaged.unitId, spare },
    alert: { a: alertA, b: alertB }, victimId, login: { username: 'acceso', password: PASSWORD('acceso') },
    apiKey: key.key as string, apiKeyId: key.id as string, contactA, checkinToken,
    password: {
      pagedUnit: PASSWORD(paged.username), unpagedUnit: PASSWORD(unpaged.username), dispatcher: PASSWORD('despacho'),
      analyst: PASSWORD('analista'), gateway: PASSWORD('pasarela'), admin: server.config.adminPassword!,
    }, trackerId, reported, disputeId, freshReportedNumber, newSession, call, ok,
    raiseAsA: () => raise(token.citizenA),
    async close() { await server.close(); web.cleanup(); },
  };
}
