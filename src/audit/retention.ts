// Retention of the audit log (the job is src/retention): entries older than `audit` days.
import type { Db } from '../storage/index.js';

export class AuditRetention {
  constructor(private db: Db) {}

  async deleteBefore(cutoff: number, limit: number): Promise<number> {
    const r = await this.db.deleteFrom('audit_log').where('id', 'in', (eb) => eb.selectFrom('audit_log').select('id')
      .where('at', '<', cutoff).limit(limit)).executeTakeFirst();
    return Number(r.numDeletedRows);
  }
}
