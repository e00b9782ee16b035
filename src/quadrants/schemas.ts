// Route schemas of the quadrants context: validated on the way in, documented in OpenAPI,
// and compiled into fast serializers on the way out.
import { Type } from 'typebox';
// Response schemas are the API contract (src/contracts/quadrants.ts); re-exported under the names
// the routes and the services already use.
import { LocateResponse } from '../contracts/quadrants.js';
export { QuadrantContact as Contact, LocateResponse, LocateSummary, PublicConfig, QuadrantSetInfo, QuadrantSummary, Threat } from '../contracts/quadrants.js';

export const LocateQuery = Type.Object({
  lat: Type.Number({ minimum: -90, maximum: 90, description: 'Latitude (WGS84)' }),
  lon: Type.Number({ minimum: -180, maximum: 180, description: 'Longitude (WGS84)' }),
});

/** The route sends locate answers as bytes its serializer made once per quadrant (LocateAnswers, presenters.ts). */
export const LocateResponseBody = Type.Unsafe<string>(LocateResponse);

export const ListQuery = Type.Object({
  bbox: Type.Optional(Type.String({ description: 'minLon,minLat,maxLon,maxLat', examples: ['-99.2,19.3,-99.1,19.4'] })),
  simplify: Type.Optional(Type.Number({ minimum: 0, maximum: 1000, description: 'Simplify boundaries to this tolerance in metres (e.g. 15 for a phone)' })),
});

export const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 100 }) });
// The column is a 32-bit integer: a larger version is a 400, not PostgreSQL's "out of range" 500 (found by the fuzz suite).
export const VersionParams = Type.Object({ version: Type.Integer({ minimum: 1, maximum: 2_147_483_647 }) });

export const ContactsBody = Type.Object({
  contacts: Type.Array(Type.Object({
    phone: Type.String({ minLength: 3, maxLength: 32 }),
    label: Type.Optional(Type.Union([Type.String({ maxLength: 80 }), Type.Null()])),
  }, { additionalProperties: false }), { maxItems: 5 }),
}, { additionalProperties: false });

export const ImportQuery = Type.Object({
  name: Type.Optional(Type.String({ maxLength: 120 })),
  idProperty: Type.String({ minLength: 1, maxLength: 100, default: 'cuadrante' }),
  sectorProperty: Type.Optional(Type.String({ maxLength: 100 })),
  zoneProperty: Type.Optional(Type.String({ maxLength: 100 })),
  alcaldiaProperty: Type.Optional(Type.String({ maxLength: 100 })),
  activate: Type.Boolean({ default: true }),
});

