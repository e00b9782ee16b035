// HTTP face of tracking: the OsmAnd protocol under the main server, the unit page's own position,
// fleet gateways' batches, last positions, nearest units, tracks, trackers, geofence events.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { DomainError } from '../kernel/index.js';
import { errorResponses, geoJson } from '../http/route-contract.js';
import { bearerSecurity } from '../http/auth.js';
import type { DeviceReport } from './domain/report.js';
import { handleOsmAnd, MAX_OSMAND_BODY } from './osmand-http.js';
import type { TrackingService } from './service.js';
import { BatchIngestResult, GeofenceEventView, IngestResult, NearestUnit, PositionIn, RegisteredTracker, SweepNoticeView, Tracker, TrackerBody, UnitPositionView, UnitTrack } from '../contracts/tracking.js';

export interface TrackingRoutesOptions { tracking: TrackingService; localOffsetMinutes: number; maxBatch: number }

/** Staff routes without parameters: a bad credential, a role without the permission. */
const staff = errorResponses(401, 403);
/** An empty body: the Traccar protocol's answers carry none. */
const Empty = Type.Null({ description: 'Empty body' });

type PositionInput = { lat: number; lon: number; at?: string | number | undefined; accuracyM?: number | undefined; speedMps?: number | undefined; course?: number | undefined; altitudeM?: number | undefined; batteryPct?: number | undefined };

function toReport(p: PositionInput): DeviceReport {
  return {
    at: p.at === undefined ? null : typeof p.at === 'number' ? p.at : Date.parse(p.at),
    lat: p.lat, lon: p.lon, speedMps: p.speedMps ?? null, course: p.course ?? null, altitudeM: p.altitudeM ?? null,
    accuracyM: p.accuracyM ?? null, batteryPct: p.batteryPct ?? null, charging: null, valid: true, alarm: null, attributes: {},
  };
}

