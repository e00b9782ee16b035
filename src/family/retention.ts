// Retention of check-ins (the job is src/retention): bounded deletes over this context's own
// table, safe to run from several instances at once.
import type { Db } from '../storage/index.js';

export class FamilyRetention {
  constructor(private db: Db) {}

  /**
   * Check-ins that ended before `cutoff`: answered then, or expired then (whatever their stored
   * status: an unanswered one is "expired" once past expires_at). A pending one is never touched.
   */
  async deleteCheckinsEndedBefore(cutoff: number, limit: number): Promise<number> {
    // A check-in that ended before the cutoff was created before it: the checkins_created range.
    const r = await this.db.deleteFrom('checkins').where('id', 'in', (eb) => eb.selectFrom('checkins').select('id')
      .where('created_at', '<', cutoff)
      .where((w) => w.or([w('expires_at', '<', cutoff), w('answered_at', '<', cutoff)]))
      .limit(limit)).executeTakeFirst();
    return Number(r.numDeletedRows);
  }
}
