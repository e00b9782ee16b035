import { useEffect } from 'preact/hooks';

/**
 * Keeps the screen on while `active` (on duty): a phone that locks its screen suspends the page,
 * and a suspended page cannot ring. The browser drops the lock when the page is hidden, so it is
 * taken again whenever the page becomes visible.
 */
export function useWakeLock(active: boolean): void {
  useEffect(() => {
    if (!active || !('wakeLock' in navigator)) return;
    let sentinel: WakeLockSentinel | null = null;
    let live = true;
    const acquire = () => {
      if (document.visibilityState !== 'visible') return;
      navigator.wakeLock.request('screen').then((s) => {
        if (live) sentinel = s;
        else void s.release();
      }, () => undefined);
    };
    acquire();
    document.addEventListener('visibilitychange', acquire);
    return () => {
      live = false;
      document.removeEventListener('visibilitychange', acquire);
      void sentinel?.release();
    };
  }, [active]);
}
