// Trusted contacts, the family code word and "¿Estás bien?" check-ins: one tap sends a contact a
// link; they answer "I'm fine" or "I need help" — help raises an alert where they are.
import { createHash, randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { DomainError, normalizeContactPhone, type Clock, type IdGenerator } from '../kernel/index.js';
import type { Db } from '../storage/index.js';
import { hashPassword, verifyPassword } from '../accounts/passwords.js';
import type { Notifier } from '../notify/index.js';

export interface Contact { id: string; name: string; phone: string; createdAt: string }
export type CheckinStatus = 'pending' | 'fine' | 'need_help' | 'expired';
export interface Checkin { id: string; contactId: string; contactName: string; status: CheckinStatus; createdAt: string; answeredAt: string | null; alertId: string | null }

export interface CheckinEventMap { 'checkin': [{ ownerId: string; checkin: Checkin }] }

const TTL_MS = 30 * 60_000;
const MAX_CONTACTS = 10;
const hashToken = (t: string) => createHash('sha256').update(t).digest('hex');

export class CheckinService extends EventEmitter<CheckinEventMap> {
  constructor(
    private db: Db,
    private notifier: Notifier,
    private clock: Clock,
    private ids: IdGenerator,
    private publicUrl: string,
    private raiseAlert: (checkinId: string, lat: number, lon: number) => Promise<string>,
  ) { super(); this.setMaxListeners(0); }

  async contacts(ownerId: string): Promise<Contact[]> {
    const rows = await this.db.selectFrom('trusted_contacts').selectAll().where('owner_id', '=', ownerId).orderBy('created_at').execute();
    return rows.map((r) => ({ id: r.id, name: r.name, phone: r.phone, createdAt: new Date(Number(r.created_at)).toISOString() }));
  }

  async addContact(ownerId: string, name: string, phone: string): Promise<Contact> {
    const e164 = normalizeContactPhone(phone);
    if ((await this.contacts(ownerId)).length >= MAX_CONTACTS) {
      throw new DomainError('VALIDATION_FAILED', { detail: { es: `máximo ${MAX_CONTACTS} contactos`, en: `at most ${MAX_CONTACTS} contacts` } });
    }
    const row = { id: this.ids(), owner_id: ownerId, name: name.trim(), phone: e164, created_at: this.clock.now().getTime() };
    await this.db.insertInto('trusted_contacts').values(row).execute();
    return { id: row.id, name: row.name, phone: row.phone, createdAt: new Date(row.created_at).toISOString() };
  }

  async removeContact(ownerId: string, id: string): Promise<void> {
    const r = await this.db.deleteFrom('trusted_contacts').where('id', '=', id).where('owner_id', '=', ownerId).executeTakeFirst();
    if (Number(r.numDeletedRows) === 0) throw new DomainError('NOT_FOUND');
  }

  /** The code word is stored only as a scrypt hash: the server can check it, never tell it. */
  async setCodeWord(ownerId: string, word: string): Promise<void> {
    const normalized = word.trim().toLowerCase();
    if (normalized.length < 3) throw new DomainError('VALIDATION_FAILED', { detail: { es: 'la palabra clave necesita al menos 3 letras', en: 'the code word needs at least 3 letters' } });
    const row = { owner_id: ownerId, word_hash: await hashPassword(normalized), updated_at: this.clock.now().getTime() };
    await this.db.insertInto('code_words').values(row).onConflict((oc) => oc.column('owner_id').doUpdateSet({ word_hash: row.word_hash, updated_at: row.updated_at })).execute();
  }

  async hasCodeWord(ownerId: string): Promise<boolean> {
    return !!(await this.db.selectFrom('code_words').select('owner_id').where('owner_id', '=', ownerId).executeTakeFirst());
  }

  async checkCodeWord(ownerId: string, word: string): Promise<boolean> {
    const row = await this.db.selectFrom('code_words').selectAll().where('owner_id', '=', ownerId).executeTakeFirst();
    return !!row && verifyPassword(word.trim().toLowerCase(), row.word_hash);
  }

  /** "¿Estás bien?": a link to the contact by SMS (or the development outbox). */
  async ask(ownerId: string, contactId: string, lang: 'es' | 'en'): Promise<Checkin> {
    const contact = (await this.contacts(ownerId)).find((c) => c.id === contactId);
    if (!contact) throw new DomainError('NOT_FOUND');
    const token = randomBytes(18).toString('base64url');
    const now = this.clock.now().getTime();
    const row = { id: this.ids(), owner_id: ownerId, contact_id: contactId, token_hash: hashToken(token), status: 'pending', created_at: now, expires_at: now + TTL_MS, answered_at: null, alert_id: null };
    await this.db.insertInto('checkins').values(row).execute();
    const link = `${this.publicUrl.replace(/\/$/, '')}/verificar.html#${token}`;
    const body = lang === 'en'
      ? `Someone close to you wants to know if you are safe. Answer here: ${link}`
      : `Alguien cercano quiere saber si estás a salvo. Responde aquí: ${link}`;
    await this.notifier.sms(contact.phone, body);
    return this.view(row, contact.name);
  }

  async list(ownerId: string): Promise<Checkin[]> {
    const rows = await this.db.selectFrom('checkins').innerJoin('trusted_contacts', 'trusted_contacts.id', 'checkins.contact_id')
      .selectAll('checkins').select('trusted_contacts.name as contact_name')
      .where('checkins.owner_id', '=', ownerId).orderBy('checkins.created_at', 'desc').limit(20).execute();
    return rows.map((r) => this.view(r, r.contact_name));
  }

  /** What the contact's page shows: nothing about the requester beyond that someone asked. */
  async byToken(token: string): Promise<{ status: CheckinStatus; expiresAt: string }> {
    const row = await this.find(token);
    return { status: this.status(row), expiresAt: new Date(Number(row.expires_at)).toISOString() };
  }

  async answer(token: string, answer: 'fine' | 'need_help', at: { lat: number; lon: number } | null): Promise<{ status: CheckinStatus; alertId: string | null }> {
    const row = await this.find(token);
    if (this.status(row) === 'expired') throw new DomainError('CHECKIN_NOT_FOUND');
    const alertId = answer === 'need_help' && at ? await this.raiseAlert(row.id, at.lat, at.lon) : null;
    const now = this.clock.now().getTime();
    await this.db.updateTable('checkins').set({ status: answer, answered_at: now, alert_id: alertId ?? row.alert_id }).where('id', '=', row.id).execute();
    const contact = await this.db.selectFrom('trusted_contacts').select('name').where('id', '=', row.contact_id).executeTakeFirst();
    this.emit('checkin', { ownerId: row.owner_id, checkin: this.view({ ...row, status: answer, answered_at: now, alert_id: alertId ?? row.alert_id }, contact?.name ?? '') });
    return { status: answer, alertId };
  }

  private async find(token: string) {
    const row = await this.db.selectFrom('checkins').selectAll().where('token_hash', '=', hashToken(token)).executeTakeFirst();
    if (!row) throw new DomainError('CHECKIN_NOT_FOUND');
    return row;
  }

  private status(row: { status: string; expires_at: number }): CheckinStatus {
    return row.status === 'pending' && Number(row.expires_at) < this.clock.now().getTime() ? 'expired' : row.status as CheckinStatus;
  }

  private view(r: { id: string; contact_id: string; status: string; expires_at: number; created_at: number; answered_at: number | null; alert_id: string | null }, contactName: string): Checkin {
    return {
      id: r.id, contactId: r.contact_id, contactName, status: this.status(r),
      createdAt: new Date(Number(r.created_at)).toISOString(), answeredAt: r.answered_at === null ? null : new Date(Number(r.answered_at)).toISOString(),
      alertId: r.alert_id,
    };
  }
}
