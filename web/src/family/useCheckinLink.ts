import { useCallback, useEffect, useState } from 'preact/hooks';
import { ApiError } from '../shared/api.js';
import { failureMessage } from '../shared/errors.js';
import type { Lang } from '../shared/types.js';
import { answerLink, linkState } from './api.js';
import type { Answer } from './types.js';

// The contact's side of a check-in: the link's token is the only credential (no account, no
// device). The location is asked for only when they tap "Necesito ayuda"; refused or unavailable,
// the answer still goes out, without it.

export type LinkPhase =
  | { phase: 'loading' }
  | { phase: 'open' }
  /** `justNow`: answered on this visit (not found already answered). `located`: sent with a position. */
  | { phase: 'answered'; status: Answer; justNow: boolean; alertId: string | null; located: boolean }
  | { phase: 'expired' }
  | { phase: 'failed'; message: string };

export type Busy = null | 'fine' | 'locating' | 'sending';

const isGone = (err: unknown) => err instanceof ApiError && (err.status === 404 || err.code === 'CHECKIN_NOT_FOUND');
/** Answered meanwhile (another tab, another phone): a link takes one answer, so show the one it has. */
const isAnswered = (err: unknown) => err instanceof ApiError && err.code === 'CHECKIN_ANSWERED';

/** Resolves null when the person refuses, the device cannot tell, or it takes too long. */
export function currentPosition(): Promise<{ lat: number; lon: number } | null> {
  if (!('geolocation' in navigator)) return Promise.resolve(null);
  return new Promise((resolve) => {
    navigator.geolocation.getCurrentPosition(
      (p) => resolve({ lat: p.coords.latitude, lon: p.coords.longitude }),
      () => resolve(null),
      { enableHighAccuracy: true, timeout: 12_000, maximumAge: 60_000 },
    );
  });
}

export function useCheckinLink(token: string, lang: Lang) {
  const [state, setState] = useState<LinkPhase>({ phase: 'loading' });
  const [busy, setBusy] = useState<Busy>(null);

  const load = useCallback(() => {
    setState({ phase: 'loading' });
    linkState(token, lang).then((s) => {
      if (s.status === 'pending') setState({ phase: 'open' });
      else if (s.status === 'expired') setState({ phase: 'expired' });
      else setState({ phase: 'answered', status: s.status, justNow: false, alertId: null, located: false });
    }, (err: unknown) => setState(isGone(err) ? { phase: 'expired' } : { phase: 'failed', message: failureMessage(err, lang) }));
  }, [token]);

  useEffect(load, [load]);

  const answer = useCallback(async (choice: Answer) => {
    let at: { lat: number; lon: number } | null = null;
    if (choice === 'need_help') {
      setBusy('locating');
      at = await currentPosition();
    }
    setBusy(choice === 'fine' ? 'fine' : 'sending');
    try {
      const r = await answerLink(token, choice, at, lang);
      setState({ phase: 'answered', status: choice, justNow: true, alertId: r.alertId, located: at !== null });
    } catch (err) {
      if (isAnswered(err)) load();
      else setState(isGone(err) ? { phase: 'expired' } : { phase: 'failed', message: failureMessage(err, lang) });
    } finally {
      setBusy(null);
    }
  }, [token, lang, load]);

  return { state, busy, answer, reload: load };
}
