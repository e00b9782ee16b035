import type { FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import type { LocateResponse as LocateResult, LocateSummary as LocatedQuadrant, PublicConfig as ServerConfig } from '../../../src/contracts/quadrants.js';

// Shapes of the public HTTP API as the pages read them. Points are objects with named
// fields ({lat, lon}) rather than tuples, so latitude and longitude cannot be swapped silently.

export type Lang = 'es' | 'en';
export type Localized = Readonly<Record<Lang, string>>;

export interface LatLon { readonly lat: number; readonly lon: number }

export type ThreatLevel = 1 | 2 | 3 | 4 | 5;

/**
 * GET /api/v1/config/public (src/contracts/quadrants.ts); the page's offline fallback has no city
 * line and no quadrant version, so those two may be missing here.
 */
export type PublicConfig = Omit<ServerConfig, 'city' | 'quadrantSetVersion'> & {
  city: Omit<ServerConfig['city'], 'line'> & { line?: string };
  quadrantSetVersion?: ServerConfig['quadrantSetVersion'];
};

export interface QuadrantProperties {
  id: string;
  sector: string;
  zone: string;
  alcaldia: string;
  threatLevel: ThreatLevel;
}

export type QuadrantCollection = FeatureCollection<Polygon | MultiPolygon, QuadrantProperties>;

// What /api/v1/locate answers: the server's contract, type-only.
export type {
  LocateResponse as LocateResult, LocateSummary as LocatedQuadrant, QuadrantContact as Contact,
} from '../../../src/contracts/quadrants.js';
export type NearestQuadrant = NonNullable<LocateResult['nearest']>;
export type Threat = LocatedQuadrant['threat'];
