// Retention of extortion reports (the job is src/retention; check-ins are src/family): bounded deletes over
// this context's own tables, safe to run from several instances at once.
import type { Db } from '../storage/index.js';

export class ExtortionRetention {
  constructor(private db: Db) {}

  /** Reports received before `cutoff`. The service's in-memory reputations must be reloaded after. */
  async deleteReportsBefore(cutoff: number, limit: number): Promise<number> {
    const r = await this.db.deleteFrom('extortion_reports').where('id', 'in', (eb) => eb.selectFrom('extortion_reports')
      .select('id').where('created_at', '<', cutoff).limit(limit)).executeTakeFirst();
    return Number(r.numDeletedRows);
  }
}
