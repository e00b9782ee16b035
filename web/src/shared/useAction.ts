import { useCallback, useState } from 'preact/hooks';
import { failureMessage } from './errors.js';
import type { Lang } from './types.js';

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
