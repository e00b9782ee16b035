// HTTP face of dispatch: devices, alerts and their actions, units, response-time statistics.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { DomainError } from '../kernel/index.js';
import { errorSchema } from '../http/errors.js';
import { bearerSecurity } from '../http/auth.js';
import type { AccountService } from '../accounts/service.js';
import type { PinService } from '../accounts/pins.js';
import type { Clock } from '../kernel/index.js';
import type { Limit, RateLimiter } from '../limits/index.js';
import { responseStats } from './domain/stats.js';
import type { AlertPresenter } from './presenter.js';
import type { Actor } from './ports.js';
import type { DispatchService } from './service.js';
import type { UnitService } from './units.js';
import type { DispatchStore } from './storage.js';
import * as S from './schemas.js';

export interface DispatchRoutesOptions {
  dispatch: DispatchService;
  units: UnitService;
  accounts: AccountService;
  pins: PinService;
  presenter: AlertPresenter;
  store: DispatchStore;
  settings: { ackTimeoutMs: number; escalateAfterMs: number; targetOnSceneMs: number; emergencyNumber: string; noSignalMs: number; osmandPort: number };
  /** Device credentials per network and hour: past `soft` new ones start on probation, past `hard` they are refused. */
  devices: { limits: RateLimiter; clock: Clock; perNetworkHour: number; perNetworkHourMax: number; probationMs: number };
}

const errors = { 400: errorSchema, 401: errorSchema, 403: errorSchema, 404: errorSchema, 409: errorSchema, 422: errorSchema, 429: errorSchema };
const AnyView = Type.Unknown({ description: 'An alert as this caller may see it (citizens get a reduced view)' });

