// Persistence of extortion reports and everything analysts decide about numbers.
import type { Db } from '../storage/index.js';
import type { ExtortionReportsTable, NumberDisputesTable } from '../storage/index.js';
import type { ChangeLog } from '../bus/index.js';

/** A number's reports, decision, protection or disputes changed (to the other instances, which re-read it); payload `{ e164 }`. */
export const NUMBER_CHANGED = 'extortion.number.changed';

export type StoredReport = ExtortionReportsTable;
export type StoredDispute = NumberDisputesTable;

export class ExtortionStore {
  /** `changes`: with several instances, a report is recorded for the others in its own transaction. */
  constructor(private db: Db, readonly changes: ChangeLog | null = null) {}

  async insertReport(r: StoredReport): Promise<void> {
    const changes = this.changes;
    if (!changes) { await this.db.insertInto('extortion_reports').values(r).execute(); return; }
    await this.db.transaction().execute(async (trx) => {
      await trx.insertInto('extortion_reports').values(r).execute();
      await changes.record(trx, NUMBER_CHANGED, { e164: r.e164 });
    }).finally(() => changes.committed());
  }
  async reportsFor(e164: string): Promise<StoredReport[]> {
    return this.db.selectFrom('extortion_reports').selectAll().where('e164', '=', e164).orderBy('created_at').execute();
  }
  /** Every report, in pages, oldest first — for the full recompute at start-up. */
  async *allReports(pageSize = 5000): AsyncGenerator<StoredReport[]> {
    let after = '';
    let afterAt = -1;
    for (;;) {
      const page = await this.db.selectFrom('extortion_reports').selectAll()
        .where((eb) => eb.or([eb('created_at', '>', afterAt), eb.and([eb('created_at', '=', afterAt), eb('id', '>', after)])]))
        .orderBy('created_at').orderBy('id').limit(pageSize).execute();
      if (page.length === 0) return;
      yield page;
      const last = page[page.length - 1]!;
      after = last.id;
      afterAt = Number(last.created_at);
    }
  }
  async reportsByStatus(status: string, limit: number): Promise<StoredReport[]> {
    return this.db.selectFrom('extortion_reports').selectAll().where('status', '=', status).orderBy('created_at', 'desc').limit(limit).execute();
  }
  async reportsBetween(from: number, to: number): Promise<StoredReport[]> {
    return this.db.selectFrom('extortion_reports').selectAll().where('created_at', '>=', from).where('created_at', '<', to).orderBy('created_at').execute();
  }
  async markReviewed(e164: string): Promise<void> {
    await this.db.updateTable('extortion_reports').set({ status: 'reviewed' }).where('e164', '=', e164).where('status', '=', 'new').execute();
  }
  /**
   * Re-keys every report whose reporter keys predate the server's secret key (key_id null) with
   * `rekey` (one-way), and deletes the old salt from `meta`, in one transaction. Deleting the salt
   * first takes its row lock on PostgreSQL, so a second instance starting at once waits and then
   * finds nothing left. Returns how many reports were re-keyed.
   */
  async rekeyLegacy(rekey: (oldKey: string) => string, keyId: string, saltKey: string): Promise<number> {
    return this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('meta').where('key', '=', saltKey).execute();
      let done = 0;
      for (;;) {
        const page = await trx.selectFrom('extortion_reports').select(['id', 'key_account', 'key_device', 'key_network'])
          .where('key_id', 'is', null).limit(500).execute();
        if (page.length === 0) return done;
        for (const r of page) {
          const k = (v: string | null) => (v === null ? null : rekey(v));
          await trx.updateTable('extortion_reports')
            .set({ key_account: k(r.key_account), key_device: k(r.key_device), key_network: k(r.key_network), key_id: keyId })
            .where('id', '=', r.id).execute();
        }
        done += page.length;
      }
    });
  }

  // ——— decisions, protected numbers ———
  async decisions(): Promise<Map<string, { status: string; note: string | null; decidedAt: number }>> {
    const rows = await this.db.selectFrom('number_decisions').selectAll().execute();
    return new Map(rows.map((r) => [r.e164, { status: r.status, note: r.note, decidedAt: Number(r.decided_at) }]));
  }
  async setDecision(e164: string, status: 'confirmed' | 'rejected' | null, note: string | null, by: string | null, at: number): Promise<void> {
    if (status === null) { await this.db.deleteFrom('number_decisions').where('e164', '=', e164).execute(); return; }
    await this.db.insertInto('number_decisions').values({ e164, status, note, decided_by: by, decided_at: at })
      .onConflict((oc) => oc.column('e164').doUpdateSet({ status, note, decided_by: by, decided_at: at })).execute();
  }
  async protectedNumbers(): Promise<Map<string, string>> {
    const rows = await this.db.selectFrom('protected_numbers').selectAll().execute();
    return new Map(rows.map((r) => [r.e164, r.label]));
  }
  async setProtected(e164: string, label: string | null, by: string | null, at: number): Promise<void> {
    if (label === null) { await this.db.deleteFrom('protected_numbers').where('e164', '=', e164).execute(); return; }
    await this.db.insertInto('protected_numbers').values({ e164, label, created_by: by, created_at: at })
      .onConflict((oc) => oc.column('e164').doUpdateSet({ label })).execute();
  }

  // ——— disputes ———
  async insertDispute(d: StoredDispute): Promise<void> {
    await this.db.insertInto('number_disputes').values(d).execute();
  }
  async disputes(status: string | null): Promise<StoredDispute[]> {
    let q = this.db.selectFrom('number_disputes').selectAll().orderBy('created_at', 'desc').limit(500);
    if (status) q = q.where('status', '=', status);
    return q.execute();
  }
  async disputesFor(e164: string): Promise<StoredDispute[]> {
    return this.db.selectFrom('number_disputes').selectAll().where('e164', '=', e164).orderBy('created_at', 'desc').execute();
  }
  async findDispute(id: string): Promise<StoredDispute | undefined> {
    return this.db.selectFrom('number_disputes').selectAll().where('id', '=', id).executeTakeFirst();
  }
  async resolveDispute(id: string, status: 'upheld' | 'denied', by: string, at: number, note: string | null): Promise<boolean> {
    const r = await this.db.updateTable('number_disputes').set({ status, resolved_by: by, resolved_at: at, resolution_note: note })
      .where('id', '=', id).where('status', '=', 'open').executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }
  async openDisputeNumbers(): Promise<Set<string>> {
    const rows = await this.db.selectFrom('number_disputes').select('e164').where('status', '=', 'open').execute();
    return new Set(rows.map((r) => r.e164));
  }

  // ——— carrier API keys ———
  async insertApiKey(k: { id: string; keyHash: string; name: string; perMinute: number; by: string | null; at: number }): Promise<void> {
    await this.db.insertInto('api_keys').values({ id: k.id, key_hash: k.keyHash, name: k.name, per_minute: k.perMinute, created_by: k.by, created_at: k.at, revoked_at: null }).execute();
  }
  async apiKeys() {
    return this.db.selectFrom('api_keys').selectAll().orderBy('created_at', 'desc').execute();
  }
  async revokeApiKey(id: string, at: number): Promise<boolean> {
    const r = await this.db.updateTable('api_keys').set({ revoked_at: at }).where('id', '=', id).where('revoked_at', 'is', null).executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }
}
