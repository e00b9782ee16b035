// Kysely persistence of trusted contacts, code words and check-ins: this context's own tables.
// Nothing outside src/family reads or writes them.
import type { Db } from '../storage/index.js';

export interface ContactRow { id: string; owner_id: string; name: string; phone: string; created_at: number }
export interface CheckinRow {
  id: string; owner_id: string; contact_id: string; token_hash: string; status: string;
  created_at: number; expires_at: number; answered_at: number | null; alert_id: string | null;
}

export class FamilyStore {
  constructor(private db: Db) {}

  contacts(ownerId: string): Promise<ContactRow[]> {
    return this.db.selectFrom('trusted_contacts').selectAll().where('owner_id', '=', ownerId).orderBy('created_at').execute();
  }

  async insertContact(row: ContactRow): Promise<void> {
    await this.db.insertInto('trusted_contacts').values(row).execute();
  }

  /** Whether a row was removed (only the owner's own contact can be). */
  async deleteContact(ownerId: string, id: string): Promise<boolean> {
    const r = await this.db.deleteFrom('trusted_contacts').where('id', '=', id).where('owner_id', '=', ownerId).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }

  async contactName(id: string): Promise<string | null> {
    const row = await this.db.selectFrom('trusted_contacts').select('name').where('id', '=', id).executeTakeFirst();
    return row?.name ?? null;
  }

  async upsertCodeWord(row: { owner_id: string; word_hash: string; updated_at: number }): Promise<void> {
    await this.db.insertInto('code_words').values(row)
      .onConflict((oc) => oc.column('owner_id').doUpdateSet({ word_hash: row.word_hash, updated_at: row.updated_at })).execute();
  }

  async codeWordHash(ownerId: string): Promise<string | null> {
    const row = await this.db.selectFrom('code_words').select('word_hash').where('owner_id', '=', ownerId).executeTakeFirst();
    return row?.word_hash ?? null;
  }

  async insertCheckin(row: CheckinRow): Promise<void> {
    await this.db.insertInto('checkins').values(row).execute();
  }

  async deleteCheckin(id: string): Promise<void> {
    await this.db.deleteFrom('checkins').where('id', '=', id).execute();
  }

  recentCheckins(ownerId: string, limit: number): Promise<(CheckinRow & { contact_name: string })[]> {
    return this.db.selectFrom('checkins').innerJoin('trusted_contacts', 'trusted_contacts.id', 'checkins.contact_id')
      .selectAll('checkins').select('trusted_contacts.name as contact_name')
      .where('checkins.owner_id', '=', ownerId).orderBy('checkins.created_at', 'desc').limit(limit).execute();
  }

  async checkinByTokenHash(tokenHash: string): Promise<CheckinRow | null> {
    return (await this.db.selectFrom('checkins').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst()) ?? null;
  }

  /** Compare-and-set on the stored status: true only for the one answer that won. */
  async answerCheckin(id: string, from: string, set: { status: string; answered_at: number; alert_id: string | null }, now: number): Promise<boolean> {
    const r = await this.db.updateTable('checkins').set(set)
      .where('id', '=', id).where('status', '=', from).where('expires_at', '>=', now).executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }
}