export const dispatchRoutes: FastifyPluginAsyncTypebox<DispatchRoutesOptions> = async (app, o) => {
  const actor = (req: { principal: { userId: string; role: Actor['role']; unitId: string | null } | null }): Actor => {
    const p = req.principal!;
    return { userId: p.userId, role: p.role, unitId: p.unitId };
  };
  // Keys are server-side: the device is the token's account, the network a keyed hash of the peer
  // address as CUADRANTE_TRUST_PROXY allows — never an id or address the client writes itself.
  const devicesPerNetwork: Limit = { scope: 'devices.network', max: o.devices.perNetworkHourMax, windowMs: 3600_000 };
  const verifyPin = (userId: string, networkKey: string) => async (pin: string) =>
    (pin ? o.pins.verify(userId, pin, networkKey) : (await o.pins.has(userId)) ? 'wrong' as const : 'unset' as const);

  app.get('/api/v1/dispatch/settings', {
    schema: {
      tags: ['alerts'], summary: "The city's escalation clock, emergency number, and tracking settings the pages need",
      response: { 200: Type.Object({ ackTimeoutS: Type.Number(), escalateAfterS: Type.Number(), targetOnSceneS: Type.Number(), emergencyNumber: Type.String(), noSignalS: Type.Number(), osmandPort: Type.Integer({ description: '0 when the dedicated OsmAnd port is off' }) }) },
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
      response: { 201: Type.Object({ token: Type.String(), expiresAt: Type.String(), userId: Type.String() }), 429: errorSchema },
    },
  }, async (req, reply) => {
    const counted = await o.devices.limits.hit(devicesPerNetwork, req.networkKey);
    if (counted.over) throw new DomainError('RATE_LIMITED', { seconds: counted.retryAfterS });
    // Nothing in the answer says so: a flooder learns nothing, an honest phone behaves the same.
    const probationUntil = counted.count > o.devices.perNetworkHour ? o.devices.clock.now().getTime() + o.devices.probationMs : null;
    const s = await o.accounts.registerDevice({ probationUntil });
    return reply.status(201).send({ token: s.token, expiresAt: s.expiresAt.toISOString(), userId: s.user.id });
  });

  app.put('/api/v1/devices/me/pins', {
    schema: {
      tags: ['alerts'], summary: 'Set a cancel PIN and a different duress PIN',
      description: 'Once PINs are set, currentPin (the cancel PIN) is required (403 WRONG_PIN; guesses slowed: 429). Refused with 409 PINS_LOCKED while an alert is open.',
      body: S.PinsBody, security: bearerSecurity, response: { 204: Type.Null(), ...errors },
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
      response: { 200: AnyView, 201: AnyView, ...errors },
    },
    config: { access: 'alerts:raise' },
  }, async (req, reply) => {
    const who = actor(req);
    const { alert, replayed, pagedUnitIds } = await o.dispatch.raise(who, req.body, req.headers['idempotency-key'] ?? null,
      { networkKey: req.networkKey, probationUntil: req.principal!.probationUntil ?? null });
    return reply.status(replayed ? 200 : 201).header('location', `/api/v1/alerts/${alert.id}`).send(await o.presenter.view(who, alert, pagedUnitIds));
  });

  app.get('/api/v1/alerts', {
    schema: { tags: ['alerts'], summary: 'Citizens: their recent alerts. Units: alerts paged to them. Dispatchers: every open alert.', security: bearerSecurity, response: { 200: Type.Array(AnyView), ...errors } },
    config: { access: 'authenticated' },
  }, async (req) => {
    const who = actor(req);
    if (who.role === 'citizen') return o.presenter.views(who, await o.dispatch.alertsOf(who));
    if (who.role === 'unit') return o.presenter.views(who, who.unitId ? await o.dispatch.alertsPagedTo(who.unitId) : []);
    if (who.role === 'dispatcher' || who.role === 'admin') return o.presenter.views(who, await o.dispatch.openAlertsFor(who));
    throw new DomainError('FORBIDDEN');
  });

  app.get('/api/v1/alerts/:id', {
    schema: { tags: ['alerts'], summary: 'One alert (a citizen sees only their own: anything else is 404)', params: S.IdParams, security: bearerSecurity, response: { 200: AnyView, ...errors } },
    config: { access: 'authenticated' },
  }, async (req) => {
    const who = actor(req);
    return o.presenter.view(who, await o.dispatch.read(who, req.params.id));
  });

  app.get('/api/v1/alerts/:id/events', {
    schema: {
      tags: ['alerts'], summary: "The alert's append-only log (staff)", params: S.IdParams,
      // seq is a 32-bit column: past it PostgreSQL answered 500 (fuzz suite).
      querystring: Type.Object({ after: Type.Integer({ minimum: 0, maximum: 2_147_483_647, default: 0 }) }), security: bearerSecurity, response: { 200: Type.Array(Type.Unknown()), ...errors },
    },
    config: { access: 'authenticated' },
  }, async (req) => {
    const who = actor(req);
    if (who.role === 'citizen') throw new DomainError('ALERT_NOT_FOUND', { id: req.params.id });
    const events = await o.dispatch.events(who, req.params.id, req.query.after);
    return events.map((e) => ({ ...e, at: new Date(e.at).toISOString() }));
  });

  app.post('/api/v1/alerts/:id/actions', {
    schema: {
      tags: ['alerts'], summary: 'acknowledge, en_route, on_scene, resolve (with outcome), cancel (with PIN if set), escalate, confirm (a held alert)',
      params: S.IdParams, body: S.ActionBody, security: bearerSecurity, response: { 200: AnyView, ...errors },
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
    schema: { tags: ['alerts'], summary: 'Give the alert to a unit (take over or reassign)', params: S.IdParams, body: S.AssignBody, security: bearerSecurity, response: { 200: AnyView, ...errors } },
    config: { access: 'alerts:dispatch' },
  }, async (req) => {
    const who = actor(req);
    return o.presenter.view(who, await o.dispatch.assign(who, req.params.id, req.body.unitId));
  });

  const UnitView = Type.Unknown({ description: 'A patrol unit' });

  app.get('/api/v1/units', {
    schema: { tags: ['units'], summary: 'Every unit with its shift state', security: bearerSecurity, response: { 200: Type.Array(UnitView), ...errors } },
    config: { access: 'units:read' },
  }, async () => o.units.list());

  app.post('/api/v1/units', {
    schema: { tags: ['units'], summary: 'Create a unit, optionally with the officer account that signs in to it', body: S.UnitBody, security: bearerSecurity, response: { 201: UnitView, ...errors } },
    config: { access: 'units:manage' },
  }, async (req, reply) => {
    const { username, password, ...input } = req.body;
    if ((username === undefined) !== (password === undefined)) {
      throw new DomainError('VALIDATION_FAILED', { detail: { es: 'username y password van juntos', en: 'username and password go together' } });
    }
    // Check the account first, so a taken username never leaves a unit without its officer.
    if (username) await o.accounts.assertUsernameFree(username);
    const unit = await o.units.create(req.principal!.userId, input);
    if (username && password) await o.accounts.createUser(req.principal!.userId, { username, password, role: 'unit', unitId: unit.id, displayName: unit.callsign });
    return reply.status(201).send(unit);
  });

  app.patch('/api/v1/units/:id', {
    schema: { tags: ['units'], summary: "Change a unit's type, quadrants or phone", params: S.IdParams, body: S.UnitPatch, security: bearerSecurity, response: { 200: UnitView, ...errors } },
    config: { access: 'units:manage' },
  }, async (req) => o.units.update(req.principal!.userId, req.params.id, req.body));

  app.put('/api/v1/units/:id/shift', {
    schema: { tags: ['units'], summary: 'Go on duty (available) or off duty', params: S.IdParams, body: S.ShiftBody, security: bearerSecurity, response: { 200: UnitView, ...errors } },
    config: { access: 'units:shift' },
  }, async (req) => {
    const who = actor(req);
    if (who.role === 'unit' && who.unitId !== req.params.id) throw new DomainError('UNIT_NOT_FOUND', { id: req.params.id });
    return o.units.setShift(req.params.id, req.body.state);
  });

  app.get('/api/v1/stats/response-times', {
    schema: {
      tags: ['alerts'], summary: 'Median and p90 time to acknowledge and to arrive, and the share on scene within the target',
      querystring: S.StatsQuery, security: bearerSecurity, response: { 200: Type.Unknown(), ...errors },
    },
    config: { access: 'stats:read' },
  }, async (req) => {
    const to = req.query.to ? Date.parse(req.query.to) : Date.now();
    const from = req.query.from ? Date.parse(req.query.from) : to - 24 * 3600_000;
    if (!(from < to)) throw new DomainError('VALIDATION_FAILED', { detail: { es: 'from debe ser anterior a to', en: 'from must be before to' } });
    const alerts = await o.store.alertsBetween(from, to);
    return {
      from: new Date(from).toISOString(), to: new Date(to).toISOString(), group: req.query.group,
      targetS: o.settings.targetOnSceneMs / 1000,
      groups: responseStats(alerts, req.query.group, o.settings.targetOnSceneMs),
    };
  });
};
