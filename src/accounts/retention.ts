// Retention of sign-in tokens (the job is src/retention): a token is kept `tokens` days after it
// ended (expired or revoked), for the audit of who was signed in when; a live token is never touched.
import type { Db } from '../storage/index.js';

export class AccountsRetention {
  constructor(private db: Db) {}

  async deleteTokensEndedBefore(cutoff: number, limit: number): Promise<number> {
    // Both columns are indexed (auth_tokens_expiry, auth_tokens_revoked): each side of the OR is a range.
    const r = await this.db.deleteFrom('auth_tokens').where('token_hash', 'in', (eb) => eb.selectFrom('auth_tokens').select('token_hash')
      .where((w) => w.or([w('expires_at', '<', cutoff), w('revoked_at', '<', cutoff)]))
      .limit(limit)).executeTakeFirst();
    return Number(r.numDeletedRows);
  }
}
