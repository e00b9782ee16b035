import { useCallback, useEffect, useRef, useState } from 'preact/hooks';

export type Loaded<T> =
  | { status: 'loading'; data: T | null }
  | { status: 'done'; data: T }
  | { status: 'failed'; data: T | null; error: unknown };

/**
 * Loads once per change of `key`, keeping the previous data while reloading (no flicker on
 * refresh). A late answer for an older key is dropped.
 */
export function useLoad<T>(load: () => Promise<T>, key: string) {
  const [state, setState] = useState<Loaded<T>>({ status: 'loading', data: null });
  const loader = useRef(load);
  loader.current = load;
  const generation = useRef(0);

  const reload = useCallback(() => {
    const mine = ++generation.current;
    setState((s) => ({ status: 'loading', data: s.data }));
    loader.current().then(
      (data) => { if (mine === generation.current) setState({ status: 'done', data }); },
      (error: unknown) => { if (mine === generation.current) setState((s) => ({ status: 'failed', data: s.data, error })); },
    );
  }, []);

  useEffect(reload, [key, reload]);
  return { ...state, reload, set: (data: T) => setState({ status: 'done', data }) };
}
