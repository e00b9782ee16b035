import { useMemo, useRef } from 'preact/hooks';
import { ApiError, type AuthOptions } from './api.js';
import { sessionCaller, type SessionCall } from './dispatchApi.js';
import type { Lang } from './types.js';

/**
 * A page's calls for one signed-in session: made once per token, always in the current language;
 * a refused token ends the session through the latest `onExpired` — as does a session the server
 * says must change its password first (it goes back to sign-in, where the change is asked for).
 */
export function useSessionApi<A>(make: (call: SessionCall) => A, token: string, lang: Lang, onExpired: () => void): A {
  const langRef = useRef(lang);
  langRef.current = lang;
  const expired = useRef(onExpired);
  expired.current = onExpired;
  return useMemo(() => {
    const expire = () => expired.current();
    const base = sessionCaller(token, () => langRef.current, expire);
    const call: SessionCall = async <T>(fn: (opts: AuthOptions) => Promise<T>, signal?: AbortSignal): Promise<T> => {
      try {
        return await base(fn, signal);
      } catch (err) {
        if (err instanceof ApiError && err.code === 'PASSWORD_CHANGE_REQUIRED') expire();
        throw err;
      }
    };
    return make(call);
  }, [token]);
}
