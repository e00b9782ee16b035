import { useCallback, useState } from 'preact/hooks';
import { ApiError, NetworkError } from '../shared/api.js';
import { common } from '../shared/i18n.js';
import type { Lang } from '../shared/types.js';

/** Words for a failed call: the server's own message (already in the page's language) if any. */
export function failureMessage(err: unknown, lang: Lang): string {
  if (err instanceof ApiError && err.message) return err.message;
  if (err instanceof NetworkError) return common[lang].networkError;
  return common[lang].genericError;
}

/** One button's call at a time, with its error kept for display. */
export function useAction(lang: Lang) {
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const run = useCallback(async <T>(name: string, task: () => Promise<T>): Promise<T | undefined> => {
    setBusy(name);
    setError(null);
    try {
      return await task();
    } catch (err) {
      setError(failureMessage(err, lang));
      return undefined;
    } finally {
      setBusy(null);
    }
  }, [lang]);
  const clear = useCallback(() => setError(null), []);
  return { busy, error, run, clear };
}
