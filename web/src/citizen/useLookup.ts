import { useCallback, useRef, useState } from 'preact/hooks';
import { ApiError, NetworkError, locate } from '../shared/api.js';
import type { Lang, LatLon, LocateResult } from '../shared/types.js';
import { GeoError, currentPosition, type GeoFailure } from './geolocation.js';

export type Failure =
  | { kind: 'geo'; reason: GeoFailure }
  | { kind: 'api'; message: string } // already worded by the server in the page's language
  | { kind: 'network' }
  | { kind: 'unknown' };

/** `focus` is true when the point came from the device, so the map should move to it. */
export type Lookup =
  | { status: 'idle' }
  | { status: 'locating' }
  | { status: 'loading'; point: LatLon; focus: boolean }
  | { status: 'done'; point: LatLon; focus: boolean; result: LocateResult }
  | { status: 'failed'; point: LatLon | null; failure: Failure };

function toFailure(err: unknown): Failure {
  if (err instanceof GeoError) return { kind: 'geo', reason: err.reason };
  if (err instanceof ApiError && err.message) return { kind: 'api', message: err.message };
  if (err instanceof NetworkError) return { kind: 'network' };
  return { kind: 'unknown' };
}

/** Point → quadrant look-ups; a newer request always supersedes an older one still running. */
export function useLookup(lang: Lang) {
  const [lookup, setLookup] = useState<Lookup>({ status: 'idle' });
  const pending = useRef<AbortController | null>(null);
  const langRef = useRef(lang);
  langRef.current = lang;

  const supersede = () => {
    pending.current?.abort();
    pending.current = new AbortController();
    return pending.current.signal;
  };

  const lookUp = useCallback(async (point: LatLon, focus: boolean, signal: AbortSignal) => {
    setLookup({ status: 'loading', point, focus });
    try {
      const result = await locate(point, { lang: langRef.current, signal });
      if (!signal.aborted) setLookup({ status: 'done', point, focus, result });
    } catch (err) {
      if (!signal.aborted) setLookup({ status: 'failed', point, failure: toFailure(err) });
    }
  }, []);

  const pickPoint = useCallback((point: LatLon) => lookUp(point, false, supersede()), [lookUp]);

  const locateMe = useCallback(async () => {
    const signal = supersede();
    setLookup({ status: 'locating' });
    try {
      const point = await currentPosition();
      if (!signal.aborted) await lookUp(point, true, signal);
    } catch (err) {
      if (!signal.aborted) setLookup({ status: 'failed', point: null, failure: toFailure(err) });
    }
  }, [lookUp]);

  return { lookup, pickPoint, locateMe };
}
