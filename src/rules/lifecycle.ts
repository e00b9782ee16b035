// The alert lifecycle's transition table: which event may move an alert from which status, who may
// make it, and the guards it needs. The server judges every status change with it
// (src/dispatch/domain/lifecycle.ts applies the effects); the pages ask it which buttons to offer,
// so a button is never shown for a move the server would refuse, nor hidden for one it allows.
import type { AlertStatus, Outcome } from './alert-status.js';
import { statusSeenBy } from './duress.js';

/**
 * Everything that can happen to an alert. hold/page are the system's (the flood rules, the
 * escalation ladder); assign is the console's; duress_cancel is a cancel made with the duress PIN.
 */
export const EVENTS = ['hold', 'page', 'confirm', 'acknowledge', 'assign', 'en_route', 'on_scene', 'resolve', 'cancel', 'duress_cancel', 'escalate'] as const;
export type LifecycleEvent = (typeof EVENTS)[number];

/** The events a caller names in POST /alerts/{id}/actions (plus `page`, kept for the timers). */
export const ACTIONS = ['page', 'acknowledge', 'en_route', 'on_scene', 'resolve', 'cancel', 'escalate', 'confirm'] as const satisfies readonly LifecycleEvent[];
export type Action = (typeof ACTIONS)[number];

/** Who acts: the system (timers), the citizen who raised it, a unit, or staff at the console. */
export type Actor = 'system' | 'owner' | 'unit' | 'dispatcher';
export type Refusal = 'invalid_transition' | 'not_allowed' | 'outcome_required';

/** What the guards look at besides the status. */
export interface Facts {
  /** Waiting for a dispatcher (hold.ts): the system never acts on it, only it can be confirmed. */
  held: boolean;
  /** Cancelled with the duress PIN: to its owner it is cancelled, whatever staff see. */
  duress: boolean;
  /** Handed to 911 (escalatedAt is set): it never happens twice. */
  escalated: boolean;
  outcome: Outcome | null;
}

interface Transition {
  /** from → to: the only edges this event has. */
  edges: Partial<Record<AlertStatus, AlertStatus>>;
  by: readonly Actor[];
  guard?: (f: Facts) => Refusal | null;
}

const CANCELLABLE = ['new', 'paging', 'acknowledged', 'en_route', 'escalated'] as const;
const toSelf = (from: readonly AlertStatus[]) => Object.fromEntries(from.map((s) => [s, s])) as Partial<Record<AlertStatus, AlertStatus>>;
const toOne = (from: readonly AlertStatus[], to: AlertStatus) => Object.fromEntries(from.map((s) => [s, to])) as Partial<Record<AlertStatus, AlertStatus>>;

export const TRANSITIONS: Record<LifecycleEvent, Transition> = {
  // Stored but nobody paged until a dispatcher confirms it.
  hold: { edges: { new: 'new' }, by: ['system'] },
  // Ring 1 or 2 paged (or ring 2 found nobody new and the ladder waits for 911): the clock runs.
  page: { edges: { new: 'paging', paging: 'paging' }, by: ['system'] },
  // A dispatcher confirms a held alert (a possible flood, an unconfirmed SOS): the escalation
  // ladder then runs from this moment (the service pages ring 1 next).
  confirm: { edges: { new: 'new' }, by: ['dispatcher'], guard: (f) => (f.held ? null : 'invalid_transition') },
  acknowledge: { edges: toOne(['new', 'paging', 'escalated'], 'acknowledged'), by: ['unit', 'dispatcher'] },
  // Taking over or reassigning: an unanswered alert is then acknowledged; one under way stays where it is.
  assign: { edges: { ...toOne(['new', 'paging', 'escalated'], 'acknowledged'), ...toSelf(['acknowledged', 'en_route', 'on_scene']) }, by: ['dispatcher'] },
  en_route: { edges: { acknowledged: 'en_route' }, by: ['unit', 'dispatcher'] },
  on_scene: { edges: toOne(['acknowledged', 'en_route'], 'on_scene'), by: ['unit', 'dispatcher'] },
  // Only a held alert rests in `new` (every other one is paged or escalated as it is stored): a
  // dispatcher may close it as a false alarm without sending anyone.
  resolve: { edges: toOne(['new', 'acknowledged', 'en_route', 'on_scene', 'escalated'], 'resolved'), by: ['unit', 'dispatcher'], guard: (f) => (f.outcome ? null : 'outcome_required') },
  cancel: { edges: toOne(CANCELLABLE, 'cancelled'), by: ['owner', 'dispatcher'] },
  // The coerced citizen sees "cancelled"; for staff the alert goes on exactly where it was.
  duress_cancel: { edges: toSelf(CANCELLABLE), by: ['owner'] },
  escalate: { edges: toOne(['new', 'paging'], 'escalated'), by: ['system', 'dispatcher'], guard: (f) => (f.escalated ? 'invalid_transition' : null) },
};

export type TransitionCheck = { ok: true; to: AlertStatus } | { ok: false; reason: Refusal };

/**
 * `held`: the alert waits for a dispatcher (see hold.ts). Only a held alert can be confirmed, and
 * the system (timers) never acts on one: it is not paged nor handed to 911 automatically.
 */
export function checkTransition(from: AlertStatus, event: LifecycleEvent, actor: Actor, outcome: Outcome | null = null, held = false, more: Partial<Pick<Facts, 'duress' | 'escalated'>> = {}): TransitionCheck {
  const facts: Facts = { held, outcome, duress: more.duress ?? false, escalated: more.escalated ?? false };
  const t = TRANSITIONS[event];
  if (!t.by.includes(actor)) return { ok: false, reason: 'not_allowed' };
  if (held && actor === 'system' && event !== 'hold') return { ok: false, reason: 'not_allowed' };
  const to = t.edges[statusSeenBy(actor, from, facts.duress)];
  if (to === undefined) return { ok: false, reason: 'invalid_transition' };
  const refused = t.guard?.(facts) ?? null;
  return refused ? { ok: false, reason: refused } : { ok: true, to };
}
