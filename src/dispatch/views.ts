// What each audience sees of an alert. The citizen's view is deliberately small: no coordinates of
// anyone (their own point included), units by callsign only. After a duress cancel the phone is
// served the view frozen at that moment (Alert.duressView, see presenter.ts), never this.
import type { CitizenAlertView, StaffAlertView, UnitRef } from '../contracts/dispatch.js';
import type { Alert, Unit } from './model.js';
import { isOpen } from './domain/lifecycle.js';

export type { CitizenAlertView, StaffAlertView, UnitRef };

const iso = (t: number | null) => (t === null ? null : new Date(t).toISOString());
const ref = (u: Unit | undefined): UnitRef | null => (u ? { id: u.id, callsign: u.callsign, type: u.type } : null);

export function staffView(a: Alert, units: ReadonlyMap<string, Unit>, paged: readonly string[]): StaffAlertView {
  return {
    id: a.id, status: a.status, kind: a.kind, source: a.source, note: a.note, address: a.address,
    lat: a.lat, lon: a.lon, accuracyM: a.accuracyM,
    quadrant: a.quadrantId ? { id: a.quadrantId, sector: a.sector, alcaldia: a.alcaldia } : null,
    // 3 = handed to 911: said by escalatedAt alone (the one record of it), the rings by `ring`.
    stage: a.escalatedAt !== null ? 3 : a.ring, nextDeadlineAt: iso(a.nextDeadlineAt), escalated: a.escalatedAt !== null, escalatedAt: iso(a.escalatedAt),
    duress: a.duress, outcome: a.outcome,
    /** Waiting for a dispatcher before anyone is paged: 'saturation' (possible flood) or 'unverified_sos'. */
    hold: a.hold, confirmedAt: iso(a.confirmedAt),
    assignedUnit: a.assignedUnitId ? ref(units.get(a.assignedUnitId)) : null,
    pagedUnits: paged.map((id) => ref(units.get(id))).filter((u): u is UnitRef => u !== null),
    createdAt: iso(a.createdAt)!, acknowledgedAt: iso(a.acknowledgedAt), enRouteAt: iso(a.enRouteAt),
    onSceneAt: iso(a.onSceneAt), closedAt: iso(a.closedAt), updatedAt: iso(a.updatedAt)!,
    version: a.version, seq: a.seq,
  };
}

/**
 * `review`: the operations centre received the alert and a dispatcher is looking at it before
 * units are sent (a held alert): the page tells the person so and offers 911 at once. Why it is
 * held is never shown.
 */
export function citizenView(a: Alert, units: ReadonlyMap<string, Unit>, paged: readonly string[], emergencyNumber: string): CitizenAlertView {
  return {
    id: a.id, status: a.status, kind: a.kind,
    quadrant: a.quadrantId ? { id: a.quadrantId, sector: a.sector, alcaldia: a.alcaldia } : null,
    assignedUnit: a.assignedUnitId ? ref(units.get(a.assignedUnitId)) : null,
    // Sorted: the same alert renders the same bytes whichever way its pages were read.
    pagedUnits: [...paged].sort().map((id) => ref(units.get(id))).filter((u): u is UnitRef => u !== null),
    nextDeadlineAt: iso(a.nextDeadlineAt), escalated: a.escalatedAt !== null, review: a.hold !== null && isOpen(a.status),
    emergencyNumber,
    createdAt: iso(a.createdAt)!, acknowledgedAt: iso(a.acknowledgedAt), enRouteAt: iso(a.enRouteAt),
    onSceneAt: iso(a.onSceneAt), closedAt: iso(a.closedAt),
    // What clients order updates by (never updatedAt, never their own clock).
    version: a.version, seq: a.seq,
  };
}

