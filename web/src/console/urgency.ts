import { isAwaitingDispatcher, isUnanswered as isUnansweredStatus } from '../../../src/rules/alert-status.js';
import type { ShiftState, StaffAlertView, Unit } from '../shared/alerts.js';
import { distanceM } from '../shared/geo.js';
import type { LatLon } from '../shared/types.js';

// Ordering rules of the console, as plain functions: which alert needs a human first, and which
// unit to send.

/** Nobody has taken these yet: the escalation clock is running (or ran out). */
export const isUnanswered = (a: StaffAlertView): boolean => isUnansweredStatus(a.status);

/** Handed to 911: one fact on the server (escalatedAt), whatever the status is now. */
export const isEscalated = (a: StaffAlertView): boolean => a.escalated;

/** Waiting for a dispatcher: nobody was paged and nothing will happen until someone here decides. */
export const isHeld = (a: StaffAlertView): boolean => isAwaitingDispatcher(a);

/**
 * Held alerts first (nobody but a dispatcher will ever act on them), then duress (a person is being
 * coerced right now), then alerts already handed to 911, then those nobody has taken, higher
 * escalation stage first, then the oldest.
 */
export function byUrgency(a: StaffAlertView, b: StaffAlertView): number {
  return (
    Number(isHeld(b)) - Number(isHeld(a))
    || Number(b.duress) - Number(a.duress)
    || Number(isEscalated(b)) - Number(isEscalated(a))
    || Number(isUnanswered(b)) - Number(isUnanswered(a))
    || b.stage - a.stage
    || Date.parse(a.createdAt) - Date.parse(b.createdAt)
    || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  );
}

const SHIFT_ORDER: Record<ShiftState, number> = { available: 0, busy: 1, off_duty: 2 };

export interface UnitChoice { unit: Unit; distanceM: number | null }

/** Available units first, then busy, then off duty; within each, nearest first (unknown last). */
export function rankUnits(units: readonly Unit[], positions: ReadonlyMap<string, LatLon>, at: LatLon): UnitChoice[] {
  return units
    .map((unit) => {
      const p = positions.get(unit.id);
      return { unit, distanceM: p ? distanceM(at, p) : null };
    })
    .sort((a, b) =>
      SHIFT_ORDER[a.unit.shiftState] - SHIFT_ORDER[b.unit.shiftState]
      || (a.distanceM ?? Infinity) - (b.distanceM ?? Infinity)
      || a.unit.callsign.localeCompare(b.unit.callsign));
}
