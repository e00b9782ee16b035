// HTTP face of the quadrants context. Handlers stay thin: validate, authorise, call, present.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { DomainError, isValidLat, isValidLon, type BBox } from '../kernel/index.js';
import { errorResponses, geoJson, prebuilt } from '../http/route-contract.js';
import { CrimeImportResult, QuadrantCollection, QuadrantFeature, SectorCollection, SectorFeature } from '../contracts/quadrants.js';
import { bearerSecurity } from '../http/auth.js';
import { parseCrimesCsv } from './domain/csv.js';
import type { PropertyMapping } from './domain/import.js';
import { responseSerializer, sendJsonBytes } from '../http/answer-bytes.js';
import { LocateAnswers, quadrantCollection, quadrantFeature, sectorFeatures } from './presenters.js';
import * as S from './schemas.js';
import type { QuadrantService } from './service.js';

export interface QuadrantRoutesOptions { quadrants: QuadrantService; maxImportBytes: number }

/** 503 NO_ACTIVE_QUADRANT_SET: nothing imported yet. */
const noSet = 503;
const admin = [400, 401, 403] as const;

export const quadrantRoutes: FastifyPluginAsyncTypebox<QuadrantRoutesOptions> = async (app, { quadrants, maxImportBytes }) => {
  const locateAnswers = new LocateAnswers();
  app.get('/api/v1/locate', {
    schema: {
      tags: ['quadrants'], summary: 'Which quadrant is this point in, who to call, how dangerous',
      querystring: S.LocateQuery, response: { 200: S.LocateResponseBody, ...errorResponses(400, noSet) },
    },
    config: { validationCode: 'INVALID_COORDINATES' },
  }, async (req, reply) => {
    const { lat, lon } = req.query;
    // The schema's own serializer made these bytes once per quadrant (presenters.ts); sent as is.
    return sendJsonBytes(reply, locateAnswers.bytes(quadrants.locate(lon, lat), lat, lon, responseSerializer(reply)));
  });

  app.get('/api/v1/quadrants', {
    schema: {
      tags: ['quadrants'], summary: 'All quadrants of the active version as GeoJSON (filter by bbox, simplify for phones)',
      querystring: S.ListQuery, response: { 200: geoJson(prebuilt(QuadrantCollection)), ...errorResponses(400, noSet) },
    },
  }, async (req, reply) => {
    const set = quadrants.requireActive();
    const bbox = parseBbox(req.query.bbox);
    const body = quadrantCollection(set, set.indicesInBbox(bbox), roundTolerance(req.query.simplify));
    return reply.type('application/geo+json; charset=utf-8').header('cache-control', 'public, max-age=60').send(body);
  });

  app.get('/api/v1/quadrants/:id', {
    schema: {
      tags: ['quadrants'], summary: 'One quadrant: sector, zone, alcaldía, area, centroid, neighbours, contacts and threat',
      params: S.IdParams, querystring: Type.Object({ simplify: S.ListQuery.properties.simplify }),
      response: { 200: geoJson(prebuilt(QuadrantFeature)), ...errorResponses(400, 404, 414, noSet) },
    },
  }, async (req, reply) => {
    const set = quadrants.requireActive();
    const i = set.indexOf(req.params.id);
    if (i === undefined) throw new DomainError('QUADRANT_NOT_FOUND', { id: req.params.id });
    return reply.type('application/geo+json; charset=utf-8').send(JSON.stringify(quadrantFeature(set, i, roundTolerance(req.query.simplify))));
  });

  app.put('/api/v1/quadrants/:id/contacts', {
    schema: {
      tags: ['quadrants', 'admin'], summary: "Set the phone(s) of the quadrant's unit(s); an empty list restores the city line",
      params: S.IdParams, body: S.ContactsBody, security: bearerSecurity,
      response: { 200: S.QuadrantSummary, ...errorResponses(...admin, 404, 413, 414, 415, noSet) },
    },
    config: { access: 'contacts:manage' },
  }, async (req) => quadrants.setContacts(req.principal!.userId, req.params.id, req.body.contacts));

  app.get('/api/v1/sectors', {
    schema: { tags: ['quadrants'], summary: 'Police sectors as GeoJSON', querystring: Type.Object({ bbox: S.ListQuery.properties.bbox }), response: { 200: geoJson(prebuilt(SectorCollection)), ...errorResponses(400, noSet) } },
  }, async (req, reply) => {
    const set = quadrants.requireActive();
    const features = sectorFeatures(set, parseBbox(req.query.bbox));
    return reply.type('application/geo+json; charset=utf-8').send(JSON.stringify({ type: 'FeatureCollection', version: set.version, features }));
  });

  app.get('/api/v1/sectors/:id', {
    schema: { tags: ['quadrants'], summary: 'One sector with its quadrants', params: S.IdParams, response: { 200: geoJson(prebuilt(SectorFeature)), ...errorResponses(400, 404, 414, noSet) } },
  }, async (req, reply) => {
    const feature = sectorFeatures(quadrants.requireActive(), null).find((f) => f.id === req.params.id);
    if (!feature) throw new DomainError('SECTOR_NOT_FOUND', { id: req.params.id });
    return reply.type('application/geo+json; charset=utf-8').send(JSON.stringify(feature));
  });

  app.get('/api/v1/quadrant-sets', {
    schema: { tags: ['admin'], summary: 'Every imported version of the quadrants, newest first', security: bearerSecurity, response: { 200: Type.Array(S.QuadrantSetInfo), ...errorResponses(401, 403) } },
    config: { access: 'quadrants:manage' },
  }, async () => quadrants.listSets());

  app.post('/api/v1/quadrant-sets', {
    schema: {
      tags: ['admin'], summary: 'Import a GeoJSON FeatureCollection of quadrants as a new version',
      description: 'Body: the FeatureCollection (application/json or application/geo+json). Query: which property holds the id, sector, zone and alcaldía.',
      querystring: S.ImportQuery, security: bearerSecurity,
      response: { 201: S.QuadrantSetInfo, ...errorResponses(...admin, 413, 415, 422) },
    },
    bodyLimit: maxImportBytes,
    config: { access: 'quadrants:manage' },
  }, async (req, reply) => {
    const q = req.query;
    const mapping: PropertyMapping = { id: q.idProperty };
    if (q.sectorProperty) mapping.sector = q.sectorProperty;
    if (q.zoneProperty) mapping.zone = q.zoneProperty;
    if (q.alcaldiaProperty) mapping.alcaldia = q.alcaldiaProperty;
    const info = await quadrants.importSet(req.principal!.userId, req.body, mapping, {
      name: q.name, source: 'http', activate: q.activate,
    });
    return reply.status(201).send(info);
  });

  app.post('/api/v1/quadrant-sets/:version/activate', {
    schema: { tags: ['admin'], summary: 'Make a version the active one (atomic)', params: S.VersionParams, security: bearerSecurity, response: { 200: S.QuadrantSetInfo, ...errorResponses(...admin, 404, 413, 414, 415) } },
    config: { access: 'quadrants:manage' },
  }, async (req) => quadrants.activate(req.principal!.userId, req.params.version));

  app.post('/api/v1/crime-stats', {
    schema: {
      tags: ['admin'], summary: 'Replace the crime statistics (CSV cuadrante,crime,month,count) and recompute threat levels',
      security: bearerSecurity, response: { 200: CrimeImportResult, ...errorResponses(...admin, 413, 415, 422) },
    },
    bodyLimit: maxImportBytes,
    config: { access: 'crimes:import' },
  }, async (req) => {
    if (typeof req.body !== 'string') throw new DomainError('UNSUPPORTED_MEDIA_TYPE');
    return quadrants.importCrimes(req.principal!.userId, parseCrimesCsv(req.body), null);
  });
};

function parseBbox(raw: string | undefined): BBox | null {
  if (raw === undefined) return null;
  const parts = raw.split(',').map((s) => Number(s.trim()));
  const [minLon, minLat, maxLon, maxLat] = parts;
  if (parts.length !== 4 || minLon === undefined || minLat === undefined || maxLon === undefined || maxLat === undefined
    || !isValidLon(minLon) || !isValidLon(maxLon) || !isValidLat(minLat) || !isValidLat(maxLat) || minLon > maxLon || minLat > maxLat) {
    throw new DomainError('INVALID_BBOX');
  }
  return [minLon, minLat, maxLon, maxLat];
}

/** Few distinct tolerances keep the simplification cache small. */
function roundTolerance(m: number | undefined): number {
  if (!m) return 0;
  return m < 5 ? Math.round(m) : Math.round(m / 5) * 5;
}
