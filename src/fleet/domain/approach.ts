// What a citizen may know of the unit coming to their alert: how far and how long, coarsely —
// never where it is (anyone can raise an alert, and must not be able to watch a patrol car come).
import { haversineMeters } from '../../kernel/index.js';
import { etaSeconds, type UnitType } from './eta.js';

/** Distance rounded to 100 m, ETA rounded up to the minute. */
export function coarseApproach(distanceM: number, etaS: number): { distanceM: number; etaMin: number } {
  return { distanceM: Math.round(distanceM / 100) * 100, etaMin: Math.ceil(etaS / 60) };
}

/** A unit of `type` at `from` heading for `to`, as the citizen at `to` is told it. */
export function distanceAndEta(from: { lat: number; lon: number }, type: UnitType, to: { lat: number; lon: number }): { distanceM: number; etaMin: number } {
  const exact = haversineMeters(from.lat, from.lon, to.lat, to.lon);
  return coarseApproach(exact, etaSeconds(exact, type));
}
