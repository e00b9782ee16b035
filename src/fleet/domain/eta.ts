// How long a unit takes to reach a point: a straight-line estimate that always answers, and an
// optional road router (OSRM) that answers better when it is up. Callers ask the router first and
// fall back to etaSeconds on null, so dispatch never waits on, or fails with, a routing server.
import { DomainError } from '../../kernel/index.js';

/** The unit types (fleet/model.ts UNIT_TYPES), kept here so this module stays pure. */
export type UnitType = 'car' | 'motorcycle' | 'bicycle' | 'foot';

/**
 * Route length ÷ straight-line length. Street networks are longer than straight lines: blocks,
 * one-way streets, few crossings over the Periférico, Viaducto and the western barrancas. Studies
 * of road-network circuity (the "detour index") usually find ~1.2–1.4 in cities; we take 1.35,
 * toward the high end for CDMX. A planning assumption, not a measurement: recalibrate it against
 * OSRM routes or the units' own recorded tracks.
 */
export const CIRCUITY = 1.35;

/**
 * Average response speed over the whole trip, stops included (km/h). Planning assumptions for
 * CDMX traffic, not measurements: a car with siren and lights ~30, a motorcycle filtering
 * between lanes ~35, a bicycle ~15, on foot ~5 (a brisk walk).
 */
export const SPEED_KMH: Record<UnitType, number> = { car: 30, motorcycle: 35, bicycle: 15, foot: 5 };

/** Straight-line metres × CIRCUITY ÷ the type's speed, in whole seconds. */
export function etaSeconds(distanceM: number, type: UnitType): number {
  if (!(distanceM >= 0) || !Number.isFinite(distanceM)) {
    throw new DomainError('VALIDATION_FAILED', { detail: `distance must be a non-negative number of metres (got ${distanceM})` });
  }
  return Math.round((distanceM * CIRCUITY) / (SPEED_KMH[type] / 3.6));
}

export interface RoutePoint { lat: number; lon: number }

export interface RoadRouter {
  /** Road travel time in seconds, or null when the router cannot say (down, slow, no route). */
  seconds(from: RoutePoint, to: RoutePoint, type: UnitType): Promise<number | null>;
}

/**
 * OSRM's profile per unit type. OSRM has no motorcycle profile; driving is the closest (it
 * overstates a motorcycle's time in traffic). osrm-routed serves the one profile its data was
 * built with whatever the URL says, so a deployment with several profiles runs one server each.
 */
const OSRM_PROFILE: Record<UnitType, 'driving' | 'cycling' | 'foot'> = { car: 'driving', motorcycle: 'driving', bicycle: 'cycling', foot: 'foot' };

/**
 * A RoadRouter over OSRM's HTTP API: GET {base}/route/v1/{profile}/{lon},{lat};{lon},{lat}
 * ?overview=false, answering routes[0].duration rounded to whole seconds. Any failure (network,
 * HTTP status, code other than "Ok", odd JSON, no answer within timeoutMs) gives null.
 * OSRM's durations are free-flow and without a siren: a different estimate, not a better-calibrated
 * one, in rush hour.
 */
export function osrmRouter(baseUrl: string, fetchImpl: typeof fetch = globalThis.fetch, timeoutMs = 1500): RoadRouter {
  const base = baseUrl.replace(/\/+$/, '');
  return {
    seconds(from, to, type) {
      if (![from.lat, from.lon, to.lat, to.lon].every(Number.isFinite)) return Promise.resolve(null);
      // Six decimals (~0.1 m): String() would write 1e-7 as exponent notation, which OSRM rejects.
      const coords = `${from.lon.toFixed(6)},${from.lat.toFixed(6)};${to.lon.toFixed(6)},${to.lat.toFixed(6)}`;
      const url = `${base}/route/v1/${OSRM_PROFILE[type]}/${coords}?overview=false`;
      return withTimeout((signal) => fetchDuration(fetchImpl, url, signal), timeoutMs);
    },
  };
}

async function fetchDuration(fetchImpl: typeof fetch, url: string, signal: AbortSignal): Promise<number | null> {
  const res = await fetchImpl(url, { signal, headers: { accept: 'application/json' } });
  if (!res.ok) return null;
  return durationOf(await res.json());
}

function durationOf(body: unknown): number | null {
  if (typeof body !== 'object' || body === null) return null;
  const { code, routes } = body as { code?: unknown; routes?: unknown };
  if (code !== 'Ok' || !Array.isArray(routes)) return null;
  const first: unknown = routes[0];
  const duration = typeof first === 'object' && first !== null ? (first as { duration?: unknown }).duration : undefined;
  return typeof duration === 'number' && Number.isFinite(duration) && duration >= 0 ? Math.round(duration) : null;
}

/**
 * Null after `ms`, aborting the request; a fetch that ignores the signal is raced, not awaited.
 * A late rejection is swallowed by the catch, so it never surfaces as an unhandled one.
 */
async function withTimeout(run: (signal: AbortSignal) => Promise<number | null>, ms: number): Promise<number | null> {
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<null>((resolve) => {
    timer = setTimeout(() => { controller.abort(); resolve(null); }, ms);
  });
  try {
    return await Promise.race([run(controller.signal).catch(() => null), expired]);
  } finally {
    clearTimeout(timer);
  }
}
