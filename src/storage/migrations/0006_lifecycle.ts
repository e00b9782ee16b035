import { sql, type Kysely } from 'kysely';

// Dispatch lifecycle (src/dispatch/domain/lifecycle.ts):
// - "Escalated" was three columns that could disagree: status 'escalated', stage 3 and escalated_at
//   (an alert at stage 3 with no escalated_at, an unanswered one with escalated_at but status
//   'paging'…). escalated_at is now the one record of an escalation; stage is replaced by `ring`
//   (how far paging got: 0, 1, 2), and status 'escalated' is just the lifecycle state of an alert
//   handed to 911 that nobody has taken yet (the escalate transition sets both, nothing else does).
// - alerts.last_seq: the seq of the alert's latest event, kept with the row, so events are numbered
//   without reading the log (and never reuse a number after retention purged old events). Clients
//   order what they are told by version and seq, never by a clock.
// - Frozen citizen views (duress cancels) get the version and seq they froze at.
// Plain SQL both engines run identically; the JSON of frozen views is rewritten row by row here.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('alerts').addColumn('ring', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('alerts').addColumn('last_seq', 'integer', (c) => c.notNull().defaultTo(0)).execute();

  // Every alert any of the three called escalated gets its time: the escalate event's, else its last change.
  await sql`update alerts set escalated_at = coalesce(
      (select max(e.at) from alert_events e where e.alert_id = alerts.id and e.type = 'escalate'), updated_at)
    where escalated_at is null and (status = 'escalated' or stage = 3)`.execute(db);
  // Handed to 911 and still unanswered is the state `escalated` (its deadline is over).
  await sql`update alerts set status = 'escalated', next_deadline_at = null
    where escalated_at is not null and status in ('new', 'paging')`.execute(db);
  // Stage 3 said nothing about the rings paged before it: the highest ring actually paged.
  await sql`update alerts set ring = case when stage in (1, 2) then stage else coalesce(
      (select max(p.ring) from alert_pages p where p.alert_id = alerts.id and p.ring in (1, 2)), 0) end`.execute(db);
  await sql`update alerts set last_seq = coalesce((select max(e.seq) from alert_events e where e.alert_id = alerts.id), 0)`.execute(db);
  await db.schema.alterTable('alerts').dropColumn('stage').execute();

  // The phone's frozen view carries what it froze at: the duress cancel's seq and the row's version
  // now (at least any version the phone saw before it; it never moves again).
  const frozen = await db.selectFrom('alerts').select(['id', 'duress_view', 'version', 'last_seq']).where('duress_view', 'is not', null).execute();
  for (const row of frozen as { id: string; duress_view: string; version: number; last_seq: number }[]) {
    let view: Record<string, unknown>;
    try { view = JSON.parse(row.duress_view) as Record<string, unknown>; } catch { continue; }
    if (typeof view.version === 'number') continue;
    const ev = await db.selectFrom('alert_events').select((eb) => eb.fn.max('seq').as('s'))
      .where('alert_id', '=', row.id).where('type', '=', 'duress_cancel').executeTakeFirst() as { s: number | null } | undefined;
    const next = { ...view, version: Number(row.version), seq: Number(ev?.s ?? row.last_seq) };
    await db.updateTable('alerts').set({ duress_view: JSON.stringify(next) }).where('id', '=', row.id).execute();
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('alerts').addColumn('stage', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await sql`update alerts set stage = case when escalated_at is not null then 3 else ring end`.execute(db);
  await db.schema.alterTable('alerts').dropColumn('ring').execute();
  await db.schema.alterTable('alerts').dropColumn('last_seq').execute();
}