export const trackingRoutes: FastifyPluginAsyncTypebox<TrackingRoutesOptions> = async (app, { tracking, localOffsetMinutes, maxBatch }) => {
  // Trackers may POST a form, JSON or nothing at all: take every body as text and let the decoder judge.
  await app.register(async (osmand) => {
    osmand.removeAllContentTypeParsers();
    osmand.addContentTypeParser('*', { parseAs: 'string', bodyLimit: MAX_OSMAND_BODY }, (_req, body, done) => done(null, body));
    const handler = async (req: FastifyRequest, reply: FastifyReply) => {
      const q = req.url.indexOf('?');
      const contentType = req.headers['content-type'];
      const answer = await handleOsmAnd(tracking, q >= 0 ? req.url.slice(q + 1) : '', typeof req.body === 'string' ? req.body : '',
        contentType, localOffsetMinutes, req.networkKey);
      if (answer.retryAfterS !== undefined) reply.header('retry-after', String(answer.retryAfterS));
      return reply.status(answer.status).send(answer.body);
    };
    const summary = 'OsmAnd / Traccar Client protocol: 200 empty when accepted — registered id or not —, 400 malformed, 429 for a source that swept ids (also on its own port, 5055)';
    // Answers are the protocol's: status only, empty bodies (documented as such); a body past the
    // parser's limit is refused before the decoder, in the API's error shape.
    const response = { 200: Empty, 400: Empty, 429: Empty, ...errorResponses(413) };
    osmand.route({ method: ['GET', 'POST', 'PUT'], url: '/api/v1/osmand', schema: { tags: ['tracking'], summary, response }, handler });
    osmand.route({ method: ['GET', 'POST', 'PUT'], url: '/api/v1/osmand/*', schema: { hide: true, response }, handler });
  });

  app.post('/api/v1/units/:id/positions', {
    schema: {
      tags: ['tracking'], summary: "The unit page shares its browser position (only while on duty)", security: bearerSecurity,
      params: Type.Object({ id: Type.String({ maxLength: 64 }) }), body: PositionIn, response: { 200: IngestResult, ...errorResponses(400, 401, 403, 404, 413, 414, 415) },
    },
    config: { access: 'units:shift' },
  }, async (req) => {
    const p = req.principal!;
    if (p.role === 'unit' && p.unitId !== req.params.id) throw new DomainError('UNIT_NOT_FOUND', { id: req.params.id });
    // The page sends each fix as it comes, so the receive time is the fix time to within a second or
    // two — and, unlike a phone's clock (often wrong), it is the same clock the pipeline judges by.
    return tracking.ingest(req.params.id, [{ ...toReport(req.body), at: null }], 'web');
  });

  app.post('/api/v1/positions/batch', {
    schema: {
      tags: ['tracking'], summary: 'Many positions at once from a fleet gateway (by unit id or registered tracker id)', security: bearerSecurity,
      body: Type.Object({
        positions: Type.Array(Type.Object({
          ...PositionIn.properties,
          unitId: Type.Optional(Type.String({ maxLength: 64 })),
          trackerId: Type.Optional(Type.String({ maxLength: 128 })),
        }, { additionalProperties: false }), { maxItems: maxBatch }),
      }, { additionalProperties: false }),
      response: { 200: BatchIngestResult, ...errorResponses(400, 401, 403, 413, 415) },
    },
    bodyLimit: maxBatch * 400,
    config: { access: 'positions:ingest' },
  }, async (req) => {
    const byUnit = new Map<string, DeviceReport[]>();
    let unknown = 0;
    for (const p of req.body.positions) {
      const unitId = p.unitId ?? (p.trackerId ? tracking.unitOfTracker(p.trackerId) : undefined);
      if (!unitId) { unknown++; continue; }
      const list = byUnit.get(unitId) ?? [];
      list.push(toReport(p));
      byUnit.set(unitId, list);
    }
    const total = { accepted: 0, dropped: {} as Record<string, number>, unknown };
    for (const [unitId, reports] of byUnit) {
      // Oldest first, so each fix is judged against the one before it.
      reports.sort((a, b) => (a.at ?? 0) - (b.at ?? 0));
      const r = await tracking.ingest(unitId, reports, 'batch');
      total.accepted += r.accepted;
      for (const [k, v] of Object.entries(r.dropped)) total.dropped[k] = (total.dropped[k] ?? 0) + (v ?? 0);
    }
    total.unknown += total.dropped.unknown_unit ?? 0;
    delete total.dropped.unknown_unit;
    return total;
  });

  app.get('/api/v1/units/positions', {
    schema: { tags: ['tracking'], summary: 'Last known position of every unit (noSignal when stale)', security: bearerSecurity, response: { 200: Type.Array(UnitPositionView), ...staff } },
    config: { access: 'alerts:dispatch' },
  }, async () => tracking.positions());

  app.get('/api/v1/units/nearest', {
    schema: {
      tags: ['tracking'], summary: 'k nearest available units with signal, with an ETA', security: bearerSecurity,
      querystring: Type.Object({ lat: Type.Number({ minimum: -90, maximum: 90 }), lon: Type.Number({ minimum: -180, maximum: 180 }), k: Type.Integer({ minimum: 1, maximum: 50, default: 5 }) }),
      response: { 200: Type.Array(NearestUnit), ...errorResponses(400, 401, 403) },
    },
    config: { access: 'alerts:dispatch', validationCode: 'INVALID_COORDINATES' },
  }, async (req) => tracking.nearest(req.query.lat, req.query.lon, req.query.k));

  app.get('/api/v1/units/:id/track', {
    schema: {
      tags: ['tracking'], summary: "A unit's track as GeoJSON (a LineString and its points)", security: bearerSecurity,
      params: Type.Object({ id: Type.String({ maxLength: 64 }) }),
      querystring: Type.Object({ from: Type.Optional(Type.String({ format: 'date-time' })), to: Type.Optional(Type.String({ format: 'date-time' })) }),
      response: { 200: geoJson(UnitTrack), ...errorResponses(400, 401, 403, 404, 414) },
    },
    config: { access: 'alerts:dispatch' },
  }, async (req, reply) => {
    const parse = (t: string | undefined) => (t ? Date.parse(t) : null);
    // Where an officer was is personal data: every staff read is audited.
    return reply.type('application/geo+json; charset=utf-8').send(await tracking.track(req.params.id, parse(req.query.from), parse(req.query.to), req.principal!.userId));
  });

  app.get('/api/v1/trackers', {
    schema: { tags: ['tracking'], summary: 'Registered GPS trackers and their units', security: bearerSecurity, response: { 200: Type.Array(Tracker), ...staff } },
    config: { access: 'units:manage' },
  }, async () => tracking.trackers());

  app.get('/api/v1/trackers/sweeps', {
    schema: {
      tags: ['tracking'], summary: 'Networks that swept tracker ids (many unregistered ids) and were throttled, newest first', security: bearerSecurity,
      querystring: Type.Object({ since: Type.Optional(Type.String({ format: 'date-time' })) }),
      response: { 200: Type.Array(SweepNoticeView), ...errorResponses(400, 401, 403) },
    },
    config: { access: 'units:manage' },
  }, async (req) => (await tracking.sweepNotices(req.query.since ? Date.parse(req.query.since) : null))
    .map((n) => ({ ...n, at: new Date(n.at).toISOString() })));

  app.post('/api/v1/trackers', {
    schema: {
      tags: ['tracking'], summary: 'Register a tracker (Traccar Client device identifier) for a unit; warns when the id could be found by sweeping', security: bearerSecurity,
      body: TrackerBody,
      response: { 201: RegisteredTracker, ...errorResponses(400, 401, 403, 404, 413, 415) },
    },
    config: { access: 'units:manage' },
  }, async (req, reply) => reply.status(201).send(await tracking.registerTracker(req.principal!.userId, req.body.uniqueId, req.body.unitId, req.body.label ?? null)));

  app.delete('/api/v1/trackers/:uniqueId', {
    schema: { tags: ['tracking'], summary: 'Unregister a tracker', security: bearerSecurity, params: Type.Object({ uniqueId: Type.String({ maxLength: 128 }) }), response: { 204: Type.Null(), ...errorResponses(400, 401, 403, 404, 414) } },
    config: { access: 'units:manage' },
  }, async (req, reply) => {
    await tracking.removeTracker(req.principal!.userId, req.params.uniqueId);
    return reply.status(204).send(null);
  });

  app.get('/api/v1/geofence-events', {
    schema: {
      tags: ['tracking'], summary: 'Units leaving and re-entering their quadrants; staying out too long', security: bearerSecurity,
      querystring: Type.Object({ since: Type.Optional(Type.String({ format: 'date-time' })) }), response: { 200: Type.Array(GeofenceEventView), ...errorResponses(400, 401, 403) },
    },
    config: { access: 'alerts:dispatch' },
  }, async (req) => (await tracking.geofenceEvents(req.query.since ? Date.parse(req.query.since) : null))
    .map((e) => ({ ...e, at: new Date(e.at).toISOString() })));
};
