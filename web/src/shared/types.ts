import type { FeatureCollection, MultiPolygon, Polygon } from 'geojson';

// Shapes of the public HTTP API as the pages read them. Points are objects with named
// fields ({lat, lon}) rather than tuples, so latitude and longitude cannot be swapped silently.

export type Lang = 'es' | 'en';
export type Localized = Readonly<Record<Lang, string>>;

export interface LatLon { readonly lat: number; readonly lon: number }

export type ThreatLevel = 1 | 2 | 3 | 4 | 5;

export interface PublicConfig {
  basemapStyleUrl: string | null;
  /** `line`: the city's police phone/SMS line (E.164), e.g. for "AYUDA <lat>,<lon>" by SMS. */
  city: { name: string; center: LatLon; zoom: number; line?: string };
  defaultLang: Lang;
}

export interface QuadrantProperties {
  id: string;
  sector: string;
  zone: string;
  alcaldia: string;
  threatLevel: ThreatLevel;
}

export type QuadrantCollection = FeatureCollection<Polygon | MultiPolygon, QuadrantProperties>;

export interface Contact {
  phone: string;
  display: string;
  label: Localized;
  isDefault: boolean;
}

export interface Threat { level: ThreatLevel; label: Localized; explanation: Localized }

export interface LocatedQuadrant {
  id: string;
  sector: string;
  zone: string;
  alcaldia: string;
  contacts: Contact[];
  threat: Threat;
}

export interface NearestQuadrant {
  id: string;
  sector: string;
  zone: string;
  alcaldia: string;
  distanceMeters: number;
}

export interface LocateResult {
  point: LatLon;
  quadrant: LocatedQuadrant | null;
  nearest: NearestQuadrant | null;
  version: number;
}
