// Slows down guessing of anything secret a person types: passwords, cancel PINs, the family code
// word, dispute attempts. Failures are counted per target (the account, the device) and per network
// with growing delays — a guesser is slowed to a crawl, but the delay is bounded and each target's
// counter is separate from the network's, so nobody can lock an account (or a dispatcher) out for
// good by failing on purpose from elsewhere. Counts live in the database (limits survive restarts
// and are shared by instances).
import { DomainError } from '../kernel/index.js';
import type { RateLimiter } from './limiter.js';
import type { Backoff, Limit } from './domain/window.js';

export interface GuessPolicy {
  /** Stable name, e.g. "login"; the two counters are `${name}.target` and `${name}.network`. */
  name: string;
  /** How long failures are remembered. */
  windowMs: number;
  target: Backoff;
  network: Backoff;
}

export class GuessThrottle {
  private readonly target: Limit;
  private readonly network: Limit;

  constructor(private limiter: RateLimiter, private policy: GuessPolicy) {
    // max is not a cap here (delays are): a large one keeps the estimate honest.
    this.target = { scope: `${policy.name}.target`, max: 1_000_000, windowMs: policy.windowMs };
    this.network = { scope: `${policy.name}.network`, max: 1_000_000, windowMs: policy.windowMs };
  }

  /** Throws RATE_LIMITED (with the seconds to wait) when the next try must wait. Call before checking the secret. */
  async check(targetKey: string, networkKey: string | null): Promise<void> {
    const [t, n] = await Promise.all([
      this.limiter.backoff(this.target, targetKey, this.policy.target),
      networkKey ? this.limiter.backoff(this.network, networkKey, this.policy.network) : Promise.resolve({ failures: 0, waitMs: 0 }),
    ]);
    const wait = Math.max(t.waitMs, n.waitMs);
    if (wait > 0) throw new DomainError('RATE_LIMITED', { seconds: Math.ceil(wait / 1000) });
  }

  /** Records a wrong guess. */
  async failed(targetKey: string, networkKey: string | null): Promise<void> {
    await Promise.all([
      this.limiter.hit(this.target, targetKey),
      networkKey ? this.limiter.hit(this.network, networkKey) : Promise.resolve(),
    ]);
  }

  /** A right guess clears the target's failures (not the network's: one success does not excuse a sweep). */
  async succeeded(targetKey: string): Promise<void> {
    await this.limiter.reset(this.target, targetKey);
  }
}
