// Item 12 of issue 9: the authorisation matrix. Every route the app registered (its own route
// catalogue, not a hand list) is called as each of nine actors — anonymous, citizen A, citizen B,
// a unit paged for A's alert, a unit that was not, a dispatcher, an analyst, a fleet gateway and
// the admin — and each answer must be the one this table expects. A route that is not in the
// table fails the test by name: a new route needs either an access rule and a row saying who may
// call it, or a place on the public allow-list with the reason it needs no account.
//
// Refusals are told apart from the handler's own answers: 401 AUTH_REQUIRED (no session), 403
// FORBIDDEN (the role may not), 404 "hidden" (someone else's alert, unit or contact: the very
// answer a missing one gets), 401 INVALID_API_KEY (carrier routes, keyed). Every refusal has the
// error catalogue's shape and changes nothing in the database. Allowed calls send a valid body for
// real fixtures and expect an exact status: mostly 2xx, sometimes the handler's own 4xx for the
// fixture (e.g. 409 PINS_LOCKED for a citizen with an open alert), written as "409 PINS_LOCKED".
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableEngines } from '../support/engines.js';
import { ACTORS, SIGNED_IN, startWorld, unique, type ActorName, type Answer, type SignedIn, type World } from '../support/access-world.js';
import type { CatalogueEntry } from '../support/routes.js';
import { expectCatalogueError } from '../support/error-shape.js';
import { changedTables } from '../support/snapshot.js';
import { fingerprinter } from '../support/fingerprinter.js';
import { compileBodyValidator } from '../../src/http/validation.js';
import type { Schema } from '../support/schema-examples.js';

const engines = await availableEngines();

/** Refused by authorisation. */
type Refusal = 'signIn' | 'role' | 'hidden' | 'apiKey';
/** Allowed past the access rule: the exact status, and for a 4xx of the handler its code ("409 PINS_LOCKED"). */
type Allowed = number | `${number} ${string}`;
type Outcome = Refusal | Allowed;
type Mode = 'allowed' | 'refused' | 'missing';
const REFUSALS: Record<Refusal, { status: number; code: string | null }> = {
  signIn: { status: 401, code: 'AUTH_REQUIRED' },
  role: { status: 403, code: 'FORBIDDEN' },
  hidden: { status: 404, code: null },
  apiKey: { status: 401, code: 'INVALID_API_KEY' },
};
const isRefusal = (o: Outcome): o is Refusal => typeof o === 'string' && o in REFUSALS;

/** What to send. `target` is the id the answer may name (so a hidden 404 can be compared with a missing one's). */
interface Spec { url?: string; body?: unknown; raw?: string; contentType?: string; headers?: Record<string, string>; target?: string }

interface Rule {
  /** On the public allow-list: why anyone may call it. */
  public?: string;
  /** Guarded by something other than a session: what (called without it by everyone, then with it). */
  keyed?: { reason: string; withKey: (w: World) => Spec; status: number };
  outcomes: Record<ActorName, Outcome>;
  /**
   * The request for an actor. 'refused': aimed at the shared fixtures (citizen A's alert, contact…),
   * and must not change anything itself; 'missing': the same with an id that does not exist;
   * 'allowed': may create what the call needs (a fresh alert to cancel, a contact of the actor's own).
   */
  req?: (w: World, who: ActorName, mode: Mode) => Spec | Promise<Spec>;
  /** After an allowed call: put the fixtures back (a unit free again, a new session for one just ended). */
  after?: (w: World, who: SignedIn, answer: Answer) => Promise<void>;
}

const MISSING = '00000000-0000-4000-8000-00000000dead';

function outcomes(anonymous: Outcome, rest: Outcome, overrides: Partial<Record<ActorName, Outcome>> = {}): Record<ActorName, Outcome> {
  return Object.fromEntries(ACTORS.map((a) => [a, overrides[a] ?? (a === 'anonymous' ? anonymous : rest)])) as Record<ActorName, Outcome>;
}
/** No account needed: everyone gets the same answer. */
const open = (reason: string, status: Allowed, req?: Rule['req'], after?: Rule['after']): Rule => ({ public: reason, outcomes: outcomes(status, status), ...(req ? { req } : {}), ...(after ? { after } : {}) });
/** Only the listed actors get past the access rule; anonymous 401, every other account 403 unless listed. */
const only = (allowed: Partial<Record<ActorName, Outcome>>, extra: Omit<Rule, 'outcomes'> = {}): Rule => ({ outcomes: outcomes('signIn', 'role', allowed), ...extra });
/** Any account. */
const signedIn = (status: Allowed, overrides: Partial<Record<ActorName, Outcome>> = {}, extra: Omit<Rule, 'outcomes'> = {}): Rule => ({ outcomes: outcomes('signIn', status, overrides), ...extra });
/** Whoever may raise an alert (alerts:raise): citizens, units, dispatchers, the admin. */
const raisers = (status: Allowed, overrides: Partial<Record<ActorName, Outcome>> = {}, extra: Omit<Rule, 'outcomes'> = {}): Rule =>
  only({ citizenA: status, citizenB: status, pagedUnit: status, unpagedUnit: status, dispatcher: status, admin: status, ...overrides }, extra);
