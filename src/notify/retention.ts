// Retention of the SMS outbox (the job is src/retention): messages are kept only while they may
// still be sent, and then `notifications` days for support questions ("did my contact get it?").
import type { Db } from '../storage/index.js';

/** The sender gives a message up after this many attempts (Notifier uses this constant). */
export const NOTIFY_GIVE_UP_ATTEMPTS = 10;

export class NotifyRetention {
  constructor(private db: Db) {}

  /**
   * Messages sent before `cutoff`, and messages created before it that will never be sent: given
   * up by the sender or, with no SMS provider configured (`undeliverable`), never sendable at all.
   * A message the sender may still retry is never deleted.
   */
  async deleteFinishedBefore(cutoff: number, limit: number, undeliverable: boolean): Promise<number> {
    const r = await this.db.deleteFrom('notifications').where('id', 'in', (eb) => eb.selectFrom('notifications').select('id')
      .where((w) => {
        const unsent = [w('sent_at', 'is', null), w('created_at', '<', cutoff)];
        return w.or([
          w('sent_at', '<', cutoff),
          w.and(undeliverable ? unsent : [...unsent, w('attempts', '>=', NOTIFY_GIVE_UP_ATTEMPTS)]),
        ]);
      })
      .limit(limit)).executeTakeFirst();
    return Number(r.numDeletedRows);
  }
}
