// Append-only record of what staff did: who, when, what, to which target.
import type { Clock } from '../kernel/index.js';
import type { Db } from '../storage/index.js';

export interface AuditEntry {
  id: number;
  at: string;
  actorId: string | null;
  action: string;
  target: string | null;
  details: Record<string, unknown>;
}

export class AuditLog {
  constructor(private db: Db, private clock: Clock) {}

  async record(actorId: string | null, action: string, target: string | null, details: unknown = {}, db: Db = this.db): Promise<void> {
    await db.insertInto('audit_log')
      .values({ at: this.clock.now().getTime(), actor_id: actorId, action, target, details: JSON.stringify(details) })
      .execute();
  }

  /** Entries of one action since `since` (epoch ms), newest first: how other contexts read what they recorded. */
  async ofAction(action: string, since: number, limit: number): Promise<{ at: number; target: string | null; details: unknown }[]> {
    const rows = await this.db.selectFrom('audit_log').select(['at', 'target', 'details'])
      .where('at', '>=', since).where('action', '=', action).orderBy('at', 'desc').limit(limit).execute();
    return rows.map((r) => ({ at: Number(r.at), target: r.target, details: JSON.parse(r.details) as unknown }));
  }

  async list(opts: { limit: number; before?: number | undefined }): Promise<AuditEntry[]> {
    let q = this.db.selectFrom('audit_log').selectAll().orderBy('id', 'desc').limit(opts.limit);
    if (opts.before !== undefined) q = q.where('id', '<', opts.before);
    const rows = await q.execute();
    return rows.map((r) => ({
      id: r.id, at: new Date(r.at).toISOString(), actorId: r.actor_id, action: r.action, target: r.target,
      details: JSON.parse(r.details) as Record<string, unknown>,
    }));
  }
}

export { AuditRetention } from './retention.js';
