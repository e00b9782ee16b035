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
  /** For role 'unit': the patrol unit this officer account signs in to. */
  unit_id: string | null;
  /** 1: the next sign-in must set a new password (the first admin's printed one, an admin's reset). */
  must_change_password: number;
  password_changed_at: number | null;
  /** Citizen devices created past their network's limit: their alerts wait for a dispatcher until then. */
  probation_until: number | null;
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

export interface CitizenPinsTable {
  user_id: string; cancel_pin_hash: string; duress_pin_hash: string; updated_at: number;
  /** PINs set while coerced (authorised with the duress PIN): JSON array of hashes that act as duress PINs. */
  decoy_pin_hashes?: string | null;
}

export interface UnitsTable {
  id: string;
  callsign: string;
  type: string;
  phone: string | null;
  shift_state: string;
  quadrant_ids: string;
  created_at: number;
  updated_at: number;
}

export interface AlertsTable {
  id: string;
  owner_id: string | null;
  source: string;
  kind: string;
  note: string | null;
  address: string | null;
  lat: number;
  lon: number;
  accuracy_m: number | null;
  quadrant_id: string | null;
  sector: string | null;
  alcaldia: string | null;
  quadrant_set_version: number | null;
  /** Written only as the lifecycle table answers (src/dispatch/domain/lifecycle.ts). */
  status: string;
  /** How far paging got: 0, 1 (the quadrant's units) or 2 (the next ring). Was `stage` (3 = 911) until 0006. */
  ring: number;
  next_deadline_at: number | null;
  assigned_unit_id: string | null;
  outcome: string | null;
  duress: number;
  /** When it was handed to 911: the one record of an escalation (0006 folded stage 3 into it). */
  escalated_at: number | null;
  created_at: number;
  acknowledged_at: number | null;
  en_route_at: number | null;
  on_scene_at: number | null;
  closed_at: number | null;
  updated_at: number;
  /** +1 in the transaction of every change to the row (compare-and-set). */
  version: number;
  /** The seq of the alert's latest event, kept with the row so event numbers never repeat. */
  last_seq: number;
  idempotency_key: string | null;
  request_hash: string | null;
  /** Stored but not paged until a dispatcher confirms: 'saturation' (a flood) or 'unverified_sos'. */
  hold: string | null;
  /** After a duress cancel: the citizen's view, frozen as a real cancel would have shown it (JSON). */
  duress_view: string | null;
  /** Retention: when the exact location was replaced by the quadrant's (null: still exact). Optional
   * in this type so code writing whole alert rows need not know it: only src/retention writes it. */
  location_reduced_at?: number | null;
  /** When a dispatcher confirmed a held alert: its escalation ladder runs from then (null: never held). */
  confirmed_at?: number | null;
}

export interface AlertEventsTable {
  id: Generated<number>;
  alert_id: string;
  seq: number;
  at: number;
  type: string;
  from_status: string | null;
  to_status: string | null;
  actor_id: string | null;
  actor_role: string;
  unit_id: string | null;
  details: string;
}

export interface AlertPagesTable { alert_id: string; unit_id: string; ring: number; paged_at: number }

export interface WebhookOutboxTable {
  id: Generated<number>;
  alert_id: string;
  event: string;
  payload: string;
  attempts: number;
  next_attempt_at: number;
  delivered_at: number | null;
  last_error: string | null;
  /** A sender holds the row until then; another sender (or instance) leaves it alone. */
  locked_until: number | null;
  created_at: number | null;
}

export interface TrackersTable { unique_id: string; unit_id: string; label: string | null; created_at: number; created_by: string | null }

export interface PositionsTable {
  id: Generated<number>;
  unit_id: string;
  source: string;
  tracker_id: string | null;
  fix_at: number;
  received_at: number;
  lat: number;
  lon: number;
  speed_mps: number | null;
  course: number | null;
  altitude_m: number | null;
  accuracy_m: number | null;
  battery_pct: number | null;
  quadrant_id: string | null;
  attributes: string | null;
}

export interface GeofenceEventsTable { id: Generated<number>; unit_id: string; at: number; type: string; quadrant_id: string | null; details: string }

export interface ExtortionReportsTable {
  id: string;
  e164: string;
  channel: string;
  type: string;
  occurred_at: number;
  claimed: string | null;
  amount_mxn: number | null;
  paid: number;
  clabe: string | null;
  card_masked: string | null;
  bank: string | null;
  notes: string | null;
  /** Which server key derived the reporter keys (keys rotate; see config/secrets.ts). */
  key_id: string | null;
  key_account: string | null;
  key_device: string | null;
  key_network: string | null;
  status: string;
  created_at: number;
}
export interface NumberDecisionsTable { e164: string; status: string; note: string | null; decided_by: string | null; decided_at: number }
export interface ProtectedNumbersTable { e164: string; label: string; created_by: string | null; created_at: number }
export interface NumberDisputesTable {
  id: string; e164: string; owner_name: string; contact: string; reason: string; status: string; created_at: number;
  resolved_by: string | null; resolved_at: number | null; resolution_note: string | null;
}
export interface ApiKeysTable { id: string; key_hash: string; name: string; per_minute: number; created_by: string | null; created_at: number; revoked_at: number | null }
export interface TrustedContactsTable { id: string; owner_id: string; name: string; phone: string; created_at: number }
export interface CodeWordsTable { owner_id: string; word_hash: string; updated_at: number }
export interface CheckinsTable {
  id: string; owner_id: string; contact_id: string; token_hash: string; status: string; created_at: number; expires_at: number;
  answered_at: number | null; alert_id: string | null;
}
export interface NotificationsTable {
  id: Generated<number>; channel: string; recipient: string; body: string; created_at: number; sent_at: number | null;
  attempts: number; provider_id: string | null; last_error: string | null;
  /** Who caused the message (a keyed hash), and how many that sender had queued that day: the queue is fair. */
  sender_key: string | null; sender_seq: number; purpose: string | null;
}

/** Every abuse limit's counts: one row per (limit, key) with this fixed window's count and the previous one's. */
export interface RateCountersTable { scope: string; key: string; window_start: number; count: number; prev_count: number; updated_at: number; prev_at: number | null; expires_at: number }

/** The event bus's outbox (src/bus/outbox.ts): written with the change, published by the relay. */
export interface EventOutboxTable {
  /** Insert order, numbered by the database: the order the relay publishes in. */
  seq: Generated<number>;
  /** The event's id (uuid), also its JetStream Nats-Msg-Id. */
  id: string;
  /** Relative to the configured prefix, e.g. `dispatch.alert.changed`. */
  subject: string;
  /** The event's payload, JSON. */
  payload: string;
  created_at: number;
  sent_at: number | null;
}

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
  citizen_pins: CitizenPinsTable;
  units: UnitsTable;
  alerts: AlertsTable;
  alert_events: AlertEventsTable;
  alert_pages: AlertPagesTable;
  webhook_outbox: WebhookOutboxTable;
  trackers: TrackersTable;
  positions: PositionsTable;
  geofence_events: GeofenceEventsTable;
  extortion_reports: ExtortionReportsTable;
  number_decisions: NumberDecisionsTable;
  protected_numbers: ProtectedNumbersTable;
  number_disputes: NumberDisputesTable;
  api_keys: ApiKeysTable;
  trusted_contacts: TrustedContactsTable;
  code_words: CodeWordsTable;
  checkins: CheckinsTable;
  notifications: NotificationsTable;
  rate_counters: RateCountersTable;
  event_outbox: EventOutboxTable;
}
