// Open-loop load: requests go out on a schedule whether or not earlier ones have been answered,
// so a slow server shows up as latency (queueing included) instead of as a lower send rate, as
// it would with a closed loop of N connections. The schedule is either fixed (evenly spaced) or
// Poisson (random, exponential gaps): a probe beside a fixed-rate load should be Poisson, or it
// would always land at the same moment of the load's cycle (e.g. together with a request).
import type { Rng } from './prng.js';

export interface OpenLoopOptions {
  /** Requests per second. */
  rate: number;
  durationSeconds: number;
  /** Called once per scheduled slot, in order; must not block (start the request and return). */
  fire: (seq: number) => void;
  /** Random (Poisson) arrivals drawn from this generator instead of evenly spaced ones. */
  poisson?: Rng;
}

export interface OpenLoopResult {
  sent: number;
  /** From the first slot to the last call of fire, ms. */
  elapsedMs: number;
  /** How late each call of fire was against its slot, ms (the generator's own delay). */
  lagMs: Float64Array;
}

/** Slot times in ms from the start. */
function schedule(opts: OpenLoopOptions): Float64Array {
  const total = Math.max(1, Math.round(opts.rate * opts.durationSeconds));
  const at = new Float64Array(total);
  const mean = 1000 / opts.rate;
  let t = 0;
  for (let i = 0; i < total; i++) {
    if (opts.poisson) {
      at[i] = t;
      t += -Math.log(1 - opts.poisson()) * mean;
    } else {
      at[i] = i * mean;
    }
  }
  return at;
}

export function openLoop(opts: OpenLoopOptions): Promise<OpenLoopResult> {
  const at = schedule(opts);
  const total = at.length;
  const lag = new Float64Array(total);
  const t0 = performance.now();
  let i = 0;
  return new Promise((done) => {
    const tick = () => {
      const now = performance.now();
      while (i < total && t0 + at[i]! <= now) {
        lag[i] = performance.now() - (t0 + at[i]!);
        opts.fire(i);
        i++;
      }
      if (i < total) setTimeout(tick, Math.max(0, t0 + at[i]! - performance.now()));
      else done({ sent: total, elapsedMs: performance.now() - t0, lagMs: lag });
    };
    tick();
  });
}