const dispatchers = (status: Allowed, extra: Omit<Rule, 'outcomes'> = {}) => only({ dispatcher: status, admin: status }, extra);
const analysts = (status: Allowed, extra: Omit<Rule, 'outcomes'> = {}) => only({ analyst: status, admin: status }, extra);
const admins = (status: Allowed, extra: Omit<Rule, 'outcomes'> = {}) => only({ admin: status }, extra);

const cancelAsAdmin = (w: World, id: string) => w.ok({ method: 'POST', url: `/api/v1/alerts/${id}/actions`, token: w.token.admin, body: { action: 'cancel' } });
/** The session this call ended: the actor signs in again. */
const newSession = async (w: World, who: SignedIn) => { w.token[who] = await w.newSession(who); };
const ownContact = async (w: World, who: SignedIn) =>
  (await w.ok({ method: 'POST', url: '/api/v1/contacts', token: w.token[who], body: { name: 'Contacto', phone: `55${String(30_000_000 + Math.floor(Math.random() * 60_000_000))}` } })).id as string;
/** Aim at `real` (a fixture that exists), or at an id that does not exist. */
const aim = (mode: Mode, real: string) => (mode === 'missing' ? MISSING : real);

const TINY_SET = JSON.stringify({
  type: 'FeatureCollection',
  features: [{ type: 'Feature', properties: { cuadrante: 'Z-9.9.9' }, geometry: { type: 'Polygon', coordinates: [[[-99.2, 19.3], [-99.19, 19.3], [-99.19, 19.31], [-99.2, 19.31], [-99.2, 19.3]]] } }],
});

