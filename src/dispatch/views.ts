// What each audience sees of an alert. The citizen's view is deliberately small, and after a
// duress cancel it is frozen at "cancelled": whoever holds the phone must not learn otherwise.
import type { Alert, Unit } from './model.js';

export interface UnitRef { id: string; callsign: string; type: string }

const iso = (t: number | null) => (t === null ? null : new Date(t).toISOString());
const ref = (u: Unit | undefined): UnitRef | null => (u ? { id: u.id, callsign: u.callsign, type: u.type } : null);

export function staffView(a: Alert, units: ReadonlyMap<string, Unit>, paged: readonly string[]) {
  return {
    id: a.id, status: a.status, kind: a.kind, source: a.source, note: a.note, address: a.address,
    lat: a.lat, lon: a.lon, accuracyM: a.accuracyM,
    quadrant: a.quadrantId ? { id: a.quadrantId, sector: a.sector, alcaldia: a.alcaldia } : null,
    stage: a.stage, nextDeadlineAt: iso(a.nextDeadlineAt), escalated: a.escalatedAt !== null, escalatedAt: iso(a.escalatedAt),
    duress: a.duress, outcome: a.outcome,
    assignedUnit: a.assignedUnitId ? ref(units.get(a.assignedUnitId)) : null,
    pagedUnits: paged.map((id) => ref(units.get(id))).filter((u): u is UnitRef => u !== null),
    createdAt: iso(a.createdAt)!, acknowledgedAt: iso(a.acknowledgedAt), enRouteAt: iso(a.enRouteAt),
    onSceneAt: iso(a.onSceneAt), closedAt: iso(a.closedAt), updatedAt: iso(a.updatedAt)!,
  };
}

export function citizenView(a: Alert, units: ReadonlyMap<string, Unit>, paged: readonly string[], emergencyNumber: string) {
  if (a.duress) {
    return {
      id: a.id, status: 'cancelled' as const, kind: a.kind, quadrant: a.quadrantId ? { id: a.quadrantId, sector: a.sector, alcaldia: a.alcaldia } : null,
      assignedUnit: null, pagedUnits: [], nextDeadlineAt: null, escalated: false, emergencyNumber,
      createdAt: iso(a.createdAt)!, acknowledgedAt: null, enRouteAt: null, onSceneAt: null, closedAt: iso(a.updatedAt),
    };
  }
  return {
    id: a.id, status: a.status, kind: a.kind,
    quadrant: a.quadrantId ? { id: a.quadrantId, sector: a.sector, alcaldia: a.alcaldia } : null,
    assignedUnit: a.assignedUnitId ? ref(units.get(a.assignedUnitId)) : null,
    pagedUnits: paged.map((id) => ref(units.get(id))).filter((u): u is UnitRef => u !== null),
    nextDeadlineAt: iso(a.nextDeadlineAt), escalated: a.escalatedAt !== null, emergencyNumber,
    createdAt: iso(a.createdAt)!, acknowledgedAt: iso(a.acknowledgedAt), enRouteAt: iso(a.enRouteAt),
    onSceneAt: iso(a.onSceneAt), closedAt: iso(a.closedAt),
  };
}

export type StaffAlertView = ReturnType<typeof staffView>;
export type CitizenAlertView = ReturnType<typeof citizenView>;
