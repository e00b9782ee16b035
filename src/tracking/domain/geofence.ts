// A unit belongs in its assigned quadrant(s). Leaving and re-entering are recorded; staying out
// longer than the allowance raises one event for dispatchers (until the unit is back).

export type GeofenceEventType = 'left_assignment' | 'returned' | 'outside_too_long';

export interface GeofenceEvent { unitId: string; at: number; type: GeofenceEventType; quadrantId: string | null; outsideSinceMs?: number }

export interface GeofenceState { outsideSince: number | null; alerted: boolean }

export const INSIDE: GeofenceState = { outsideSince: null, alerted: false };

/** Pure: the new state and the events one fix causes. */
export function geofenceStep(state: GeofenceState, unitId: string, assigned: readonly string[], quadrantId: string | null, at: number, allowanceMs: number): { state: GeofenceState; events: GeofenceEvent[] } {
  // A unit with no assignment cannot be out of it.
  const inside = assigned.length === 0 || (quadrantId !== null && assigned.includes(quadrantId));
  if (inside) {
    if (state.outsideSince === null) return { state, events: [] };
    return { state: INSIDE, events: [{ unitId, at, type: 'returned', quadrantId }] };
  }
  if (state.outsideSince === null) {
    return { state: { outsideSince: at, alerted: false }, events: [{ unitId, at, type: 'left_assignment', quadrantId }] };
  }
  if (!state.alerted && at - state.outsideSince >= allowanceMs) {
    return { state: { ...state, alerted: true }, events: [{ unitId, at, type: 'outside_too_long', quadrantId, outsideSinceMs: at - state.outsideSince }] };
  }
  return { state, events: [] };
}
