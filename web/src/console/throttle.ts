/**
 * Calls `fn` with the latest arguments at most once per `ms`: the first call runs on the next
 * tick, later ones are folded into a single trailing call. A flood of realtime events thus
 * costs a few renders a second, not one per event.
 */
export function throttle<A extends unknown[]>(fn: (...args: A) => void, ms: number) {
  let last = -Infinity;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let pending: A | null = null;
  const run = () => {
    timer = null;
    last = performance.now();
    const args = pending!;
    pending = null;
    fn(...args);
  };
  const call = (...args: A) => {
    pending = args;
    if (timer) return;
    timer = setTimeout(run, Math.max(0, last + ms - performance.now()));
  };
  call.cancel = () => {
    if (timer) clearTimeout(timer);
    timer = null;
    pending = null;
  };
  return call;
}
