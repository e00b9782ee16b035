// HTTP face of dispatch: devices, alerts and their actions, units, response-time statistics.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { DomainError } from '../kernel/index.js';
import { errorResponses } from '../http/route-contract.js';
import { bearerSecurity } from '../http/auth.js';
import type { AccountService } from '../accounts/index.js';
import type { DeviceRegistration, PinService } from '../accounts/index.js';
import type { AlertPresenter } from './presenter.js';
import type { Actor } from './ports.js';
import type { DispatchService } from './service.js';
import type { UnitEnrolment, UnitService } from '../fleet/index.js';
import * as S from '../contracts/dispatch.js';

export interface DispatchRoutesOptions {
  dispatch: DispatchService;
  units: UnitService;
  /** Creating a unit with its officer account (one transaction). */
  enrolment: UnitEnrolment;
  accounts: AccountService;
  pins: PinService;
  presenter: AlertPresenter;
  settings: { ackTimeoutMs: number; escalateAfterMs: number; targetOnSceneMs: number; emergencyNumber: string; noSignalMs: number; osmandPort: number };
  /** Device credentials per network and hour: past `soft` new ones start on probation, past `hard` they are refused. */
  devices: DeviceRegistration;
}

// The error statuses each route can answer, by what it takes (tests/http/contract.test.ts checks them).
/** Bearer token required (401), role or password change (403). */
const signedIn = errorResponses(401, 403);
/** A JSON body: refused when invalid or malformed (400), too large (413), not JSON (415). */
const withBody = errorResponses(400, 413, 415);
/** A path id: refused when invalid (400), too long (414), unknown or not this caller's (404). */
const withId = errorResponses(400, 404, 414);

