import { useEffect, useState } from 'preact/hooks';
import { serverNow } from './clock.js';

/** The server's current time, refreshed every `ms` while `active` (countdowns, ages). */
export function useNow(ms = 1000, active = true): number {
  const [now, setNow] = useState(serverNow);
  useEffect(() => {
    if (!active) return;
    setNow(serverNow());
    const timer = setInterval(() => setNow(serverNow()), ms);
    return () => clearInterval(timer);
  }, [ms, active]);
  return now;
}
