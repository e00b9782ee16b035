// The event outbox (table event_outbox, migration 0007): events are written in the caller's
// transaction, so an event exists iff the change it reports committed; the relay (relay.ts) reads
// the unsent rows in `seq` order, publishes them and marks them sent.
import type { Db } from '../storage/index.js';
import type { BusEvent } from './types.js';
import { payloadJson } from './codec.js';

// 6 bound values a row: far below SQLite's 32,766 and PostgreSQL's 65,535 per statement.
const INSERT_CHUNK = 500;

/** Writes `events` in the given transaction (or database), in order. */
export async function appendEvents(trx: Db, events: readonly BusEvent[]): Promise<void> {
  for (let i = 0; i < events.length; i += INSERT_CHUNK) {
    const rows = events.slice(i, i + INSERT_CHUNK).map((e) => ({
      id: e.id, subject: e.subject, payload: payloadJson(e), created_at: e.at, sent_at: null,
    }));
    await trx.insertInto('event_outbox').values(rows).execute();
  }
}

export interface OutboxRow {
  seq: number;
  id: string;
  subject: string;
  /** JSON, as stored. */
  payload: string;
  at: number;
}

export class EventOutbox {
  constructor(private readonly db: Db) {}

  /** The oldest unsent rows, in the order they were written. */
  async unsent(limit: number): Promise<OutboxRow[]> {
    const rows = await this.db.selectFrom('event_outbox').select(['seq', 'id', 'subject', 'payload', 'created_at'])
      .where('sent_at', 'is', null).orderBy('seq').limit(limit).execute();
    return rows.map((r) => ({ seq: Number(r.seq), id: r.id, subject: r.subject, payload: r.payload, at: Number(r.created_at) }));
  }

  /** Marks rows sent (a row another relay already marked keeps its first time). */
  async markSent(seqs: readonly number[], at: number): Promise<void> {
    if (seqs.length === 0) return;
    await this.db.updateTable('event_outbox').set({ sent_at: at })
      .where('seq', 'in', [...seqs]).where('sent_at', 'is', null).execute();
  }

  /** Deletes up to `limit` rows sent before `before`; answers how many. */
  async pruneSent(before: number, limit: number): Promise<number> {
    const res = await this.db.deleteFrom('event_outbox')
      .where('seq', 'in', (eb) => eb.selectFrom('event_outbox').select('seq')
        .where('sent_at', 'is not', null).where('sent_at', '<', before).orderBy('seq').limit(limit))
      .executeTakeFirst();
    return Number(res.numDeletedRows);
  }

  /** How many rows wait to be published (diagnostics, tests). */
  async backlog(): Promise<number> {
    const r = await this.db.selectFrom('event_outbox').select((eb) => eb.fn.countAll<number>().as('n'))
      .where('sent_at', 'is', null).executeTakeFirst();
    return Number(r?.n ?? 0);
  }
}
