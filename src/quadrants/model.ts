// What the quadrants context stores and serves, independent of HTTP and SQL.
import type { AreaGeometry, BBox, Localized } from '../kernel/index.js';
import type { PropertyMapping } from './domain/import.js';
import type { ThreatAssessment } from './domain/threat.js';

export interface QuadrantRecord {
  id: string;
  sector: string | null;
  zone: string | null;
  alcaldia: string | null;
  geometry: AreaGeometry;
  areaM2: number;
  centroid: { lon: number; lat: number };
  interiorPoint: { lon: number; lat: number };
  bbox: BBox;
  neighbours: string[];
  properties: Record<string, unknown>;
}

export interface SectorRecord {
  id: string;
  zone: string | null;
  alcaldia: string | null;
  geometry: AreaGeometry | null;
}

export interface QuadrantSetInfo {
  version: number;
  name: string;
  source: string;
  featureCount: number;
  mapping: PropertyMapping;
  createdAt: string;
  createdBy: string | null;
  active: boolean;
  activatedAt: string | null;
}

export interface Contact {
  phone: string;
  display: string;
  label: Localized;
  /** True for the city's quadrant line shown until an admin sets the unit's own phone. */
  isDefault: boolean;
}

export type { ThreatAssessment };
