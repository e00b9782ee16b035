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

  /**
   * Counts this try against the target and the network and throws RATE_LIMITED (with the seconds
   * to wait) when it came too soon after the tries before it. Call it before checking the secret,
   * then `succeeded` when the secret was right. Every try counts until it succeeds, so a burst of
   * parallel guesses cannot all pass before the first failure is recorded.
   */
  async attempt(targetKey: string, networkKey: string | null): Promise<void> {
    const none = { tries: 0, waitMs: 0, undo: () => Promise.resolve() };
    const [t, n] = await Promise.all([
      this.limiter.attempt(this.target, targetKey, this.policy.target),
      networkKey ? this.limiter.attempt(this.network, networkKey, this.policy.network) : Promise.resolve(none),
    ]);
    const wait = Math.max(t.waitMs, n.waitMs);
    if (wait > 0) {
      // A refused try is not a guess: it is taken back from both counters.
      await Promise.all([t.undo(), n.undo()]);
      throw new DomainError('RATE_LIMITED', { seconds: Math.ceil(wait / 1000) });
    }
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

  /**
   * A right guess clears the target's failures and takes this one try back from the network (after
   * `attempt`), so honest users on a shared network spend nothing — but a success does not clear the
   * network's other failures: one success does not excuse a sweep.
   */
  async succeeded(targetKey: string, networkKey: string | null = null): Promise<void> {
    await Promise.all([
      this.limiter.reset(this.target, targetKey),
      networkKey ? this.limiter.takeBack(this.network, networkKey) : Promise.resolve(),
    ]);
  }
}
