// What the quadrant routes answer: /locate, quadrants and sectors as GeoJSON, quadrant sets, the
// public configuration. Imports nothing but typebox (the pages import these types).
import { Type, type Static } from 'typebox';
import { Nullable } from './common.js';

const Localized = Type.Object({ es: Type.String(), en: Type.String() });
export const LatLon = Type.Object({ lat: Type.Number(), lon: Type.Number() });
export type LatLon = Static<typeof LatLon>;

/** A phone to call for a quadrant: its unit's, or the city's quadrant line standing in. */
export const QuadrantContact = Type.Object({
  phone: Type.String({ description: 'E.164', examples: ['+525552089898'] }),
  display: Type.String({ examples: ['55 5208 9898'] }),
  label: Localized,
  isDefault: Type.Boolean({ description: "True while the city's quadrant line stands in for the unit's own phone" }),
});
export type QuadrantContact = Static<typeof QuadrantContact>;

/** 1 (lowest) to 5 (highest), relative to the city. */
export const ThreatLevel = Type.Union([Type.Literal(1), Type.Literal(2), Type.Literal(3), Type.Literal(4), Type.Literal(5)]);
export type ThreatLevel = Static<typeof ThreatLevel>;

export const Threat = Type.Object({
  level: ThreatLevel,
  label: Localized,
  explanation: Localized,
  drivers: Type.Array(Type.Object({ crime: Type.String(), label: Localized, count12m: Type.Number(), share: Type.Number() })),
  window: Nullable(Type.Object({ from: Type.String(), to: Type.String() })),
});
export type Threat = Static<typeof Threat>;

export const QuadrantSummary = Type.Object({
  id: Type.String(),
  sector: Nullable(Type.String()),
  zone: Nullable(Type.String()),
  alcaldia: Nullable(Type.String()),
  contacts: Type.Array(QuadrantContact),
  threat: Threat,
});
export type QuadrantSummary = Static<typeof QuadrantSummary>;

/** In /locate answers: the threat without its drivers and window (see GET /api/v1/quadrants/{id}). */
export const LocateSummary = Type.Object({
  ...QuadrantSummary.properties,
  threat: Type.Object({ level: Threat.properties.level, label: Localized, explanation: Localized }),
});
export type LocateSummary = Static<typeof LocateSummary>;

export const LocateResponse = Type.Object({
  point: LatLon,
  quadrant: Nullable(LocateSummary),
  nearest: Type.Union([
    Type.Object({ ...LocateSummary.properties, distanceMeters: Type.Number() }),
    Type.Null(),
  ], { description: 'Only when the point is outside every quadrant: the closest one and the distance to its boundary' }),
  version: Type.Integer({ description: 'Quadrant set version that answered' }),
});
export type LocateResponse = Static<typeof LocateResponse>;

export const QuadrantSetInfo = Type.Object({
  version: Type.Integer(), name: Type.String(), source: Type.String(), featureCount: Type.Integer(),
  mapping: Type.Object({ id: Type.String(), sector: Type.Optional(Type.String()), zone: Type.Optional(Type.String()), alcaldia: Type.Optional(Type.String()) }),
  createdAt: Type.String(), createdBy: Nullable(Type.String()),
  active: Type.Boolean(), activatedAt: Nullable(Type.String()),
});
export type QuadrantSetInfo = Static<typeof QuadrantSetInfo>;

export const CrimeImportResult = Type.Object({ records: Type.Integer(), quadrants: Type.Integer() });
export type CrimeImportResult = Static<typeof CrimeImportResult>;

/** What the pages need to start: city, map style, languages. */
export const PublicConfig = Type.Object({
  basemapStyleUrl: Nullable(Type.String()),
  city: Type.Object({ name: Type.String(), center: LatLon, zoom: Type.Number(), line: Type.String() }),
  defaultLang: Type.Union([Type.Literal('es'), Type.Literal('en')]),
  quadrantSetVersion: Nullable(Type.Integer()),
});
export type PublicConfig = Static<typeof PublicConfig>;

export const Health = Type.Object({ status: Type.Literal('ok'), engine: Type.String(), quadrantSetVersion: Nullable(Type.Integer()), quadrants: Type.Integer() });
export type Health = Static<typeof Health>;

// GeoJSON (RFC 7946) as the quadrant routes send it. Geometries are Polygons or MultiPolygons of
// [lon, lat] positions; properties are described per kind.
const Ring = Type.Array(Type.Tuple([Type.Number(), Type.Number()]));
export const AreaGeometry = Type.Union([
  Type.Object({ type: Type.Literal('Polygon'), coordinates: Type.Array(Ring) }),
  Type.Object({ type: Type.Literal('MultiPolygon'), coordinates: Type.Array(Type.Array(Ring)) }),
]);
export type AreaGeometry = Static<typeof AreaGeometry>;

/** A quadrant in the city-wide list: enough to draw and colour it. */
export const QuadrantListFeature = Type.Object({
  type: Type.Literal('Feature'), id: Type.String(), geometry: AreaGeometry,
  properties: Type.Object({
    id: Type.String(), sector: Nullable(Type.String()), zone: Nullable(Type.String()), alcaldia: Nullable(Type.String()),
    threatLevel: ThreatLevel, centroid: LatLon,
  }),
});
export type QuadrantListFeature = Static<typeof QuadrantListFeature>;

export const QuadrantCollection = Type.Object({ type: Type.Literal('FeatureCollection'), version: Type.Integer(), features: Type.Array(QuadrantListFeature) });
export type QuadrantCollection = Static<typeof QuadrantCollection>;

/** One quadrant with everything known about it. */
export const QuadrantFeature = Type.Object({
  type: Type.Literal('Feature'), id: Type.String(), geometry: AreaGeometry,
  properties: Type.Object({
    id: Type.String(), sector: Nullable(Type.String()), zone: Nullable(Type.String()), alcaldia: Nullable(Type.String()),
    areaM2: Type.Number(), centroid: LatLon, interiorPoint: LatLon, neighbours: Type.Array(Type.String()),
    contacts: Type.Array(QuadrantContact), threat: Threat, threatLevel: ThreatLevel, version: Type.Integer(),
  }),
});
export type QuadrantFeature = Static<typeof QuadrantFeature>;

export const SectorFeature = Type.Object({
  type: Type.Literal('Feature'), id: Type.String(), geometry: Nullable(AreaGeometry),
  properties: Type.Object({
    id: Type.String(), zone: Nullable(Type.String()), alcaldia: Nullable(Type.String()), quadrants: Type.Array(Type.String()),
    threatLevelMax: Nullable(Type.Integer()), threatLevelMean: Nullable(Type.Number()),
  }),
});
export type SectorFeature = Static<typeof SectorFeature>;

export const SectorCollection = Type.Object({ type: Type.Literal('FeatureCollection'), version: Type.Integer(), features: Type.Array(SectorFeature) });
export type SectorCollection = Static<typeof SectorCollection>;
