import { useMemo } from 'preact/hooks';
import type { Unit } from '../shared/alerts.js';
import type { LatLon } from '../shared/types.js';
import type { FleetStore } from './fleet.js';

// Where each unit is measured from when ranking them for an alert: its last reported fix, or —
// for a unit that never reported — the centroid of its first (home) quadrant.

export const homeQuadrant = (unit: Unit): string | null => unit.quadrantIds[0] ?? null;

export function unitPositions(units: readonly Unit[], fleet: FleetStore, centroids: ReadonlyMap<string, LatLon>): Map<string, LatLon> {
  const out = new Map<string, LatLon>();
  for (const u of units) {
    const fix = fleet.get(u.id);
    const q = homeQuadrant(u);
    const p = fix ? { lat: fix.lat, lon: fix.lon } : q ? centroids.get(q) : undefined;
    if (p) out.set(u.id, p);
  }
  return out;
}

/** unitId → position; recomputed when the units, the centroids or the fleet's `version` change. */
export function useUnitPositions(units: readonly Unit[], fleet: FleetStore, centroids: ReadonlyMap<string, LatLon>, version: number): ReadonlyMap<string, LatLon> {
  return useMemo(() => unitPositions(units, fleet, centroids), [units, fleet, centroids, version]);
}
