// Retention of position history (the job is src/retention): the same cut as TrackingService.purge
// (fix time older than CUADRANTE_POSITION_RETENTION_DAYS), in bounded batches — the largest table
// by far, so one unbounded delete would hold SQLite's writer (and the event loop) for seconds.
import type { Db } from '../storage/index.js';

export class TrackingRetention {
  constructor(private db: Db) {}

  async deletePositionsBefore(cutoff: number, limit: number): Promise<number> {
    const r = await this.db.deleteFrom('positions').where('id', 'in', (eb) => eb.selectFrom('positions').select('id')
      .where('fix_at', '<', cutoff).limit(limit)).executeTakeFirst();
    return Number(r.numDeletedRows);
  }
}
