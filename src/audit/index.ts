// Append-only record of what staff did: who, when, what, to which target.
import type { Clock } from '../kernel/index.js';
import type { Db } from '../storage/index.js';

export interface AuditEntry {
  id: number;
  at: string;
  actorId: string | null;
  action: string;
  target: string | null;
  details: unknown;
}

export class AuditLog {
  constructor(private db: Db, private clock: Clock) {}

  async record(actorId: string | null, action: string, target: string | null, details: unknown = {}, db: Db = this.db): Promise<void> {
    await db.insertInto('audit_log')
      .values({ at: this.clock.now().getTime(), actor_id: actorId, action, target, details: JSON.stringify(details) })
      .execute();
  }

  async list(opts: { limit: number; before?: number | undefined }): Promise<AuditEntry[]> {
    let q = this.db.selectFrom('audit_log').selectAll().orderBy('id', 'desc').limit(opts.limit);
    if (opts.before !== undefined) q = q.where('id', '<', opts.before);
    const rows = await q.execute();
    return rows.map((r) => ({
      id: r.id, at: new Date(r.at).toISOString(), actorId: r.actor_id, action: r.action, target: r.target,
      details: JSON.parse(r.details) as unknown,
    }));
  }
}
