// Route schemas of the quadrants context: validated on the way in, documented in OpenAPI,
// and compiled into fast serializers on the way out.
import { Type } from 'typebox';

const Localized = Type.Object({ es: Type.String(), en: Type.String() });
const LatLon = Type.Object({ lat: Type.Number(), lon: Type.Number() });

export const Contact = Type.Object({
  phone: Type.String({ description: 'E.164', examples: ['+525552089898'] }),
  display: Type.String({ examples: ['55 5208 9898'] }),
  label: Localized,
  isDefault: Type.Boolean({ description: "True while the city's quadrant line stands in for the unit's own phone" }),
});

export const Threat = Type.Object({
  level: Type.Integer({ minimum: 1, maximum: 5 }),
  label: Localized,
  explanation: Localized,
  drivers: Type.Array(Type.Object({ crime: Type.String(), label: Localized, count12m: Type.Number(), share: Type.Number() })),
  window: Type.Union([Type.Object({ from: Type.String(), to: Type.String() }), Type.Null()]),
});

export const QuadrantSummary = Type.Object({
  id: Type.String(),
  sector: Type.Union([Type.String(), Type.Null()]),
  zone: Type.Union([Type.String(), Type.Null()]),
  alcaldia: Type.Union([Type.String(), Type.Null()]),
  contacts: Type.Array(Contact),
  threat: Threat,
});

/** In /locate answers: the threat without its drivers and window (see GET /api/v1/quadrants/{id}). */
export const LocateSummary = Type.Object({
  ...QuadrantSummary.properties,
  threat: Type.Object({ level: Threat.properties.level, label: Localized, explanation: Localized }),
});

export const LocateQuery = Type.Object({
  lat: Type.Number({ minimum: -90, maximum: 90, description: 'Latitude (WGS84)' }),
  lon: Type.Number({ minimum: -180, maximum: 180, description: 'Longitude (WGS84)' }),
});

export const LocateResponse = Type.Object({
  point: LatLon,
  quadrant: Type.Union([LocateSummary, Type.Null()]),
  nearest: Type.Union([
    Type.Object({ ...LocateSummary.properties, distanceMeters: Type.Number() }),
    Type.Null(),
  ], { description: 'Only when the point is outside every quadrant: the closest one and the distance to its boundary' }),
  version: Type.Integer({ description: 'Quadrant set version that answered' }),
});

/** The route sends locate answers pre-serialised (see QuadrantService.locateJson). */
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

export const QuadrantSetInfo = Type.Object({
  version: Type.Integer(), name: Type.String(), source: Type.String(), featureCount: Type.Integer(),
  mapping: Type.Object({ id: Type.String(), sector: Type.Optional(Type.String()), zone: Type.Optional(Type.String()), alcaldia: Type.Optional(Type.String()) }),
  createdAt: Type.String(), createdBy: Type.Union([Type.String(), Type.Null()]),
  active: Type.Boolean(), activatedAt: Type.Union([Type.String(), Type.Null()]),
});

export const PublicConfig = Type.Object({
  basemapStyleUrl: Type.Union([Type.String(), Type.Null()]),
  city: Type.Object({ name: Type.String(), center: LatLon, zoom: Type.Number(), line: Type.String() }),
  defaultLang: Type.String(),
  quadrantSetVersion: Type.Union([Type.Integer(), Type.Null()]),
});

/** Features are built by hand (geometry can be large), so only their envelope is described. */
// Typed as string because handlers send them pre-serialised (Fastify passes strings through untouched).
const featureSchema = Type.Object({ type: Type.Literal('Feature'), geometry: Type.Unknown(), properties: Type.Record(Type.String(), Type.Unknown()) });
export const GeoJsonFeature = Type.Unsafe<string>(featureSchema);
export const GeoJsonCollection = Type.Unsafe<string>(Type.Object({ type: Type.Literal('FeatureCollection'), features: Type.Array(featureSchema) }));
