// What the dispatch context stores and sends, independent of HTTP and SQL.
import type { Action, AlertStatus, Outcome } from './domain/lifecycle.js';
import type { Ring } from './domain/escalation.js';
import type { HoldReason } from './domain/hold.js';

export const ALERT_KINDS = ['robbery', 'violence', 'followed', 'extortion', 'medical', 'officer_in_danger', 'other'] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];
// Units belong to the fleet context; re-exported because alerts name them.
export { UNIT_TYPES, type Unit, type UnitType } from '../fleet/index.js';

export interface Alert {
  id: string;
  ownerId: string | null;
  source: 'citizen' | 'dispatcher' | 'officer';
  kind: AlertKind;
  note: string | null;
  address: string | null;
  lat: number;
  lon: number;
  accuracyM: number | null;
  quadrantId: string | null;
  sector: string | null;
  alcaldia: string | null;
  quadrantSetVersion: number | null;
  /** Changed only by the lifecycle table (domain/lifecycle.ts step). */
  status: AlertStatus;
  /** How far paging got (1, 2); being handed to 911 is escalatedAt alone. */
  ring: Ring;
  nextDeadlineAt: number | null;
  assignedUnitId: string | null;
  outcome: Outcome | null;
  duress: boolean;
  /** Stored but not paged until a dispatcher confirms it (domain/hold.ts); null once released. */
  hold: HoldReason | null;
  /** When a dispatcher confirmed a held alert: its escalation ladder runs from then. */
  confirmedAt: number | null;
  /**
   * After a duress cancel: the citizen's view (JSON) exactly as a real cancel would have rendered
   * it at that moment, served to the phone from then on instead of anything computed.
   */
  duressView: string | null;
  /** When it was handed to 911: the one record of an escalation (null: never). */
  escalatedAt: number | null;
  createdAt: number;
  acknowledgedAt: number | null;
  enRouteAt: number | null;
  onSceneAt: number | null;
  closedAt: number | null;
  updatedAt: number;
  /**
   * Optimistic-concurrency counter: every write checks and bumps it, in the write's transaction.
   * Clients order what they are told about an alert by it, never by a clock.
   */
  version: number;
  /** The seq of its latest event (alert_events.seq): the next one written is seq + 1. */
  seq: number;
  idempotencyKey: string | null;
  requestHash: string | null;
}

export type AlertEventType = Action | 'created' | 'paged' | 'assigned' | 'duress_cancel' | 'held' | 'note';

export interface AlertEvent {
  alertId: string;
  seq: number;
  at: number;
  type: AlertEventType;
  fromStatus: AlertStatus | null;
  toStatus: AlertStatus | null;
  actorId: string | null;
  actorRole: string;
  unitId: string | null;
  details: Record<string, unknown>;
}
