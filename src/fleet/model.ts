// Patrol units as every context sees them: who they are, what they drive, where they patrol and
// whether they are on shift. Dispatch pages them; tracking moves them; both read them from here.
export const UNIT_TYPES = ['car', 'motorcycle', 'bicycle', 'foot'] as const;
export type UnitType = (typeof UNIT_TYPES)[number];
export type ShiftState = 'off_duty' | 'available' | 'busy';

export interface Unit {
  id: string;
  callsign: string;
  type: UnitType;
  phone: string | null;
  shiftState: ShiftState;
  quadrantIds: string[];
  createdAt: number;
  updatedAt: number;
}

/** A shift change another context writes inside its own transaction (see writeShiftChanges). */
export interface UnitShiftChange {
  unitId: string;
  state: ShiftState;
  /** Dispatch's own moves never bring an off-duty unit back on shift (a console assignment does). */
  unlessOffDuty: boolean;
}
