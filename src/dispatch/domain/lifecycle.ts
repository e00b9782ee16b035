// An alert's lifecycle as data: the states, the events, and a table of every allowed transition with
// who may make it and the guards it needs. `step` is the only way an alert's status changes: the
// service never writes a status itself, it asks the table and stores what the table answers.
import { statusSeenBy, type AlertStatus, type Outcome } from '../../rules/index.js';
import { holdAfter, type HoldReason } from './hold.js';

// The statuses, their groups and the duress freeze are rules the pages share: src/rules/.
export {
  ALERT_STATUSES, OPEN_STATUSES, UNANSWERED_STATUSES, OUTCOMES, isOpen, isUnanswered, statusSeenBy, type AlertStatus, type Outcome,
} from '../../rules/index.js';

/** Every alert starts here (held or not); only events of the table move it on. */
export const INITIAL_STATUS: AlertStatus = 'new';

// The table itself is a rule the pages share (which actions to offer): src/rules/lifecycle.ts.
export {
  ACTIONS, EVENTS, TRANSITIONS, checkTransition,
  type Action, type Actor, type Facts, type LifecycleEvent, type Refusal, type TransitionCheck,
} from '../../rules/lifecycle.js';
import { checkTransition, type Actor, type LifecycleEvent, type Refusal } from '../../rules/lifecycle.js';

/** The fields of an alert the lifecycle reads and writes (the dispatch model's Alert has them all). */
export interface LifecycleFacts {
  status: AlertStatus;
  hold: HoldReason | null;
  duress: boolean;
  /** Handed to 911 then: the one record of an escalation (status `escalated` while nobody has it). */
  escalatedAt: number | null;
  /** How far paging got: 0 nobody yet, 1 the quadrant's units, 2 the next ring. */
  ring: 0 | 1 | 2;
  nextDeadlineAt: number | null;
  assignedUnitId: string | null;
  outcome: Outcome | null;
  confirmedAt: number | null;
  acknowledgedAt: number | null;
  enRouteAt: number | null;
  onSceneAt: number | null;
  closedAt: number | null;
}

/** What an event carries besides who made it (each event reads only its own). */
export interface StepInput {
  outcome?: Outcome | null;
  /** acknowledge: the acknowledging unit (null: a dispatcher); assign: the unit given the alert. */
  unitId?: string | null;
  /** hold: why. */
  reason?: HoldReason;
  /** page: the ring reached and when the ladder looks again. */
  ring?: 1 | 2;
  nextDeadlineAt?: number;
}

export type Step<A> = { ok: true; alert: A; from: AlertStatus; to: AlertStatus } | { ok: false; reason: Refusal; seen: AlertStatus };

/** Asks the table; when it allows the event, answers the alert with the event's effects applied. */
export function step<A extends LifecycleFacts>(a: A, event: LifecycleEvent, actor: Actor, now: number, input: StepInput = {}): Step<A> {
  const check = checkTransition(a.status, event, actor, input.outcome ?? null, a.hold !== null, { duress: a.duress, escalated: a.escalatedAt !== null });
  if (!check.ok) return { ok: false, reason: check.reason, seen: statusSeenBy(actor, a.status, a.duress) };
  const next: A = { ...a, ...effects(a, event, now, input), status: check.to };
  // Once a human has it (or it is closed), the escalation clock stops.
  if (check.to !== 'paging' && check.to !== 'new') next.nextDeadlineAt = null;
  return { ok: true, alert: next, from: a.status, to: check.to };
}

function effects(a: LifecycleFacts, event: LifecycleEvent, now: number, i: StepInput): Partial<LifecycleFacts> {
  const hold = holdAfter(event, a.hold);
  switch (event) {
    case 'hold': return { hold: i.reason ?? 'saturation', nextDeadlineAt: null };
    case 'page': return { ring: i.ring ?? a.ring, nextDeadlineAt: i.nextDeadlineAt ?? null };
    case 'confirm': return { hold, confirmedAt: now };
    case 'acknowledge': return { hold, acknowledgedAt: a.acknowledgedAt ?? now, assignedUnitId: i.unitId ?? a.assignedUnitId };
    case 'assign': return { hold, acknowledgedAt: a.acknowledgedAt ?? now, assignedUnitId: i.unitId ?? a.assignedUnitId };
    case 'en_route': return { enRouteAt: now };
    case 'on_scene': return { onSceneAt: now };
    case 'resolve': case 'cancel': return { hold, closedAt: now, outcome: i.outcome ?? null };
    case 'duress_cancel': return { duress: true };
    case 'escalate': return { hold, escalatedAt: now };
    default: return unreachable(event);
  }
}

function unreachable(e: never): never {
  throw new Error(`no effects for lifecycle event ${String(e)}`);
}

