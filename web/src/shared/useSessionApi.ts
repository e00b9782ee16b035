import { useMemo, useRef } from 'preact/hooks';
import { sessionCaller, type SessionCall } from './dispatchApi.js';
import type { Lang } from './types.js';

/**
 * A page's calls for one signed-in session: made once per token, always in the current language;
 * a refused token ends the session through the latest `onExpired`.
 */
export function useSessionApi<A>(make: (call: SessionCall) => A, token: string, lang: Lang, onExpired: () => void): A {
  const langRef = useRef(lang);
  langRef.current = lang;
  const expired = useRef(onExpired);
  expired.current = onExpired;
  return useMemo(() => make(sessionCaller(token, () => langRef.current, () => expired.current())), [token]);
}
