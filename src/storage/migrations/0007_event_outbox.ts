import { sql, type Kysely } from 'kysely';
import { autoId } from './dialect.js';

// The event bus's outbox (src/bus/outbox.ts): every domain event is written here in the same
// transaction as the change it reports, and the relay (src/bus/relay.ts) publishes it to JetStream.
// - `seq` orders the rows: numbered at insert, so a transaction that read another's committed change
//   always gets a later number (per alert, the version check makes the numbers follow the writes).
//   Neither created_at (clocks of several instances differ; one transaction's events share a
//   millisecond) nor the random event id can order them.
// - `id` is the event's id (uuid), unique: it becomes the JetStream Nats-Msg-Id that de-duplicates.
// - The partial index holds only unsent rows, so the relay's read stays small however many sent rows
//   wait for their retention. Both engines support `create index … where`.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('event_outbox')
    .addColumn('seq', 'integer', autoId(db))
    .addColumn('id', 'text', (c) => c.notNull().unique())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('sent_at', 'bigint')
    .execute();
  await sql`create index event_outbox_unsent on event_outbox (seq) where sent_at is null`.execute(db);
  await db.schema.createIndex('event_outbox_sent_at').on('event_outbox').column('sent_at').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('event_outbox').execute();
}
