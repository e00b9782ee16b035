// Sign-in guessing, slowed before any password is hashed (a refused try costs no scrypt).
//
// Three counters, each with growing but bounded delays (GuessThrottle, in the database: shared by
// instances, kept across restarts):
// - per (account, network), strict: whoever guesses one account from one place is slowed to one
//   try per 15 minutes, and the count is remembered for a day. A success clears it.
// - per network across accounts: a sweep (one password tried on many accounts) from one place.
//   Never cleared by a success (one right password does not excuse a sweep); forgotten after 1 h.
// - per account across networks, loose (≤ 1 minute): a guesser spread over many networks. This is
//   the only counter an attacker elsewhere can raise against a real user, so it is bounded low, and
//   on a network where the account signed in successfully within 30 days (the operations centre,
//   the officer's usual phone network) it counts only that network's own failures: an attacker
//   hammering a dispatcher's account from outside never delays the dispatcher at their desk.
//
// Refusals are also remembered in this process until they run out, so a guesser spinning on 429s
// costs a map look-up per try, not database reads; and tries of one key are checked one at a time
// (else 20 parallel tries would all pass before the first failure is recorded).
import type { ServerSecrets } from '../config/index.js';
import { DomainError, type Clock } from '../kernel/index.js';
import { GuessThrottle, type Backoff, type GuessPolicy, type Limit, type RateLimiter } from '../limits/index.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** A policy with one counter: checked with no network key, so its `network` side is never read. */
const single = (name: string, windowMs: number, backoff: Backoff): GuessPolicy => ({ name, windowMs, target: backoff, network: backoff });

/** Per (account, network): 5 free failures, then 1 s doubling to 15 min; remembered 24 h; a success clears it. */
export const LOGIN_PAIR_POLICY = single('login.pair', 24 * HOUR, { free: 5, baseMs: 1000, maxMs: 15 * MINUTE });
/** Per network over every account: 20 free failures an hour, then 1 s doubling to 5 min. */
export const LOGIN_NETWORK_POLICY = single('login.network', HOUR, { free: 20, baseMs: 1000, maxMs: 5 * MINUTE });
/** Per account over every network it has not signed in from lately: 10 free an hour, then 1 s doubling to 1 min. */
export const LOGIN_ACCOUNT_POLICY = single('login.account', HOUR, { free: 10, baseMs: 1000, maxMs: MINUTE });

/** Tries checked at once per key in this process (the ops centre's shift change may sign several people in together). */
const IN_FLIGHT = { pair: 1, account: 1, network: 8 } as const;
/** Refusals remembered in memory at most (oldest forgotten first; the database still holds them). */
const MAX_REMEMBERED = 50_000;

/** Networks an account signed in from lately: there the account-wide counter is the network's own. */
const KNOWN_NETWORK: Limit = { scope: 'login.known', max: 1_000_000, windowMs: 30 * 24 * HOUR };

type Counter = 'pair' | 'account' | 'network';

export class SignInThrottle {
  private readonly throttles: Record<Counter, GuessThrottle>;
  private readonly inFlight = new Map<string, number>();
  /** `${counter}:${key}` → until when tries are refused (clock ms). */
  private readonly refusedUntil = new Map<string, number>();

  constructor(private limiter: RateLimiter, private secrets: ServerSecrets, private clock: Clock) {
    this.throttles = {
      pair: new GuessThrottle(limiter, LOGIN_PAIR_POLICY),
      account: new GuessThrottle(limiter, LOGIN_ACCOUNT_POLICY),
      network: new GuessThrottle(limiter, LOGIN_NETWORK_POLICY),
    };
  }

