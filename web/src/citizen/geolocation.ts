import type { LatLon } from '../shared/types.js';

export type GeoFailure = 'denied' | 'unavailable' | 'timeout' | 'unsupported';

export class GeoError extends Error {
  constructor(readonly reason: GeoFailure) {
    super(`geolocation ${reason}`);
    this.name = 'GeoError';
  }
}

const REASONS: Record<number, GeoFailure> = { 1: 'denied', 2: 'unavailable', 3: 'timeout' };

/** Asks the browser for one position. Called only from a tap: never on load, never watched. */
export async function currentPosition(): Promise<LatLon> {
  const { lat, lon } = await currentFix({ timeout: 20_000, maximumAge: 60_000 });
  return { lat, lon };
}

export interface Fix extends LatLon { readonly accuracy: number }

/** One position with its accuracy in metres; the panic button uses a shorter wait. */
export function currentFix(options: { timeout: number; maximumAge: number }): Promise<Fix> {
  return new Promise((resolve, reject) => {
    if (!('geolocation' in navigator)) return reject(new GeoError('unsupported'));
    navigator.geolocation.getCurrentPosition(
      ({ coords }) => resolve({ lat: coords.latitude, lon: coords.longitude, accuracy: coords.accuracy }),
      (err) => reject(new GeoError(REASONS[err.code] ?? 'unavailable')),
      { enableHighAccuracy: true, ...options },
    );
  });
}
