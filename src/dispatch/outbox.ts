// The 911/C5 hand-off's durable queue: one row per (alert, event), written in the same transaction
// as the alert (storage.ts), posted by WebhookSender (webhook.ts). A sender claims a row with a
// lease before posting it — a compare-and-set on `locked_until` — so two senders (two instances on
// one database, or a restarted one while its old requests are still open) never post one row at
// the same time; a lease that expires (a crashed sender) makes the row claimable again.
// Every lease is later than the one before it on the same row (a row is claimed only once its lease
// is over), so the lease's end time is also its owner's token for the updates that follow.
import type { Db } from '../storage/index.js';

export interface OutboxRow {
  id: number;
  alertId: string;
  event: string;
  payload: string;
  /** Attempts so far, this one included (counted when claimed, so a crash mid-request counts). */
  attempts: number;
  createdAt: number;
  /** The lease this claim holds: its owner's token for markDelivered/markFailed/release. */
  lease: number;
}

/** Rows never tried (`fresh`) are claimed apart from rows being retried, so a backlog of failing
 * rows can be given fewer request slots than new escalations. */
export type OutboxClass = 'fresh' | 'retry';

export class OutboxStore {
  constructor(private db: Db) {}

  /**
   * Claims up to `limit` undelivered rows that are due and not leased, until `leaseUntil`.
   * A read finds candidates (nothing is written when nothing is due — the safety poll's usual
   * case); the update takes only those still free, on either engine: SQLite runs one writer at a
   * time, and PostgreSQL re-checks the conditions on the row it locked.
   */
  async claim(now: number, leaseUntil: number, limit: number, cls: OutboxClass): Promise<OutboxRow[]> {
    if (limit <= 0) return [];
    const candidates = await this.db.selectFrom('webhook_outbox').select('id')
      .where('delivered_at', 'is', null).where('next_attempt_at', '<=', now)
      .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<=', now)]))
      .where('attempts', cls === 'fresh' ? '=' : '>', 0)
      .orderBy('next_attempt_at').orderBy('id').limit(limit).execute();
    if (candidates.length === 0) return [];
    const rows = await this.db.updateTable('webhook_outbox')
      .set((eb) => ({ locked_until: leaseUntil, attempts: eb('attempts', '+', 1) }))
      .where('id', 'in', candidates.map((c) => c.id))
      .where('delivered_at', 'is', null).where('next_attempt_at', '<=', now)
      .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<=', now)]))
      .returning(['id', 'alert_id', 'event', 'payload', 'attempts', 'created_at', 'next_attempt_at'])
      .execute();
    return rows
      .map((r) => ({ id: Number(r.id), alertId: r.alert_id, event: r.event, payload: r.payload, attempts: Number(r.attempts), createdAt: Number(r.created_at ?? r.next_attempt_at), lease: leaseUntil }))
      .sort((a, b) => a.id - b.id);
  }

  /** The receiver accepted it. Recorded even if the lease was lost meanwhile: it is true either way. */
  async markDelivered(row: OutboxRow, at: number): Promise<void> {
    await this.db.updateTable('webhook_outbox').set({ delivered_at: at, locked_until: null })
      .where('id', '=', row.id).where('delivered_at', 'is', null).execute();
  }

  /** Not accepted: try again at `nextAttemptAt` — unless another sender has taken the row over. */
  async markFailed(row: OutboxRow, error: string, nextAttemptAt: number): Promise<void> {
    await this.db.updateTable('webhook_outbox').set({ last_error: error.slice(0, 500), next_attempt_at: nextAttemptAt, locked_until: null })
      .where('id', '=', row.id).where('locked_until', '=', row.lease).where('delivered_at', 'is', null).execute();
  }

  /** Gives a claimed row back (the sender is stopping mid-request): claimable again at once. */
  async release(row: OutboxRow): Promise<void> {
    await this.db.updateTable('webhook_outbox').set({ locked_until: null })
      .where('id', '=', row.id).where('locked_until', '=', row.lease).where('delivered_at', 'is', null).execute();
  }

  /** When the next undelivered row becomes due after `now` (null: none waiting), for the retry timer. */
  async nextDueAfter(now: number): Promise<number | null> {
    const r = await this.db.selectFrom('webhook_outbox').select((eb) => eb.fn.min('next_attempt_at').as('at'))
      .where('delivered_at', 'is', null).where('next_attempt_at', '>', now).executeTakeFirst();
    return r?.at === null || r?.at === undefined ? null : Number(r.at);
  }

  /** A hand-off's state, for tests, benchmarks and diagnostics. */
  async find(alertId: string, event: string) {
    const r = await this.db.selectFrom('webhook_outbox').selectAll().where('alert_id', '=', alertId).where('event', '=', event).executeTakeFirst();
    return r && {
      id: Number(r.id), attempts: Number(r.attempts), nextAttemptAt: Number(r.next_attempt_at), deliveredAt: r.delivered_at === null ? null : Number(r.delivered_at),
      lastError: r.last_error, lockedUntil: r.locked_until === null ? null : Number(r.locked_until),
    };
  }
}