/** Method + URL pattern → who may call it. Static page files are matched by what they are (see ruleFor). */
const MATRIX: Record<string, Rule> = {
  // ——— system, documentation, pages ———
  'GET /health': open('health check for load balancers and monitoring', 200),
  'GET /health/live': open('liveness for load balancers and supervisors: says only that the process answers', 200),
  'GET /health/ready': open('readiness for load balancers: which checks pass, never their error text', 200),
  'GET /api/v1/config/public': open('what the pages need before anyone signs in', 200),
  'GET /openapi.json': open('API documentation', 200),
  'GET /docs': open('API documentation', 200),
  'HEAD /docs/': open('API documentation', 200),
  'GET /docs/static/index.html': open('API documentation (redirects to /docs/)', 302),
  'GET /docs/static/swagger-initializer.js': open('API documentation', 200),
  'GET /docs/json': open('API documentation', 200),
  'GET /docs/yaml': open('API documentation', 200),
  'GET /docs/static/*': open('API documentation (Swagger UI files)', 200, () => ({ url: '/docs/static/swagger-ui.css' })),
  'GET /unidad': open("web page (the unit's; it signs in itself)", 200),
  'GET /centro': open('web page (the console; it signs in itself)', 200),
  'GET /llamada': open('web page (phone-call intake; it signs in itself)', 200),
  'GET /analistas': open("web page (the analysts'; it signs in itself)", 200),
  'GET /verificar': open("web page (a check-in contact's: the token is in the fragment)", 200),
  'GET /api/v1/ws': open('WebSocket: a plain GET is refused (404); a socket authenticates with its first message, and is re-checked (tests/http/ws-lifecycle)', 404),
  'GET /api/v1/dispatch/settings': open('the escalation clock and emergency number the citizen page shows', 200),

  // ——— accounts ———
  'POST /api/v1/auth/login': open('signing in', 200, (w) => ({ body: { username: w.login.username, password: w.login.password } })),
  'POST /api/v1/auth/logout': signedIn(204, {}, { after: (w, who) => newSession(w, who) }),
  'GET /api/v1/auth/me': signedIn(200),
  // Citizens' device credentials have no password to change.
  'POST /api/v1/auth/password': signedIn(204, { citizenA: '403 WRONG_PASSWORD', citizenB: '403 WRONG_PASSWORD' }, {
    req: (w, who) => ({ body: { currentPassword: w.password[who as SignedIn] ?? 'no-tengo-clave', newPassword: unique('clave-nueva-larga-') } }),
    after: async (w, who, a) => { if (a.status === 204) w.password[who] = undefined; },
  }),
  'POST /api/v1/auth/sign-out-everywhere': signedIn(200, {}, { after: (w, who) => newSession(w, who) }),
  'GET /api/v1/users': admins(200),
  'POST /api/v1/users': admins(201, { req: () => ({ body: { username: unique('persona'), password: 'una-clave-bien-larga', role: 'analyst' } }) }),
  'POST /api/v1/users/:id/disable': admins(200, { req: (w) => ({ url: `/api/v1/users/${w.victimId}/disable` }) }),
  'POST /api/v1/users/:id/enable': admins(200, { req: (w) => ({ url: `/api/v1/users/${w.victimId}/enable` }) }),
  'PUT /api/v1/users/:id/role': admins(200, { req: (w) => ({ url: `/api/v1/users/${w.victimId}/role`, body: { role: 'analyst' } }) }),
  'PUT /api/v1/users/:id/password': admins(200, { req: (w) => ({ url: `/api/v1/users/${w.victimId}/password`, body: { password: unique('clave-puesta-por-admin-') } }) }),
  'POST /api/v1/users/:id/sign-out': admins(200, { req: (w) => ({ url: `/api/v1/users/${w.victimId}/sign-out` }) }),
  'GET /api/v1/audit': admins(200),

  // ——— quadrants ———
  'GET /api/v1/locate': open('citizen look-up: which quadrant, who to call', 200, (w) => ({ url: `/api/v1/locate?lat=${w.point.lat}&lon=${w.point.lon}` })),
  'GET /api/v1/quadrants': open('the public map of quadrants', 200),
  'GET /api/v1/quadrants/:id': open('the public map of quadrants', 200, (w) => ({ url: `/api/v1/quadrants/${w.quadrant}` })),
  'GET /api/v1/sectors': open('the public map of quadrants', 200),
  'GET /api/v1/sectors/:id': open('the public map of quadrants', 200, (w) => ({ url: `/api/v1/sectors/${encodeURIComponent(w.sector)}` })),
  'PUT /api/v1/quadrants/:id/contacts': admins(200, { req: (w) => ({ url: `/api/v1/quadrants/${w.quadrant}/contacts`, body: { contacts: [{ phone: '5555123400', label: 'Cabina' }] } }) }),
  'GET /api/v1/quadrant-sets': admins(200),
  // Not activated: the fixtures' quadrants stay the active ones.
  'POST /api/v1/quadrant-sets': admins(201, { req: () => ({ url: '/api/v1/quadrant-sets?activate=false&name=prueba', raw: TINY_SET, contentType: 'application/geo+json' }) }),
  'POST /api/v1/quadrant-sets/:version/activate': admins(200, { req: (w) => ({ url: `/api/v1/quadrant-sets/${w.activeVersion}/activate` }) }),
  'POST /api/v1/crime-stats': analysts(200, { req: (w) => ({ raw: `cuadrante,crime,month,count\n${w.quadrant},robo a transeunte,2025-01,3\n`, contentType: 'text/csv' }) }),

  // ——— alerts ———
  'POST /api/v1/devices': open('a citizen device credential: anonymous by design (limited per network)', 201),
  // A citizen with an open alert may not change PINs (item 4): both citizens have one.
  'PUT /api/v1/devices/me/pins': raisers(204, { citizenA: '409 PINS_LOCKED', citizenB: '409 PINS_LOCKED' }, { req: () => ({ body: { cancelPin: '2468', duressPin: '1357' } }) }),
  'POST /api/v1/alerts': raisers(201, {}, {
    req: (w) => ({ body: { lat: w.point.lat, lon: w.point.lon, kind: 'other' } }),
    // Closed again, so nobody keeps an extra open alert (PINs) and the paged unit stays free.
    after: async (w, _who, a) => { await cancelAsAdmin(w, a.json.id); },
  }),
  // Analysts and gateways see no alerts at all.
  'GET /api/v1/alerts': signedIn(200, { analyst: 'role', gateway: 'role' }),
  'GET /api/v1/alerts/:id': signedIn(200, { citizenB: 'hidden', unpagedUnit: 'hidden', analyst: 'hidden', gateway: 'hidden' }, {
    req: (w, _who, mode) => { const id = aim(mode, w.alert.a); return { url: `/api/v1/alerts/${id}`, target: id }; },
  }),
  // The log is for staff: even the alert's own citizen gets the 404 of a missing alert.
  'GET /api/v1/alerts/:id/events': signedIn(200, { citizenA: 'hidden', citizenB: 'hidden', unpagedUnit: 'hidden', analyst: 'hidden', gateway: 'hidden' }, {
    req: (w, _who, mode) => { const id = aim(mode, w.alert.a); return { url: `/api/v1/alerts/${id}/events`, target: id }; },
  }),
  'POST /api/v1/alerts/:id/actions': signedIn(200, { citizenB: 'hidden', unpagedUnit: 'hidden', analyst: 'hidden', gateway: 'hidden' }, {
    async req(w, who, mode) {
      if (mode !== 'allowed') {
        // What each would try on A's alert: a citizen cancelling it, a unit taking it, staff escalating it.
        const action = who.startsWith('citizen') ? 'cancel' : who.endsWith('Unit') ? 'acknowledge' : 'escalate';
        const id = aim(mode, w.alert.a);
        return { url: `/api/v1/alerts/${id}/actions`, body: { action }, target: id };
      }
      // A fresh alert of A's each time, so A's own stays open for everyone else.
      const id = await w.raiseAsA();
      return { url: `/api/v1/alerts/${id}/actions`, body: { action: who === 'pagedUnit' ? 'acknowledge' : 'cancel' }, target: id };
    },
    // The unit took it: A cancels, and the unit is free for the next alert.
    after: async (w, who, a) => { if (who === 'pagedUnit') await w.ok({ method: 'POST', url: `/api/v1/alerts/${a.json.id}/actions`, token: w.token.citizenA, body: { action: 'cancel' } }); },
  }),
  'POST /api/v1/alerts/:id/assign': dispatchers(200, {
    req: async (w, _who, mode) => {
      const id = mode === 'allowed' ? await w.raiseAsA() : aim(mode, w.alert.a);
      return { url: `/api/v1/alerts/${id}/assign`, body: { unitId: w.unit.paged }, target: id };
    },
    after: async (w, _who, a) => { await cancelAsAdmin(w, a.json.id); },
  }),

  // ——— units ———
  'GET /api/v1/units': only({ pagedUnit: 200, unpagedUnit: 200, dispatcher: 200, analyst: 200, admin: 200 }),
  'POST /api/v1/units': admins(201, { req: (w) => ({ body: { callsign: unique('N'), type: 'car', quadrantIds: [w.quadrant] } }) }),
  'PATCH /api/v1/units/:id': admins(200, { req: (w) => ({ url: `/api/v1/units/${w.unit.spare}`, body: { type: 'bicycle' } }) }),
  // A unit may set only its own shift: another unit's is the 404 of a unit that does not exist.
  'PUT /api/v1/units/:id/shift': only({ pagedUnit: 200, unpagedUnit: 'hidden', dispatcher: 200, admin: 200 }, {
    req: (w, _who, mode) => { const id = aim(mode, w.unit.paged); return { url: `/api/v1/units/${id}/shift`, body: { state: 'available' }, target: id }; },
  }),
  'GET /api/v1/stats/response-times': only({ dispatcher: 200, analyst: 200, admin: 200 }),

  // ——— tracking ———
  'GET /api/v1/osmand': open('tracker protocol: Traccar Client has no account; known and unknown ids answer alike', 200, (w) => ({ url: osmandQuery('/api/v1/osmand', w) })),
  'POST /api/v1/osmand': open('tracker protocol', 200, (w) => ({ url: osmandQuery('/api/v1/osmand', w) })),
  'PUT /api/v1/osmand': open('tracker protocol', 200, (w) => ({ url: osmandQuery('/api/v1/osmand', w) })),
  'GET /api/v1/osmand/*': open('tracker protocol (clients that append a path)', 200, (w) => ({ url: osmandQuery('/api/v1/osmand/gps', w) })),
  'POST /api/v1/osmand/*': open('tracker protocol (clients that append a path)', 200, (w) => ({ url: osmandQuery('/api/v1/osmand/gps', w) })),
  'PUT /api/v1/osmand/*': open('tracker protocol (clients that append a path)', 200, (w) => ({ url: osmandQuery('/api/v1/osmand/gps', w) })),
  'POST /api/v1/units/:id/positions': only({ pagedUnit: 200, unpagedUnit: 'hidden', dispatcher: 200, admin: 200 }, {
    req: (w, _who, mode) => { const id = aim(mode, w.unit.paged); return { url: `/api/v1/units/${id}/positions`, body: { lat: w.point.lat, lon: w.point.lon }, target: id }; },
  }),
  'POST /api/v1/positions/batch': only({ gateway: 200, admin: 200 }, { req: (w) => ({ body: { positions: [{ unitId: w.unit.spare, lat: w.point.lat, lon: w.point.lon }] } }) }),
  'GET /api/v1/units/positions': dispatchers(200),
  'GET /api/v1/units/nearest': dispatchers(200, { req: (w) => ({ url: `/api/v1/units/nearest?lat=${w.point.lat}&lon=${w.point.lon}` }) }),
  'GET /api/v1/units/:id/track': dispatchers(200, { req: (w) => ({ url: `/api/v1/units/${w.unit.paged}/track` }) }),
  'GET /api/v1/trackers': admins(200),
  'GET /api/v1/trackers/sweeps': admins(200),
  'POST /api/v1/trackers': admins(201, { req: (w) => ({ body: { uniqueId: unique('rastreador-nuevo-'), unitId: w.unit.spare } }) }),
  'DELETE /api/v1/trackers/:uniqueId': admins(204, {
    req: async (w, _who, mode) => {
      if (mode !== 'allowed') return { url: `/api/v1/trackers/${w.trackerId}` };
      const id = unique('rastreador-por-borrar-');
      await w.ok({ method: 'POST', url: '/api/v1/trackers', token: w.token.admin, body: { uniqueId: id, unitId: w.unit.spare } });
      return { url: `/api/v1/trackers/${id}` };
    },
  }),
  'GET /api/v1/geofence-events': dispatchers(200),

  // ——— extortion: the public side ———
  'GET /api/v1/extortion/types': open('the scam types, for the report form', 200),
  'POST /api/v1/extortion/reports': open('anonymous reports (a device credential, when sent, only tells reporters apart; limited per device and network)', 201,
    (w) => ({ body: { number: w.reported, channel: 'sms', type: 'virtual_kidnapping' } })),
  'GET /api/v1/numbers/:number': open('citizen look-up of a number', 200, (w) => ({ url: `/api/v1/numbers/${w.reported}` })),
  'GET /api/v1/numbers/range/:prefix': open('citizen look-up of a number (k-anonymous)', 200, () => ({ url: '/api/v1/numbers/range/abcde' })),
  'POST /api/v1/numbers/:number/disputes': open("the number's owner has no account (limited per network and per number)", 201, async (w) => ({
    url: `/api/v1/numbers/${await w.freshReportedNumber()}/disputes`,
    body: { ownerName: 'Dueño del número', contact: 'dueno@example.org', reason: 'Es el teléfono de mi negocio' },
  })),
  'GET /api/v1/carrier/numbers/:number': { public: 'carriers: an API key, not a session', outcomes: outcomes('apiKey', 'apiKey'),
    req: (w) => ({ url: `/api/v1/carrier/numbers/${w.reported}` }),
    keyed: { reason: 'X-Api-Key', status: 200, withKey: (w) => ({ url: `/api/v1/carrier/numbers/${w.reported}`, headers: { 'x-api-key': w.apiKey } }) } },
  'GET /api/v1/carrier/blocklist': { public: 'carriers: an API key, not a session', outcomes: outcomes('apiKey', 'apiKey'),
    keyed: { reason: 'X-Api-Key', status: 200, withKey: (w) => ({ url: '/api/v1/carrier/blocklist', headers: { 'x-api-key': w.apiKey } }) } },

  // ——— extortion: analysts ———
  'GET /api/v1/extortion/queue': analysts(200),
  'GET /api/v1/extortion/numbers/:number': analysts(200, { req: (w) => ({ url: `/api/v1/extortion/numbers/${w.reported}` }) }),
  'POST /api/v1/extortion/numbers/:number/decision': analysts(200, { req: (w) => ({ url: `/api/v1/extortion/numbers/${w.reported}/decision`, body: { status: null, note: 'revisado' } }) }),
  'GET /api/v1/extortion/disputes': analysts(200),
  'POST /api/v1/extortion/disputes/:id/resolution': analysts(200, {
    req: async (w, _who, mode) => {
      let id = w.disputeId;
      if (mode === 'allowed') {
        id = (await w.ok({ method: 'POST', url: `/api/v1/numbers/${await w.freshReportedNumber()}/disputes`, body: { ownerName: 'Otra dueña', contact: 'otra@example.org', reason: 'No es un número de extorsión' } })).id;
      }
      return { url: `/api/v1/extortion/disputes/${id}/resolution`, body: { outcome: 'denied' } };
    },
  }),
  'GET /api/v1/extortion/protected': analysts(200),
  'PUT /api/v1/extortion/protected/:number': admins(200, { req: () => ({ url: '/api/v1/extortion/protected/5551234567', body: { label: 'Banco de ejemplo' } }) }),
  'DELETE /api/v1/extortion/protected/:number': admins(200, { req: () => ({ url: '/api/v1/extortion/protected/5551234567' }) }),
  'GET /api/v1/extortion/campaigns': analysts(200),
  'GET /api/v1/extortion/stats': analysts(200),
  'POST /api/v1/extortion/exports': analysts(200, { req: (w) => ({ body: { numbers: [w.reported] } }) }),
  'GET /api/v1/extortion/api-keys': admins(200),
  'POST /api/v1/extortion/api-keys': admins(201, { req: () => ({ body: { name: 'Otra aplicación' } }) }),
  'DELETE /api/v1/extortion/api-keys/:id': admins(204, {
    req: async (w, _who, mode) => {
      if (mode !== 'allowed') return { url: `/api/v1/extortion/api-keys/${w.apiKeyId}` };
      const key = await w.ok({ method: 'POST', url: '/api/v1/extortion/api-keys', token: w.token.admin, body: { name: 'Clave por revocar' } });
      return { url: `/api/v1/extortion/api-keys/${key.id}` };
    },
  }),

  // ——— family: a device's own contacts, code word and check-ins ———
  'GET /api/v1/contacts': raisers(200),
  'POST /api/v1/contacts': raisers(201, {}, { req: () => ({ body: { name: 'Hermano', phone: `55${String(30_000_000 + Math.floor(Math.random() * 60_000_000))}` } }) }),
  // Citizen B on A's contact: the 404 of a contact that does not exist.
  'DELETE /api/v1/contacts/:id': raisers(204, { citizenB: 'hidden' }, {
    req: async (w, who, mode) => {
      const id = mode === 'allowed' ? await ownContact(w, who as SignedIn) : aim(mode, w.contactA);
      return { url: `/api/v1/contacts/${id}`, target: id };
    },
  }),
  'PUT /api/v1/code-word': raisers(204, {}, { req: () => ({ body: { word: 'girasol' } }) }),
  'POST /api/v1/code-word/check': raisers(200, {}, { req: () => ({ body: { word: 'girasol' } }) }),
  'GET /api/v1/checkins': raisers(200),
  'POST /api/v1/checkins': raisers(201, { citizenB: 'hidden' }, {
    req: async (w, who, mode) => {
      const id = mode === 'allowed' ? (who === 'citizenA' ? w.contactA : await ownContact(w, who as SignedIn)) : aim(mode, w.contactA);
      return { body: { contactId: id }, target: id };
    },
  }),
  'POST /api/v1/checkin-links/status': open('check-in link: the token in the body is the credential', 200, async (w) => ({ body: { token: await w.checkinToken() } })),
  'POST /api/v1/checkin-links/answer': open('check-in link: the token in the body is the credential', 200, async (w) => ({ body: { token: await w.checkinToken(), answer: 'fine' } })),
  'GET /api/v1/dev/outbox': admins(200),
};

