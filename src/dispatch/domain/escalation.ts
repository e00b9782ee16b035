// The escalation ladder, as pure decisions over a snapshot: who to page now, when to look again,
// and when to hand the alert to 911. The service applies the decision; timers only call back.
import type { AlertStatus } from './lifecycle.js';
import { isUnanswered } from './lifecycle.js';

export interface DispatchSettings {
  /** No acknowledgement by then → page the next ring (default 30 s). */
  ackTimeoutMs: number;
  /** Still none by then (from creation) → escalate to 911 (default 90 s). */
  escalateAfterMs: number;
  /** How many nearest available units ring 2 adds beyond the neighbouring quadrants' units. */
  ring2Nearest: number;
  /** …and how far they may be: a unit 15 km away is no help for a 2:50 target (911 is). */
  ring2MaxDistanceM: number;
}

export const DEFAULT_DISPATCH: DispatchSettings = { ackTimeoutMs: 30_000, escalateAfterMs: 90_000, ring2Nearest: 3, ring2MaxDistanceM: 5000 };

import type { ShiftState } from '../../fleet/index.js';
export type { ShiftState };

export interface UnitCandidate {
  id: string;
  quadrantIds: readonly string[];
  state: ShiftState;
  /** Metres from the alert, when the unit's position is known. */
  distanceM: number | null;
}

/** 1 = quadrant's units paged, 2 = next ring paged, 3 = handed to 911 (derived: see views.ts). */
export type Stage = 0 | 1 | 2 | 3;
/** How far paging got (an alert's `ring`); whether it was handed to 911 is its escalatedAt alone. */
export type Ring = 0 | 1 | 2;

export interface AlertSnapshot {
  status: AlertStatus;
  ring: Ring;
  quadrantId: string | null;
  /** When the ladder started: the alert's creation, or the moment a dispatcher confirmed a held alert. */
  createdAt: number;
  alreadyPaged: ReadonlySet<string>;
}

export type Decision =
  | { kind: 'page'; ring: 1 | 2; unitIds: string[]; stage: 1 | 2; nextDeadline: number }
  | { kind: 'wait'; stage: 2; nextDeadline: number }
  | { kind: 'escalate' }
  | { kind: 'none' };

export function ring1(quadrantId: string | null, units: readonly UnitCandidate[], paged: ReadonlySet<string>): string[] {
  if (!quadrantId) return [];
  return units.filter((u) => u.state === 'available' && !paged.has(u.id) && u.quadrantIds.includes(quadrantId)).map((u) => u.id).sort();
}

/** Units of the neighbouring quadrants, then the nearest available ones; never busy, never twice. */
export function ring2(neighbours: readonly string[], units: readonly UnitCandidate[], paged: ReadonlySet<string>, nearestCount: number, maxDistanceM = Infinity): string[] {
  const free = units.filter((u) => u.state === 'available' && !paged.has(u.id));
  const chosen = new Set(free.filter((u) => u.quadrantIds.some((q) => neighbours.includes(q))).map((u) => u.id));
  const nearest = free.filter((u) => u.distanceM !== null && u.distanceM <= maxDistanceM && !chosen.has(u.id))
    .sort((a, b) => a.distanceM! - b.distanceM! || (a.id < b.id ? -1 : 1))
    .slice(0, nearestCount);
  for (const u of nearest) chosen.add(u.id);
  return [...chosen].sort();
}

/** What to do when the alert is created. */
export function onCreated(a: AlertSnapshot, neighbours: readonly string[], units: readonly UnitCandidate[], s: DispatchSettings): Decision {
  const first = ring1(a.quadrantId, units, a.alreadyPaged);
  if (first.length > 0) return { kind: 'page', ring: 1, unitIds: first, stage: 1, nextDeadline: a.createdAt + s.ackTimeoutMs };
  // Outside every quadrant: straight to dispatchers and the 911 suggestion.
  if (!a.quadrantId) return { kind: 'escalate' };
  const second = ring2(neighbours, units, a.alreadyPaged, s.ring2Nearest, s.ring2MaxDistanceM);
  if (second.length > 0) return { kind: 'page', ring: 2, unitIds: second, stage: 2, nextDeadline: a.createdAt + s.escalateAfterMs };
  return { kind: 'escalate' };
}

/** What to do when the alert's deadline passes (possibly late, after a restart). */
export function onDeadline(a: AlertSnapshot, now: number, neighbours: readonly string[], units: readonly UnitCandidate[], s: DispatchSettings): Decision {
  // `escalated` is the only unanswered status of an alert handed to 911 (the lifecycle's escalate).
  if (!isUnanswered(a.status) || a.status === 'escalated') return { kind: 'none' };
  const escalateAt = a.createdAt + s.escalateAfterMs;
  if (a.ring <= 1 && now < escalateAt) {
    const second = ring2(neighbours, units, a.alreadyPaged, s.ring2Nearest, s.ring2MaxDistanceM);
    if (second.length > 0) return { kind: 'page', ring: 2, unitIds: second, stage: 2, nextDeadline: escalateAt };
    return { kind: 'wait', stage: 2, nextDeadline: escalateAt };
  }
  return { kind: 'escalate' };
}
