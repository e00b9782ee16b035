// An alert's lifecycle as data: the states, and a table of every allowed transition with who may
// make it. Nothing else in the code base decides whether a status change is legal.

export const ALERT_STATUSES = ['new', 'paging', 'acknowledged', 'en_route', 'on_scene', 'resolved', 'cancelled', 'escalated'] as const;
export type AlertStatus = (typeof ALERT_STATUSES)[number];

export const OPEN_STATUSES: readonly AlertStatus[] = ['new', 'paging', 'acknowledged', 'en_route', 'on_scene', 'escalated'];
/** Statuses in which nobody has taken the alert yet: the escalation clock is running. */
export const UNANSWERED_STATUSES: readonly AlertStatus[] = ['new', 'paging', 'escalated'];

export const OUTCOMES = ['attended', 'false_alarm', 'nobody_found', 'referred'] as const;
export type Outcome = (typeof OUTCOMES)[number];

export const ACTIONS = ['page', 'acknowledge', 'en_route', 'on_scene', 'resolve', 'cancel', 'escalate', 'confirm'] as const;
export type Action = (typeof ACTIONS)[number];

/** Who acts: the system (timers), the citizen who raised it, a unit, or staff at the console. */
export type Actor = 'system' | 'owner' | 'unit' | 'dispatcher';

interface Transition { from: readonly AlertStatus[]; to: AlertStatus; by: readonly Actor[] }

export const TRANSITIONS: Record<Action, Transition> = {
  page: { from: ['new'], to: 'paging', by: ['system'] },
  acknowledge: { from: ['new', 'paging', 'escalated'], to: 'acknowledged', by: ['unit', 'dispatcher'] },
  en_route: { from: ['acknowledged'], to: 'en_route', by: ['unit', 'dispatcher'] },
  on_scene: { from: ['acknowledged', 'en_route'], to: 'on_scene', by: ['unit', 'dispatcher'] },
  // Only a held alert rests in `new` (every other one is paged or escalated as it is stored): a
  // dispatcher may close it as a false alarm without sending anyone.
  resolve: { from: ['new', 'acknowledged', 'en_route', 'on_scene', 'escalated'], to: 'resolved', by: ['unit', 'dispatcher'] },
  cancel: { from: ['new', 'paging', 'acknowledged', 'en_route', 'escalated'], to: 'cancelled', by: ['owner', 'dispatcher'] },
  escalate: { from: ['new', 'paging'], to: 'escalated', by: ['system', 'dispatcher'] },
  // A dispatcher confirms a held alert (a possible flood, an unconfirmed SOS): the escalation
  // ladder then runs from this moment (the service pages ring 1 next).
  confirm: { from: ['new'], to: 'new', by: ['dispatcher'] },
};

export type TransitionCheck =
  | { ok: true; to: AlertStatus }
  | { ok: false; reason: 'invalid_transition' | 'not_allowed' | 'outcome_required' };

/**
 * `held`: the alert waits for a dispatcher (see hold.ts). Only a held alert can be confirmed, and
 * the system (timers) never acts on one: it is not paged nor handed to 911 automatically.
 */
export function checkTransition(from: AlertStatus, action: Action, actor: Actor, outcome?: Outcome | null, held = false): TransitionCheck {
  const t = TRANSITIONS[action];
  if (!t.by.includes(actor)) return { ok: false, reason: 'not_allowed' };
  if (held && actor === 'system') return { ok: false, reason: 'not_allowed' };
  if (!t.from.includes(from) || (action === 'confirm' && !held)) return { ok: false, reason: 'invalid_transition' };
  if (action === 'resolve' && !outcome) return { ok: false, reason: 'outcome_required' };
  return { ok: true, to: t.to };
}

export const isOpen = (s: AlertStatus): boolean => OPEN_STATUSES.includes(s);
export const isUnanswered = (s: AlertStatus): boolean => UNANSWERED_STATUSES.includes(s);
