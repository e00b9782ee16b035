import { sql, type Kysely } from 'kysely';

// Trust: what holds the system against people who mean harm (docs/SECURITY.md).
// - rate_counters: every abuse limit counts here (one row per limit and key: this window's count
//   and the previous one's, for a sliding estimate), so limits survive a restart and are shared by
//   every instance on the same database; rows carry their own expiry and are pruned.
// - alerts.hold: an alert stored but not paged until a dispatcher confirms it (a flood from one
//   network, an unconfirmed tracker SOS); alerts.duress_view: the citizen's frozen view.
// - users: forced password change (the first admin's printed password), probation for devices
//   created past their network's limit, when the password last changed.
// - extortion_reports: the analysts-only account id is gone (it linked reports to a device's
//   panic alerts); reporter keys say which server key derived them, so keys can rotate.
// - notifications: the sender and the sender's running count, so one flooding sender queues
//   behind everyone else's first message.
// - webhook_outbox: a lease, so several senders (or instances) never post one row at once.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('rate_counters')
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('window_start', 'bigint', (c) => c.notNull())
    .addColumn('count', 'integer', (c) => c.notNull())
    .addColumn('prev_count', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    // The hit before the last one: a guess throttle judges a try against the try before it.
    .addColumn('prev_at', 'bigint')
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('rate_counters_pk', ['scope', 'key'])
    .execute();
  await db.schema.createIndex('rate_counters_expiry').on('rate_counters').column('expires_at').execute();

  await db.schema.alterTable('alerts').addColumn('hold', 'text').execute();
  await db.schema.alterTable('alerts').addColumn('duress_view', 'text').execute();
  await db.schema.createIndex('alerts_created').on('alerts').column('created_at').execute();

  await db.schema.alterTable('users').addColumn('must_change_password', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('users').addColumn('password_changed_at', 'bigint').execute();
  await db.schema.alterTable('users').addColumn('probation_until', 'bigint').execute();
  await db.schema.createIndex('users_disabled').on('users').column('disabled_at').execute();
  await db.schema.createIndex('auth_tokens_revoked').on('auth_tokens').column('revoked_at').execute();
  await db.schema.createIndex('auth_tokens_expiry').on('auth_tokens').column('expires_at').execute();

  await db.schema.alterTable('extortion_reports').dropColumn('reporter_user_id').execute();
  await db.schema.alterTable('extortion_reports').addColumn('key_id', 'text').execute();
  await db.schema.createIndex('extortion_reports_created').on('extortion_reports').column('created_at').execute();

  await db.schema.alterTable('notifications').addColumn('sender_key', 'text').execute();
  await db.schema.alterTable('notifications').addColumn('sender_seq', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('notifications').addColumn('purpose', 'text').execute();
  await db.schema.createIndex('notifications_due').on('notifications').columns(['sent_at', 'sender_seq', 'id']).execute();
  await db.schema.createIndex('notifications_created').on('notifications').column('created_at').execute();

  await db.schema.alterTable('webhook_outbox').addColumn('locked_until', 'bigint').execute();
  await db.schema.alterTable('webhook_outbox').addColumn('created_at', 'bigint').execute();
  await db.updateTable('webhook_outbox').set((eb) => ({ created_at: eb.ref('next_attempt_at') })).execute();
  await db.schema.createIndex('webhook_outbox_due').on('webhook_outbox').columns(['delivered_at', 'next_attempt_at']).execute();

  await db.schema.createIndex('checkins_created').on('checkins').column('created_at').execute();

  // Retention (src/retention/): when a closed alert's exact location was reduced to its quadrant;
  // the partial index holds only the alerts still exact, so the hourly job never rescans reduced
  // ones. Alert events are purged by age (their alert closed before the cutoff).
  await db.schema.alterTable('alerts').addColumn('location_reduced_at', 'bigint').execute();
  await sql`create index alerts_exact_closed on alerts (closed_at) where location_reduced_at is null`.execute(db);
  await db.schema.createIndex('alert_events_at').on('alert_events').column('at').execute();

  // Dispatch (src/dispatch/): when a dispatcher confirmed a held alert (its escalation ladder runs
  // from then, not from its creation); and PINs set under coercion (authorised with the duress PIN):
  // decoys that act as duress PINs while the real ones stay as they were (JSON array of hashes).
  await db.schema.alterTable('alerts').addColumn('confirmed_at', 'bigint').execute();
  await db.schema.alterTable('citizen_pins').addColumn('decoy_pin_hashes', 'text').execute();
}
