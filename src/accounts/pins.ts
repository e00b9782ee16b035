// A citizen's cancel PIN and duress PIN. Cancelling with the duress PIN looks like a normal
// cancel on the phone while the alert silently continues; only hashes are stored.
//
// Whoever holds the phone must not defeat this: PIN guesses (on cancel and on change) are slowed
// per device and per network with bounded growing delays; changing PINs needs the current cancel
// PIN and is refused while an alert is open (as the phone sees it: a duress-cancelled alert looks
// closed, and refusing then would give it away). A change authorised with the duress PIN — the PIN
// a coercer saw typed — answers exactly like a real one, but stores the new PINs as decoys that
// act as duress PINs, leaving the real ones as they were: the coercer's "cancel PIN" never
// cancels anything.
import { DomainError, type Clock } from '../kernel/index.js';
import type { Db } from '../storage/index.js';
import { GuessThrottle, type GuessPolicy, type RateLimiter } from '../limits/index.js';
import { hashPassword, verifyPassword } from './passwords.js';

export type PinCheck = 'cancel' | 'duress' | 'wrong' | 'unset';

const PIN = /^\d{4,8}$/;
const MINUTE = 60_000;

/**
 * A 4-digit PIN has 10,000 values: past 3 free tries each one waits twice as long as the last, up
 * to 5 minutes (~70 tries in the 6 hours failures are remembered: weeks for half the space); per
 * network, a sweep over many devices. Bounded, so nobody locks a citizen out of cancelling for good.
 */
export const PIN_GUESSES: GuessPolicy = {
  name: 'pins',
  windowMs: 6 * 60 * MINUTE,
  target: { free: 3, baseMs: 2000, maxMs: 5 * MINUTE },
  network: { free: 30, baseMs: 1000, maxMs: MINUTE / 2 },
};

export interface PinChange {
  /** The current cancel PIN; required once PINs exist. */
  currentPin?: string | undefined;
  cancelPin: string;
  duressPin: string;
}

export class PinService {
  private readonly guesses: GuessThrottle;

  constructor(private db: Db, private clock: Clock, limiter: RateLimiter) {
    this.guesses = new GuessThrottle(limiter, PIN_GUESSES);
  }

  /**
   * Sets PINs. `locked` says whether the citizen has an alert open as their phone sees it (then:
   * PINS_LOCKED). Once PINs exist the current cancel PIN is needed (WRONG_PIN otherwise), and
   * guesses are throttled (RATE_LIMITED).
   */
  async change(userId: string, input: PinChange, networkKey: string | null, locked: () => Promise<boolean>): Promise<void> {
    const { cancelPin, duressPin } = input;
    if (!PIN.test(cancelPin) || !PIN.test(duressPin) || cancelPin === duressPin) throw new DomainError('INVALID_PINS');
    if (await locked()) throw new DomainError('PINS_LOCKED');
    const row = await this.row(userId);
    if (!row) { await this.store(userId, await hashPassword(cancelPin), await hashPassword(duressPin), null); return; }
    // A missing PIN is no guess (the page may not know PINs exist): refused, not counted.
    if (!input.currentPin || !PIN.test(input.currentPin)) throw new DomainError('WRONG_PIN');
    const current = await this.guessed(userId, row, input.currentPin, networkKey);
    if (current === 'wrong' || current === 'unset') throw new DomainError('WRONG_PIN');
    const [cancelHash, duressHash] = await Promise.all([hashPassword(cancelPin), hashPassword(duressPin)]);
    if (current === 'cancel') await this.store(userId, cancelHash, duressHash, row.decoy_pin_hashes ?? null);
    // Authorised with the duress PIN (or an earlier decoy): the new PINs become decoys only.
    else await this.store(userId, row.cancel_pin_hash, row.duress_pin_hash, JSON.stringify([cancelHash, duressHash]));
  }

  async has(userId: string): Promise<boolean> {
    return !!(await this.db.selectFrom('citizen_pins').select('user_id').where('user_id', '=', userId).executeTakeFirst());
  }

  /** A PIN typed to cancel an alert: throttled per device and network, failures counted. */
  async verify(userId: string, pin: string, networkKey: string | null): Promise<PinCheck> {
    const row = await this.row(userId);
    if (!row) return 'unset';
    return this.guessed(userId, row, pin, networkKey);
  }

  /** Which PIN this is, unthrottled (the service's own checks and tests). */
  async check(userId: string, pin: string): Promise<PinCheck> {
    const row = await this.row(userId);
    return row ? match(row, pin) : 'unset';
  }

  private async guessed(userId: string, row: PinRow, pin: string, networkKey: string | null): Promise<PinCheck> {
    // Counted before the hashes are checked: a burst of parallel guesses cannot all slip through.
    await this.guesses.attempt(userId, networkKey);
    const result = await match(row, pin);
    // The duress PIN succeeds exactly like the cancel PIN: nothing afterwards tells them apart.
    if (result !== 'wrong') await this.guesses.succeeded(userId, networkKey);
    return result;
  }

  private async row(userId: string): Promise<PinRow | undefined> {
    return this.db.selectFrom('citizen_pins').selectAll().where('user_id', '=', userId).executeTakeFirst();
  }

  private async store(userId: string, cancelHash: string, duressHash: string, decoys: string | null): Promise<void> {
    const row = { user_id: userId, cancel_pin_hash: cancelHash, duress_pin_hash: duressHash, decoy_pin_hashes: decoys, updated_at: this.clock.now().getTime() };
    await this.db.insertInto('citizen_pins').values(row)
      .onConflict((oc) => oc.column('user_id').doUpdateSet({
        cancel_pin_hash: row.cancel_pin_hash, duress_pin_hash: row.duress_pin_hash, decoy_pin_hashes: row.decoy_pin_hashes, updated_at: row.updated_at,
      }))
      .execute();
  }
}

interface PinRow { cancel_pin_hash: string; duress_pin_hash: string; decoy_pin_hashes?: string | null }

async function match(row: PinRow, pin: string): Promise<PinCheck> {
  const decoys = row.decoy_pin_hashes ? (JSON.parse(row.decoy_pin_hashes) as string[]) : [];
  // Every hash is always checked so the time taken does not tell which PIN was used.
  const [isCancel, isDuress, ...isDecoy] = await Promise.all([row.cancel_pin_hash, row.duress_pin_hash, ...decoys].map((h) => verifyPassword(pin, h)));
  return isDuress || isDecoy.some(Boolean) ? 'duress' : isCancel ? 'cancel' : 'wrong';
}
