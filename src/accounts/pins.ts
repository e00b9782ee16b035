// A citizen's cancel PIN and duress PIN. Cancelling with the duress PIN looks like a normal
// cancel on the phone while the alert silently continues; only hashes are stored.
import { DomainError, type Clock } from '../kernel/index.js';
import type { Db } from '../storage/index.js';
import { hashPassword, verifyPassword } from './passwords.js';

export type PinCheck = 'cancel' | 'duress' | 'wrong' | 'unset';

const PIN = /^\d{4,8}$/;

export class PinService {
  constructor(private db: Db, private clock: Clock) {}

  async set(userId: string, cancelPin: string, duressPin: string): Promise<void> {
    if (!PIN.test(cancelPin) || !PIN.test(duressPin) || cancelPin === duressPin) throw new DomainError('INVALID_PINS');
    const row = { user_id: userId, cancel_pin_hash: await hashPassword(cancelPin), duress_pin_hash: await hashPassword(duressPin), updated_at: this.clock.now().getTime() };
    await this.db.insertInto('citizen_pins').values(row)
      .onConflict((oc) => oc.column('user_id').doUpdateSet({ cancel_pin_hash: row.cancel_pin_hash, duress_pin_hash: row.duress_pin_hash, updated_at: row.updated_at }))
      .execute();
  }

  async has(userId: string): Promise<boolean> {
    return !!(await this.db.selectFrom('citizen_pins').select('user_id').where('user_id', '=', userId).executeTakeFirst());
  }

  async check(userId: string, pin: string): Promise<PinCheck> {
    const row = await this.db.selectFrom('citizen_pins').selectAll().where('user_id', '=', userId).executeTakeFirst();
    if (!row) return 'unset';
    // Both hashes are always checked so the time taken does not tell which PIN was used.
    const [isCancel, isDuress] = await Promise.all([verifyPassword(pin, row.cancel_pin_hash), verifyPassword(pin, row.duress_pin_hash)]);
    return isDuress ? 'duress' : isCancel ? 'cancel' : 'wrong';
  }
}
