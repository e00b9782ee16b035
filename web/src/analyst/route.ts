import { useEffect, useState } from 'preact/hooks';

// The desk's views live in the URL fragment, so the browser's back button and a pasted link
// (e.g. #numero/+525512345678 sent to a colleague) open the same view.

export type Tab = 'queue' | 'disputes' | 'protected' | 'campaigns' | 'stats';
export type Route = { view: Tab } | { view: 'number'; number: string };

export const TABS: readonly Tab[] = ['queue', 'disputes', 'protected', 'campaigns', 'stats'];

const SLUGS: Record<Tab, string> = { queue: 'cola', disputes: 'disputas', protected: 'protegidos', campaigns: 'campanas', stats: 'estadisticas' };

export function parseRoute(hash: string): Route {
  const raw = hash.replace(/^#/, '');
  if (raw.startsWith('numero/')) {
    const number = decodeURIComponent(raw.slice('numero/'.length));
    if (number) return { view: 'number', number };
  }
  const tab = TABS.find((t) => SLUGS[t] === raw);
  return { view: tab ?? 'queue' };
}

export function routeHash(route: Route): string {
  return route.view === 'number' ? `#numero/${encodeURIComponent(route.number)}` : `#${SLUGS[route.view]}`;
}

export function useRoute(): [Route, (r: Route) => void] {
  const [route, setRoute] = useState(() => parseRoute(location.hash));
  useEffect(() => {
    const onHash = () => setRoute(parseRoute(location.hash));
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);
  const go = (r: Route) => { location.hash = routeHash(r); };
  return [route, go];
}