export const dispatchRoutes: FastifyPluginAsyncTypebox<DispatchRoutesOptions> = async (app, o) => {
  const actor = (req: { principal: { userId: string; role: Actor['role']; unitId: string | null } | null }): Actor => {
    const p = req.principal!;
    return { userId: p.userId, role: p.role, unitId: p.unitId };
  };
  // Keys are server-side: the device is the token's account, the network a keyed hash of the peer
  // address as CUADRANTE_TRUST_PROXY allows — never an id or address the client writes itself.
  const verifyPin = (userId: string, networkKey: string) => async (pin: string) =>
    (pin ? o.pins.verify(userId, pin, networkKey) : (await o.pins.has(userId)) ? 'wrong' as const : 'unset' as const);

  app.get('/api/v1/dispatch/settings', {
    schema: {
      tags: ['alerts'], summary: "The city's escalation clock, emergency number, and tracking settings the pages need",
      response: { 200: S.DispatchSettings },
    },
  }, async () => ({
    ackTimeoutS: o.settings.ackTimeoutMs / 1000, escalateAfterS: o.settings.escalateAfterMs / 1000,
    targetOnSceneS: o.settings.targetOnSceneMs / 1000, emergencyNumber: o.settings.emergencyNumber,
    noSignalS: o.settings.noSignalMs / 1000, osmandPort: o.settings.osmandPort,
  }));

  app.post('/api/v1/devices', {
    schema: {
      tags: ['alerts'], summary: "A citizen device's credential: no name, no phone number, no contacts",
      description: 'Counted per network: past CUADRANTE_DEVICES_PER_NETWORK_HOUR a new device starts on probation (its alerts are stored but wait for a dispatcher); past CUADRANTE_DEVICES_PER_NETWORK_HOUR_MAX, 429.',
      response: { 201: S.DeviceCredential, ...withBody, ...errorResponses(429) },
    },
  }, async (req, reply) => {
    const s = await o.devices.register(req.networkKey);
    return reply.status(201).send({ token: s.token, expiresAt: s.expiresAt.toISOString(), userId: s.user.id });
  });

  app.put('/api/v1/devices/me/pins', {
    schema: {
      tags: ['alerts'], summary: 'Set a cancel PIN and a different duress PIN',
      description: 'Once PINs are set, currentPin (the cancel PIN) is required (403 WRONG_PIN; guesses slowed: 429). Refused with 409 PINS_LOCKED while an alert is open.',
      body: S.PinsBody, security: bearerSecurity, response: { 204: Type.Null(), ...signedIn, ...withBody, ...errorResponses(409, 429, 503) },
    },
    config: { access: 'alerts:raise' },
  }, async (req, reply) => {
    const who = actor(req);
    await o.pins.change(who.userId, req.body, req.networkKey, () => o.dispatch.hasOpenAlertSeenBy(who));
    return reply.status(204).send(null);
  });

  app.post('/api/v1/alerts', {
    schema: {
      tags: ['alerts'], summary: 'Raise an alert (stored durably before this answers)',
      description: 'Citizens press the button; dispatchers record a phone call (address and point). Send an Idempotency-Key so a retry never creates a second alert.',
      body: S.RaiseBody, headers: S.IdempotencyHeaders, security: bearerSecurity,
      response: { 200: S.AlertView, 201: S.AlertView, ...signedIn, ...withBody, ...errorResponses(422) },
    },
    config: { access: 'alerts:raise' },
  }, async (req, reply) => {
    const who = actor(req);
    const { alert, replayed, pagedUnitIds } = await o.dispatch.raise(who, req.body, req.headers['idempotency-key'] ?? null,
      { networkKey: req.networkKey, probationUntil: req.principal!.probationUntil ?? null });
    return reply.status(replayed ? 200 : 201).header('location', `/api/v1/alerts/${alert.id}`).send(await o.presenter.view(who, alert, pagedUnitIds));
  });

  app.get('/api/v1/alerts', {
    schema: { tags: ['alerts'], summary: 'Citizens: their recent alerts. Units: alerts paged to them. Dispatchers: every open alert.', security: bearerSecurity, response: { 200: Type.Array(S.AlertView), ...signedIn } },
    config: { access: 'authenticated' },
  }, async (req) => {
    const who = actor(req);
    return o.presenter.views(who, await o.dispatch.listFor(who));
  });

  app.get('/api/v1/alerts/:id', {
    schema: { tags: ['alerts'], summary: 'One alert (a citizen sees only their own: anything else is 404)', params: S.IdParams, security: bearerSecurity, response: { 200: S.AlertView, ...signedIn, ...withId } },
    config: { access: 'authenticated' },
  }, async (req) => {
    const who = actor(req);
    return o.presenter.view(who, await o.dispatch.read(who, req.params.id));
  });

  app.get('/api/v1/alerts/:id/events', {
    schema: {
      tags: ['alerts'], summary: "The alert's append-only log (staff)", params: S.IdParams,
      querystring: S.EventsQuery, security: bearerSecurity, response: { 200: Type.Array(S.AlertEventView), ...signedIn, ...withId },
    },
    config: { access: 'authenticated' },
  }, async (req) => {
    const events = await o.dispatch.events(actor(req), req.params.id, req.query.after);
    return events.map((e) => ({ ...e, at: new Date(e.at).toISOString() }));
  });

  app.post('/api/v1/alerts/:id/actions', {
    schema: {
      tags: ['alerts'], summary: 'acknowledge, en_route, on_scene, resolve (with outcome), cancel (with PIN if set), escalate, confirm (a held alert)',
      params: S.IdParams, body: S.ActionBody, security: bearerSecurity,
      response: { 200: S.AlertView, ...signedIn, ...withId, ...withBody, ...errorResponses(409, 429, 503) },
    },
    config: { access: 'authenticated' },
  }, async (req) => {
    const who = actor(req);
    if (who.role === 'unit' && !who.unitId) throw new DomainError('NO_UNIT_FOR_ACCOUNT');
    const alert = await o.dispatch.act(who, req.params.id, req.body.action, {
      outcome: req.body.outcome, pin: req.body.pin, verifyPin: verifyPin(who.userId, req.networkKey),
    });
    return o.presenter.view(who, alert);
  });

  app.post('/api/v1/alerts/:id/assign', {
    schema: { tags: ['alerts'], summary: 'Give the alert to a unit (take over or reassign)', params: S.IdParams, body: S.AssignBody, security: bearerSecurity, response: { 200: S.AlertView, ...signedIn, ...withId, ...withBody, ...errorResponses(409) } },
    config: { access: 'alerts:dispatch' },
  }, async (req) => {
    const who = actor(req);
    return o.presenter.view(who, await o.dispatch.assign(who, req.params.id, req.body.unitId));
  });

  app.get('/api/v1/units', {
    schema: { tags: ['units'], summary: 'Every unit with its shift state', security: bearerSecurity, response: { 200: Type.Array(S.UnitView), ...signedIn } },
    config: { access: 'units:read' },
  }, async () => o.units.list());

  app.post('/api/v1/units', {
    schema: { tags: ['units'], summary: 'Create a unit, optionally with the officer account that signs in to it', body: S.UnitBody, security: bearerSecurity,
      response: { 201: S.UnitView, ...signedIn, ...withBody, ...errorResponses(404, 409, 503) } },
    config: { access: 'units:manage' },
  }, async (req, reply) => {
    const { username, password, ...input } = req.body;
    if ((username === undefined) !== (password === undefined)) {
      throw new DomainError('VALIDATION_FAILED', { detail: { es: 'username y password van juntos', en: 'username and password go together' } });
    }
    const officer = username && password ? { username, password } : null;
    return reply.status(201).send(await o.enrolment.enrol(req.principal!.userId, input, officer));
  });

  app.patch('/api/v1/units/:id', {
    schema: { tags: ['units'], summary: "Change a unit's type, quadrants or phone", params: S.IdParams, body: S.UnitPatch, security: bearerSecurity, response: { 200: S.UnitView, ...signedIn, ...withId, ...withBody } },
    config: { access: 'units:manage' },
  }, async (req) => o.units.update(req.principal!.userId, req.params.id, req.body));

  app.put('/api/v1/units/:id/shift', {
    schema: { tags: ['units'], summary: 'Go on duty (available) or off duty', params: S.IdParams, body: S.ShiftBody, security: bearerSecurity, response: { 200: S.UnitView, ...signedIn, ...withId, ...withBody } },
    config: { access: 'units:shift' },
  }, async (req) => {
    const who = actor(req);
    if (who.role === 'unit' && who.unitId !== req.params.id) throw new DomainError('UNIT_NOT_FOUND', { id: req.params.id });
    return o.units.setShift(req.params.id, req.body.state);
  });

  app.get('/api/v1/stats/response-times', {
    schema: {
      tags: ['alerts'], summary: 'Median and p90 time to acknowledge and to arrive, and the share on scene within the target',
      querystring: S.StatsQuery, security: bearerSecurity, response: { 200: S.ResponseTimes, ...signedIn, ...errorResponses(400) },
    },
    config: { access: 'stats:read' },
  }, async (req) => {
    const range = { from: req.query.from ? Date.parse(req.query.from) : null, to: req.query.to ? Date.parse(req.query.to) : null };
    const r = await o.dispatch.responseTimes(range, req.query.group);
    return { ...r, from: new Date(r.from).toISOString(), to: new Date(r.to).toISOString() };
  });
};
