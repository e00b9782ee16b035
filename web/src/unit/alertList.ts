import { isOpenStatus, type StaffAlertView } from '../shared/alerts.js';
import { supersedes } from '../shared/realtime.js';
import { isUnanswered } from '../../../src/rules/alert-status.js';

// The unit's alerts as plain data: what the server last said about each, the highest version
// winning (never a clock), with the order the officer should see them in.

export type AlertMap = ReadonlyMap<string, StaffAlertView>;

/** Paged to this unit and nobody has taken it yet: the phone rings for it. */
export const isRinging = (a: StaffAlertView): boolean => isUnanswered(a.status) && a.assignedUnit === null;

export const isMine = (a: StaffAlertView, unitId: string | null): boolean => a.assignedUnit?.id === unitId;

export const takenByOther = (a: StaffAlertView, unitId: string | null): boolean =>
  a.assignedUnit !== null && a.assignedUnit.id !== unitId;

/** A snapshot is the whole truth after a (re)connection; closed alerts we still show stay. */
export function replaceAll(known: AlertMap, snapshot: readonly StaffAlertView[]): AlertMap {
  const next = new Map(snapshot.map((a) => [a.id, a]));
  for (const [id, a] of known) if (!isOpenStatus(a.status) && !next.has(id)) next.set(id, a);
  return next;
}

export function upsert(known: AlertMap, alert: StaffAlertView): AlertMap {
  const before = known.get(alert.id);
  if (!supersedes(alert, before)) return known;
  return new Map(known).set(alert.id, alert);
}

export function remove(known: AlertMap, id: string): AlertMap {
  const next = new Map(known);
  next.delete(id);
  return next;
}

/** Ringing first (oldest first), then the unit's own work, then closed or taken by others. */
export function ordered(known: AlertMap, unitId: string | null): StaffAlertView[] {
  const rank = (a: StaffAlertView) =>
    isRinging(a) ? 0 : isMine(a, unitId) && isOpenStatus(a.status) ? 1 : 2;
  return [...known.values()].sort((a, b) => rank(a) - rank(b) || Date.parse(a.createdAt) - Date.parse(b.createdAt));
}
