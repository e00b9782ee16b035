// Table types for Kysely. One schema for SQLite and PostgreSQL: times are epoch milliseconds
// (bigint), booleans are 0/1 integers, structured values are JSON text — the lowest common
// denominator both engines index and compare identically.
import type { Generated } from 'kysely';

export interface MetaTable { key: string; value: string }

export interface UsersTable {
  id: string;
  username: string;
  password_hash: string;
  role: string;
  display_name: string | null;
  created_at: number;
  disabled_at: number | null;
}

export interface AuthTokensTable {
  token_hash: string;
  user_id: string;
  created_at: number;
  expires_at: number;
  revoked_at: number | null;
}

export interface AuditLogTable {
  id: Generated<number>;
  at: number;
  actor_id: string | null;
  action: string;
  target: string | null;
  details: string;
}

export interface QuadrantSetsTable {
  version: number;
  name: string;
  source: string;
  feature_count: number;
  mapping: string;
  created_at: number;
  created_by: string | null;
  active: number;
  activated_at: number | null;
}

export interface QuadrantsTable {
  set_version: number;
  id: string;
  sector: string | null;
  zone: string | null;
  alcaldia: string | null;
  geometry: string;
  area_m2: number;
  centroid_lon: number;
  centroid_lat: number;
  interior_lon: number;
  interior_lat: number;
  min_lon: number;
  min_lat: number;
  max_lon: number;
  max_lat: number;
  neighbours: string;
  properties: string;
}

export interface SectorsTable {
  set_version: number;
  id: string;
  zone: string | null;
  alcaldia: string | null;
  geometry: string | null;
}

export interface QuadrantContactsTable {
  quadrant_id: string;
  position: number;
  phone: string;
  label: string | null;
  updated_at: number;
  updated_by: string | null;
}

export interface CrimeStatsTable { quadrant_id: string; crime: string; month: string; count: number }
export interface PopulationTable { quadrant_id: string; sector: string | null; population: number }
export interface ThreatTable { quadrant_id: string; level: number; score: number; assessment: string; computed_at: number }

export interface Database {
  meta: MetaTable;
  users: UsersTable;
  auth_tokens: AuthTokensTable;
  audit_log: AuditLogTable;
  quadrant_sets: QuadrantSetsTable;
  quadrants: QuadrantsTable;
  sectors: SectorsTable;
  quadrant_contacts: QuadrantContactsTable;
  crime_stats: CrimeStatsTable;
  quadrant_population: PopulationTable;
  quadrant_threat: ThreatTable;
}