function osmandQuery(path: string, w: World): string {
  return `${path}?id=${w.trackerId}&lat=${w.point.lat}&lon=${w.point.lon}&timestamp=${Math.floor(Date.now() / 1000)}`;
}

const keyOf = (r: CatalogueEntry) => `${r.method} ${r.url}`;

/** Every HTTP route the app registered, once per method; a HEAD route only where it has no GET twin. */
function registered(w: World): CatalogueEntry[] {
  const all = w.server.app.routeCatalogue;
  const gets = new Set(all.filter((r) => r.method === 'GET').map((r) => r.url));
  const seen = new Set<string>();
  return all.filter((r) => {
    if (r.method === 'HEAD' && gets.has(r.url)) return false;
    if (seen.has(keyOf(r))) return false;
    seen.add(keyOf(r));
    return true;
  });
}

/** The built page files (served as they are by @fastify/static): public, like any web page. */
const STATIC_FILE: Rule = open('built page files (HTML, scripts, styles)', 200);
function ruleFor(r: CatalogueEntry): Rule | undefined {
  if (MATRIX[keyOf(r)]) return MATRIX[keyOf(r)];
  if ((r.config as { file?: string }).file !== undefined && (r.method === 'GET' || r.method === 'HEAD')) return STATIC_FILE;
  return undefined;
}