  /**
   * Throws RATE_LIMITED (seconds to wait) when this try must wait; otherwise holds its place until
   * the returned release is called — after failed() or succeeded(), so the next try sees the verdict.
   * `username` is normalised; `networkKey` is req.networkKey (null: no network, e.g. a test).
   */
  async begin(username: string, networkKey: string | null): Promise<SignInTry> {
    // The username is a keyed hash (people type passwords into the username box).
    const account = this.secrets.hash('login-account', username);
    const pair = networkKey ? `${account}.${networkKey}` : null;
    const cheap: [Counter, string][] = [...(pair ? [['pair', pair] as [Counter, string]] : []), ...(networkKey ? [['network', networkKey] as [Counter, string]] : [])];
    this.refuseRemembered(cheap);
    const known = pair ? (await this.limiter.peek(KNOWN_NETWORK, pair)).count > 0 : false;
    const accountWide = known && pair ? pair : account;
    const counters: [Counter, string][] = [...cheap, ['account', accountWide]];
    this.refuseRemembered(counters);

    const verdicts = await Promise.allSettled(counters.map(([c, key]) => this.throttles[c].check(key, null)));
    let refusal: DomainError | null = null;
    verdicts.forEach((v, i) => {
      if (v.status === 'fulfilled') return;
      if (!(v.reason instanceof DomainError)) throw v.reason;
      const seconds = Number(v.reason.params.seconds);
      this.remember(counters[i]!, seconds);
      // Several may refuse: the longest wait is the true one.
      if (!refusal || seconds > Number(refusal.params.seconds)) refusal = v.reason;
    });
    if (refusal) throw refusal;

    // No await between the check and taking the slots: two tries cannot both take the last one.
    const slots = counters.map(([c, key]) => [`${c}:${key}`, IN_FLIGHT[c]] as const);
    if (slots.some(([key, max]) => (this.inFlight.get(key) ?? 0) >= max)) throw new DomainError('RATE_LIMITED', { seconds: 1 });
    for (const [key] of slots) this.inFlight.set(key, (this.inFlight.get(key) ?? 0) + 1);
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      for (const [key] of slots) {
        const n = (this.inFlight.get(key) ?? 1) - 1;
        if (n <= 0) this.inFlight.delete(key); else this.inFlight.set(key, n);
      }
    };

    return {
      known,
      release,
      failed: async () => {
        await Promise.all(counters.map(([c, key]) => this.throttles[c].failed(key, null)));
      },
      // Clears this place's failures for the account (never the network's) and remembers the network.
      succeeded: async () => {
        if (!pair) return;
        await Promise.all([
          this.throttles.pair.succeeded(pair),
          accountWide === pair ? this.throttles.account.succeeded(pair) : Promise.resolve(),
          this.limiter.hit(KNOWN_NETWORK, pair),
        ]);
      },
    };
  }

  private refuseRemembered(counters: readonly [Counter, string][]): void {
    const now = this.clock.now().getTime();
    let until = 0;
    for (const [c, key] of counters) {
      const t = this.refusedUntil.get(`${c}:${key}`);
      if (t === undefined) continue;
      if (t <= now) this.refusedUntil.delete(`${c}:${key}`);
      else until = Math.max(until, t);
    }
    if (until > now) throw new DomainError('RATE_LIMITED', { seconds: Math.ceil((until - now) / 1000) });
  }

  private remember([c, key]: [Counter, string], seconds: number): void {
    if (!Number.isFinite(seconds) || seconds <= 0) return;
    const id = `${c}:${key}`;
    this.refusedUntil.delete(id); // re-inserted last: the Map's order is oldest first
    this.refusedUntil.set(id, this.clock.now().getTime() + seconds * 1000);
    if (this.refusedUntil.size > MAX_REMEMBERED) this.refusedUntil.delete(this.refusedUntil.keys().next().value!);
  }
}

/** One try in progress: record its verdict, then release its place. */
export interface SignInTry {
  /** The account signed in from this network lately: its hash goes ahead of strangers' (passwords.ts). */
  known: boolean;
  failed(): Promise<void>;
  succeeded(): Promise<void>;
  release(): void;
}
