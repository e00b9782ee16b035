// Which statuses an alert can be in, and the groups every screen and service sorts them by. The
// lifecycle table (src/dispatch/domain/lifecycle.ts) judges the moves between them; the pages use
// the same groups to decide what is still open, so both sides always agree on it.

export const ALERT_STATUSES = ['new', 'paging', 'acknowledged', 'en_route', 'on_scene', 'resolved', 'cancelled', 'escalated'] as const;
export type AlertStatus = (typeof ALERT_STATUSES)[number];

export const OPEN_STATUSES: readonly AlertStatus[] = ['new', 'paging', 'acknowledged', 'en_route', 'on_scene', 'escalated'];
/** Statuses in which nobody has taken the alert yet: the escalation clock is running. */
export const UNANSWERED_STATUSES: readonly AlertStatus[] = ['new', 'paging', 'escalated'];
export const CLOSED_STATUSES: readonly AlertStatus[] = ['resolved', 'cancelled'];

export const OUTCOMES = ['attended', 'false_alarm', 'nobody_found', 'referred'] as const;
export type Outcome = (typeof OUTCOMES)[number];

export const isOpen = (s: AlertStatus): boolean => OPEN_STATUSES.includes(s);
export const isUnanswered = (s: AlertStatus): boolean => UNANSWERED_STATUSES.includes(s);

/**
 * Waiting for a dispatcher before anyone is paged (src/dispatch/domain/hold.ts): a hold reason is
 * kept on record after the alert closes, so only an open alert is still waiting.
 */
export const isAwaitingDispatcher = (a: { status: AlertStatus; hold: string | null | undefined }): boolean =>
  a.hold !== null && a.hold !== undefined && isOpen(a.status);
