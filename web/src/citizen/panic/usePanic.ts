import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import type { AlertKind, CitizenAlertView } from '../../shared/alerts.js';
import { ApiError, NetworkError } from '../../shared/api.js';
import { ensureDeviceToken, forgetDeviceIfRefused } from '../../shared/device.js';
import { raiseAlert } from '../../shared/dispatchApi.js';
import type { Lang, LatLon } from '../../shared/types.js';
import { GeoError, currentFix, type GeoFailure } from '../geolocation.js';
import { loadPending, newIdempotencyKey, savePending, type PendingAlert } from './store.js';

// From the press to the server's acceptance. The alert is written to the outbox (with its
// Idempotency-Key) before the first attempt, so whatever happens next — no signal, a server
// error, the tab killed — it is sent on the next `online` event, retry tick or page load, and
// the server recognises every retry as the same alert.

export type Sending =
  | { phase: 'idle' }
  | { phase: 'locating' }
  | { phase: 'sending'; pending: PendingAlert }
  /** `busy`: the server answered but could not take it yet (too many requests from this network, overloaded). */
  | { phase: 'queued'; pending: PendingAlert; busy?: boolean }
  | { phase: 'noLocation'; reason: GeoFailure; kind: AlertKind }
  | { phase: 'refused'; message: string };

/** Waiting for a GPS fix longer than this costs more than a coarse position does. */
const GEO_OPTIONS = { timeout: 12_000, maximumAge: 30_000 };
const RETRY_MS = 10_000;

interface Options {
  lang: Lang;
  /** A point the person already chose on the map, used if the device cannot give a position. */
  fallbackPoint: LatLon | null;
  onAccepted: (alert: CitizenAlertView, serverOffsetMs: number | null) => void;
}

/** A request still unanswered by then is abandoned and retried (same key, so no duplicate). */
const SEND_TIMEOUT_MS = 20_000;

const retryable = (err: unknown) =>
  err instanceof NetworkError
  || (err instanceof DOMException && (err.name === 'TimeoutError' || err.name === 'AbortError'))
  || (err instanceof ApiError && (err.status >= 500 || err.status === 429 || err.status === 401));

export function usePanic({ lang, fallbackPoint, onAccepted }: Options) {
  const [sending, setSending] = useState<Sending>(() => {
    const pending = loadPending();
    return pending ? { phase: 'queued', pending } : { phase: 'idle' };
  });
  const busy = useRef(false);
  const latest = useRef({ lang, fallbackPoint, onAccepted });
  latest.current = { lang, fallbackPoint, onAccepted };

  const flush = useCallback(async () => {
    const pending = loadPending();
    if (!pending || busy.current) return;
    busy.current = true;
    setSending({ phase: 'sending', pending });
    try {
      const token = await ensureDeviceToken(latest.current.lang);
      const signal = AbortSignal.timeout(SEND_TIMEOUT_MS);
      const alert = await raiseAlert(pending.input, pending.key, { lang: latest.current.lang, token, signal });
      savePending(null);
      setSending({ phase: 'idle' });
      // A fresh alert's createdAt is the server's "now": enough to run countdowns on its clock.
      const fresh = Date.now() - pending.pressedAt < 60_000;
      latest.current.onAccepted(alert, fresh ? Date.parse(alert.createdAt) - Date.now() : null);
    } catch (err) {
      forgetDeviceIfRefused(err);
      if (retryable(err)) {
        setSending({ phase: 'queued', pending, busy: err instanceof ApiError && (err.status === 429 || err.status === 503) });
      } else {
        // The server understood and refused (bad input): retrying the same request cannot help.
        savePending(null);
        setSending({ phase: 'refused', message: err instanceof ApiError ? err.message : String(err) });
      }
    } finally {
      busy.current = false;
    }
  }, []);

  const press = useCallback(async (kind: AlertKind) => {
    if (busy.current || loadPending()) { void flush(); return; }
    busy.current = true;
    setSending({ phase: 'locating' });
    let point: { lat: number; lon: number; accuracy?: number };
    try {
      const fix = await currentFix(GEO_OPTIONS);
      point = { lat: fix.lat, lon: fix.lon, accuracy: Math.round(Math.min(fix.accuracy, 100_000)) };
    } catch (err) {
      const fallback = latest.current.fallbackPoint;
      if (!fallback) {
        busy.current = false;
        setSending({ phase: 'noLocation', reason: err instanceof GeoError ? err.reason : 'unavailable', kind });
        return;
      }
      point = { lat: fallback.lat, lon: fallback.lon };
    }
    savePending({ key: newIdempotencyKey(), input: { ...point, kind }, pressedAt: Date.now() });
    busy.current = false;
    await flush();
  }, [flush]);

  /** Drops an alert that has not reached the server yet (pressed by mistake while offline). */
  const discard = useCallback(() => {
    savePending(null);
    setSending({ phase: 'idle' });
  }, []);

  const reset = useCallback(() => setSending({ phase: 'idle' }), []);

  useEffect(() => {
    void flush(); // an alert left in the outbox by an earlier visit goes out now
    const onOnline = () => void flush();
    window.addEventListener('online', onOnline);
    return () => window.removeEventListener('online', onOnline);
  }, [flush]);

  // `online` is not fired when the network was up but the server was not: keep trying.
  const queued = sending.phase === 'queued';
  useEffect(() => {
    if (!queued) return;
    const timer = setInterval(() => void flush(), RETRY_MS);
    return () => clearInterval(timer);
  }, [queued, flush]);

  return { sending, press, discard, reset };
}
