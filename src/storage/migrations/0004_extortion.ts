import type { Kysely } from 'kysely';
import { autoId as autoIdFor } from './dialect.js';

// Extortion defence: reports (reporter identity only as salted hashes, plus the account id that
// only analysts see), analyst decisions, protected numbers, disputes, carrier API keys, trusted
// contacts and check-ins, and the notification outbox.
export async function up(db: Kysely<any>): Promise<void> {
  const autoId = autoIdFor(db);

  await db.schema.createTable('extortion_reports')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('e164', 'text', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('occurred_at', 'bigint', (c) => c.notNull())
    .addColumn('claimed', 'text')
    .addColumn('amount_mxn', 'double precision')
    .addColumn('paid', 'integer', (c) => c.notNull())
    .addColumn('clabe', 'text')
    .addColumn('card_masked', 'text')
    .addColumn('bank', 'text')
    .addColumn('notes', 'text')
    .addColumn('reporter_user_id', 'text')
    .addColumn('key_account', 'text')
    .addColumn('key_device', 'text')
    .addColumn('key_network', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('extortion_reports_number').on('extortion_reports').columns(['e164', 'created_at']).execute();
  await db.schema.createIndex('extortion_reports_status').on('extortion_reports').columns(['status', 'created_at']).execute();

  await db.schema.createTable('number_decisions')
    .addColumn('e164', 'text', (c) => c.primaryKey())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('decided_by', 'text')
    .addColumn('decided_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema.createTable('protected_numbers')
    .addColumn('e164', 'text', (c) => c.primaryKey())
    .addColumn('label', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema.createTable('number_disputes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('e164', 'text', (c) => c.notNull())
    .addColumn('owner_name', 'text', (c) => c.notNull())
    .addColumn('contact', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('resolved_by', 'text')
    .addColumn('resolved_at', 'bigint')
    .addColumn('resolution_note', 'text')
    .execute();
  await db.schema.createIndex('number_disputes_status').on('number_disputes').columns(['status', 'created_at']).execute();

  await db.schema.createTable('api_keys')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('key_hash', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('per_minute', 'integer', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('revoked_at', 'bigint')
    .execute();

  await db.schema.createTable('trusted_contacts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('owner_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('phone', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('trusted_contacts_owner').on('trusted_contacts').column('owner_id').execute();

  await db.schema.createTable('code_words')
    .addColumn('owner_id', 'text', (c) => c.primaryKey())
    .addColumn('word_hash', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema.createTable('checkins')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('owner_id', 'text', (c) => c.notNull())
    .addColumn('contact_id', 'text', (c) => c.notNull())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('answered_at', 'bigint')
    .addColumn('alert_id', 'text')
    .execute();
  await db.schema.createIndex('checkins_owner').on('checkins').columns(['owner_id', 'created_at']).execute();

  await db.schema.createTable('notifications')
    .addColumn('id', 'integer', autoId)
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('recipient', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('sent_at', 'bigint')
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('provider_id', 'text')
    .addColumn('last_error', 'text')
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['notifications', 'checkins', 'code_words', 'trusted_contacts', 'api_keys', 'number_disputes', 'protected_numbers', 'number_decisions', 'extortion_reports']) {
    await db.schema.dropTable(t).execute();
  }
}
