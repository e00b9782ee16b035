// Shapes of the dispatch API (alerts, units) and of the realtime messages, as pages read them.
// Mirrors src/dispatch/views.ts and src/realtime/hub.ts; every page imports these from here.

export const ALERT_STATUSES = ['new', 'paging', 'acknowledged', 'en_route', 'on_scene', 'resolved', 'cancelled', 'escalated'] as const;
export type AlertStatus = (typeof ALERT_STATUSES)[number];

const OPEN: readonly AlertStatus[] = ['new', 'paging', 'acknowledged', 'en_route', 'on_scene', 'escalated'];
export const isOpenStatus = (s: AlertStatus): boolean => OPEN.includes(s);

/** Kinds a citizen may choose; the server also knows 'officer_in_danger' (raised by units). */
export const CITIZEN_ALERT_KINDS = ['robbery', 'violence', 'followed', 'extortion', 'medical', 'other'] as const;
export type AlertKind = (typeof CITIZEN_ALERT_KINDS)[number] | 'officer_in_danger';

export const OUTCOMES = ['attended', 'false_alarm', 'nobody_found', 'referred'] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** confirm: a dispatcher releases a held alert (possible flood, unconfirmed SOS): units are paged from then. */
export type AlertAction = 'acknowledge' | 'en_route' | 'on_scene' | 'resolve' | 'cancel' | 'escalate' | 'confirm';

export type UnitType = 'car' | 'motorcycle' | 'bicycle' | 'foot';
export type ShiftState = 'off_duty' | 'available' | 'busy';

export interface UnitRef { id: string; callsign: string; type: UnitType | string }

export interface AlertQuadrant { id: string; sector: string | null; alcaldia: string | null }

/** What the citizen who raised the alert sees. */
export interface CitizenAlertView {
  id: string;
  status: AlertStatus;
  kind: AlertKind;
  quadrant: AlertQuadrant | null;
  assignedUnit: UnitRef | null;
  pagedUnits: UnitRef[];
  nextDeadlineAt: string | null;
  escalated: boolean;
  /** The operations centre has it and is reviewing it before sending units: tell the person, offer 911. */
  review: boolean;
  emergencyNumber: string;
  createdAt: string;
  acknowledgedAt: string | null;
  enRouteAt: string | null;
  onSceneAt: string | null;
  closedAt: string | null;
}

/** What units and dispatchers see. */
/** Why an alert waits for a dispatcher before anyone is paged (null: it does not). */
export type HoldReason = 'saturation' | 'unverified_sos';

export interface StaffAlertView extends Omit<CitizenAlertView, 'emergencyNumber' | 'review'> {
  source: 'citizen' | 'dispatcher' | 'officer';
  note: string | null;
  address: string | null;
  lat: number;
  lon: number;
  accuracyM: number | null;
  stage: 0 | 1 | 2 | 3;
  escalatedAt: string | null;
  duress: boolean;
  outcome: Outcome | null;
  /** Stored but nobody paged until a dispatcher confirms it. */
  hold: HoldReason | null;
  confirmedAt: string | null;
  updatedAt: string;
}

export interface Unit {
  id: string;
  callsign: string;
  type: UnitType;
  phone: string | null;
  shiftState: ShiftState;
  quadrantIds: string[];
}

export interface DispatchSettings { ackTimeoutS: number; escalateAfterS: number; targetOnSceneS: number; emergencyNumber: string }

export type Role = 'citizen' | 'unit' | 'dispatcher' | 'admin' | string;

/**
 * How far the unit assigned to a citizen's open alert is — to the nearest 100 m — and in how many
 * whole minutes it should arrive; sent to that citizen only. Never where it is.
 */
export interface UnitApproach { alertId: string; distanceM: number; etaMin: number }

export type CheckinStatus = 'pending' | 'fine' | 'need_help' | 'expired';

/** A family check-in as the person who asked sees it (src/extortion/checkins.ts). */
export interface Checkin {
  id: string;
  contactId: string;
  contactName: string;
  status: CheckinStatus;
  createdAt: string;
  answeredAt: string | null;
  alertId: string | null;
}

/** Everything the server sends over /api/v1/ws. Alert views are staff views for staff and units. */
export type ServerMessage =
  | { type: 'hello'; role: Role; unitId: string | null }
  | { type: 'snapshot'; alerts: Array<CitizenAlertView | StaffAlertView> }
  | { type: 'page'; alert: StaffAlertView }
  | { type: 'alert'; alert: CitizenAlertView | StaffAlertView; events: string[] }
  | { type: 'units'; units: Unit[] }
  | { type: 'unit'; unit: Unit }
  | ({ type: 'unit-position' } & UnitApproach)
  | { type: 'checkin'; checkin: Checkin }
  | { type: 'pong' };
