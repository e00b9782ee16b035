// The dispatch API (alerts, units) and the realtime messages as pages read them: the types are the
// server's own contract (src/contracts/, type-only imports: nothing server-side in the bundle).
import type { ActionName, AlertKind, UnitView } from '../../../src/contracts/dispatch.js';
import type { ServerMessage, UnitApproachMessage } from '../../../src/contracts/realtime.js';

export type {
  AlertKind, AlertQuadrant, AlertStatus, CitizenAlertView, DispatchSettings, HoldReason, Outcome, ShiftState, StaffAlertView, UnitRef, UnitType,
} from '../../../src/contracts/dispatch.js';
export type { Role } from '../../../src/contracts/accounts.js';
export type { Checkin, CheckinStatus } from '../../../src/contracts/family.js';

// Status groups are the server's own rules (src/rules/alert-status.ts), not a copy.
export { ALERT_STATUSES, OUTCOMES, isOpen as isOpenStatus } from '../../../src/rules/alert-status.js';

/** Kinds a citizen may choose; the server also knows 'officer_in_danger' (raised by units). */
export const CITIZEN_ALERT_KINDS = ['robbery', 'violence', 'followed', 'extortion', 'medical', 'other'] as const satisfies readonly AlertKind[];

/** confirm: a dispatcher releases a held alert (possible flood, unconfirmed SOS): units are paged from then. */
export type AlertAction = ActionName;

/** A unit as GET /api/v1/units and the `units`/`unit` messages send it. */
export type Unit = UnitView;

/**
 * How far the unit assigned to a citizen's open alert is — to the nearest 100 m — and in how many
 * whole minutes it should arrive; sent to that citizen only. Never where it is.
 */
export type UnitApproach = Omit<UnitApproachMessage, 'type'>;

/** Everything the server sends over /api/v1/ws, whoever listens (per audience: src/contracts/realtime.ts). */
export type { ServerMessage };