/** Refused requests may count against a limit and the retention job writes on its own schedule: neither is a change of data. */
const UNCHANGED = { ignore: ['rate_counters'], ignoreLike: { audit_log: { column: 'action', patterns: ['retention.%'] } } };

describe.each(engines)('authorisation matrix ($name)', (engine) => {
  let w: World;
  const timings: string[] = [];

  beforeAll(async () => {
    const t0 = Date.now();
    // Development mode registers the one route production lacks (/api/v1/dev/outbox): the table covers it too.
    w = await startWorld(engine, { mode: 'development' });
    timings.push(`fixtures ${Date.now() - t0} ms`);
  }, 120_000);
  afterAll(async () => {
    console.info(`authorisation matrix (${engine.name}): ${timings.join(', ')}`);
    await w?.close();
  });

  it('has a row for every registered route, and no row for a route that does not exist', () => {
    const routes = registered(w);
    const problems: string[] = [];
    for (const r of routes) {
      const rule = ruleFor(r);
      if (!rule) {
        problems.push(r.config.access === undefined
          ? `${keyOf(r)} has no access rule and is not on the public allow-list: give it config.access, or add it to MATRIX as open('<why anyone may call it>', status)`
          : `${keyOf(r)} (access: ${r.config.access}) has no row in MATRIX: say what each actor gets`);
        continue;
      }
      // The allow-list says "public"; the route must agree (and a route with a rule must not be on the list).
      if (rule.public !== undefined && r.config.access !== undefined) problems.push(`${keyOf(r)} is on the public allow-list but has access ${r.config.access}`);
      if (rule.public === undefined && r.config.access === undefined) problems.push(`${keyOf(r)} has no access rule, yet MATRIX expects refusals: add config.access`);
    }
    const keys = new Set(routes.map(keyOf));
    for (const k of Object.keys(MATRIX)) if (!keys.has(k)) problems.push(`MATRIX has a row for ${k}, which the app does not register`);
    expect(problems).toEqual([]);
    // A floor, so a catalogue that lost its routes cannot pass.
    expect(routes.length).toBeGreaterThanOrEqual(90);
  });

  it('answers every actor on every route as the table says; refusals change nothing and use the catalogue shape', { timeout: 240_000 }, async () => {
    const t0 = Date.now();
    const problems: string[] = [];
    let calls = 0;
    const fp = await fingerprinter(w.server.services.storage.db, UNCHANGED, w.server.services.storage.sqlite ?? null);
    // Positions are written a moment after they are accepted: flushed first, so they land before the "before".
    const settled = async () => { await w.server.services.tracking.flush(); return fp(); };

    const build = async (entry: CatalogueEntry, rule: Rule, who: ActorName, mode: Mode) => {
      const spec = (await rule.req?.(w, who, mode)) ?? {};
      const body = spec.body;
      const schema = (entry.schema as { body?: Schema } | undefined)?.body;
      // The table's bodies must be valid, or an answer would say nothing about access.
      if (body !== undefined && schema && !compileBodyValidator(schema)(structuredClone(body))) problems.push(`${keyOf(entry)}: the table's body is not valid: ${JSON.stringify(body)}`);
      return { spec, request: { method: entry.method, url: spec.url ?? entry.url, token: who === 'anonymous' ? null : w.token[who], body, raw: spec.raw, contentType: spec.contentType, headers: spec.headers } };
    };
    const normalise = (text: string, id: string | undefined) => (id ? text.split(id).join('<id>') : text);

    for (const entry of registered(w)) {
      const rule = ruleFor(entry);
      if (!rule) continue; // reported by the test above
      const label = keyOf(entry);

      // Refusals first, all against the shared fixtures, with the database compared around them.
      const refused = ACTORS.filter((a) => isRefusal(rule.outcomes[a]));
      if (refused.length) {
        const requests = [];
        for (const who of refused) {
          requests.push({ who, ...(await build(entry, rule, who, 'refused')), missing: rule.outcomes[who] === 'hidden' ? await build(entry, rule, who, 'missing') : null });
        }
        const before = await settled();
        for (const { who, spec, request, missing } of requests) {
          const expected = rule.outcomes[who] as Refusal;
          const context = `${label} as ${who}`;
          const a = await w.call(request);
          calls++;
          const { status, code } = REFUSALS[expected];
          if (a.status !== status) { problems.push(`${context}: expected ${status} (${expected}), got ${a.status} ${a.text.slice(0, 200)}`); continue; }
          try {
            const { error } = expectCatalogueError(a.status, a.headers, a.text, context);
            if (code) expect(error.code, context).toBe(code);
          } catch (err) { problems.push((err as Error).message.split('\n')[0]!); continue; }
          if (missing) {
            // Hidden means indistinguishable from missing: the same status, code and message but for the id asked for.
            const m = await w.call(missing.request);
            calls++;
            if (m.status !== a.status || normalise(m.text, missing.spec.target) !== normalise(a.text, spec.target)) {
              problems.push(`${context}: someone else's answers ${a.status} ${a.text}, a missing one ${m.status} ${m.text}`);
            }
          }
        }
        if (rule.keyed) {
          const withKey = rule.keyed.withKey(w);
          const a = await w.call({ method: entry.method, url: withKey.url ?? entry.url, headers: withKey.headers });
          calls++;
          if (a.status !== rule.keyed.status) problems.push(`${label} with ${rule.keyed.reason}: expected ${rule.keyed.status}, got ${a.status} ${a.text.slice(0, 200)}`);
        }
        const changes = changedTables(before, await settled());
        for (const change of changes) problems.push(`${label}: a refused request changed ${change}`);
      }

      // Then each allowed actor, with fixtures made for it where the call uses something up.
      for (const who of ACTORS.filter((a) => !isRefusal(rule.outcomes[a]))) {
        const expected = rule.outcomes[who] as Allowed;
        const [status, code] = typeof expected === 'number' ? [expected, undefined] : [Number(expected.split(' ')[0]), expected.split(' ')[1]];
        const context = `${label} as ${who}`;
        const { request } = await build(entry, rule, who, 'allowed');
        const a = await w.call(request);
        calls++;
        if (a.status !== status) { problems.push(`${context}: expected ${expected}, got ${a.status} ${a.text.slice(0, 200)}`); continue; }
        if (status >= 400 && a.text) {
          try {
            const { error } = expectCatalogueError(a.status, a.headers, a.text, context);
            if (code) expect(error.code, context).toBe(code);
          } catch (err) { problems.push((err as Error).message.split('\n')[0]!); }
        }
        if (who !== 'anonymous') {
          try { await rule.after?.(w, who, a); } catch (err) { problems.push(`${context}: putting the fixtures back failed: ${(err as Error).message.split('\n')[0]}`); }
        }
      }
    }
    timings.push(`${calls} calls in ${Date.now() - t0} ms`);
    expect(problems).toEqual([]);
    expect(calls).toBeGreaterThan(600);
  });

  it('still has working fixtures afterwards: the matrix did not pass by breaking them', async () => {
    // Every actor is still signed in as itself…
    for (const who of SIGNED_IN) expect((await w.call({ method: 'GET', url: '/api/v1/auth/me', token: w.token[who] })).status, who).toBe(200);
    // …A's alert is still open and the paged unit still sees it; B still does not.
    const seen = await w.call({ method: 'GET', url: `/api/v1/alerts/${w.alert.a}`, token: w.token.pagedUnit });
    expect(seen.status).toBe(200);
    expect(['paging', 'new']).toContain(seen.json.status);
    expect((await w.call({ method: 'GET', url: `/api/v1/alerts/${w.alert.a}`, token: w.token.citizenB })).status).toBe(404);
    // …and a new alert from A still pages the paged unit (it was freed after each alert it took).
    const fresh = await w.raiseAsA();
    const staff = await w.ok({ method: 'GET', url: `/api/v1/alerts/${fresh}`, token: w.token.dispatcher });
    expect(staff.pagedUnits.map((u: { id: string }) => u.id)).toContain(w.unit.paged);
  });
});
