// Trusted contacts, the family code word and "¿Estás bien?" check-ins: one tap sends a contact a
// link; they answer "I'm fine" or "I need help" — help raises an alert where they are.
//
// Abuse: a device credential is free, and each check-in is an SMS someone pays for. Check-ins are
// limited per device per day (the Notifier adds the per-destination limit, the allowed
// destinations and the fair queue for every SMS); the code word check is a guess, throttled per
// device and per network. A link lives 30 minutes and takes one answer — except that "I'm fine"
// may still become "I need help" (never the reverse: a coerced "fine" cannot undo a call for help).
import { createHash, randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { DomainError, type Clock, type IdGenerator } from '../kernel/index.js';
import { hashPassword, verifyPassword } from '../accounts/index.js';
import type { Notifier } from '../notify/index.js';
import { GuessThrottle, type Limit, type RateLimiter } from '../limits/index.js';
import type { CheckinRow, FamilyStore } from './storage.js';

export interface Contact { id: string; name: string; phone: string; createdAt: string }
export type CheckinStatus = 'pending' | 'fine' | 'need_help' | 'expired';
export interface Checkin { id: string; contactId: string; contactName: string; status: CheckinStatus; createdAt: string; answeredAt: string | null; alertId: string | null }

export interface CheckinEventMap { 'checkin': [{ ownerId: string; checkin: Checkin }] }

/** Dispatch's door, as this context needs it: "I need help" raises an alert at the contact's position; returns its id. */
export type RaiseHelpAlert = (checkinId: string, lat: number, lon: number) => Promise<string>;

export interface CheckinOptions {
  limits: RateLimiter;
  /** "¿Estás bien?" messages one device may send per (sliding) day. */
  checkinsPerDeviceDay: number;
}

const TTL_MS = 30 * 60_000;
const DAY = 24 * 3600_000;
const MAX_CONTACTS = 10;
const hashToken = (t: string) => createHash('sha256').update(t).digest('hex');

export class CheckinService extends EventEmitter<CheckinEventMap> {
  private readonly perDevice: Limit;
  private readonly codeWordGuesses: GuessThrottle;

  constructor(
    private store: FamilyStore,
    private notifier: Notifier,
    private clock: Clock,
    private ids: IdGenerator,
    private publicUrl: string,
    private raiseAlert: RaiseHelpAlert,
    private opts: CheckinOptions,
  ) {
    super();
    this.setMaxListeners(0);
    this.perDevice = { scope: 'checkins.device', max: opts.checkinsPerDeviceDay, windowMs: DAY };
    // Honest use is a few checks during one suspicious call; a guesser (someone holding the
    // phone, learning the word to impersonate the family) waits longer after each miss, up to
    // 15 minutes per try — bounded, so the owner is never locked out for good.
    this.codeWordGuesses = new GuessThrottle(opts.limits, {
      name: 'codeword', windowMs: DAY,
      target: { free: 5, baseMs: 5000, maxMs: 15 * 60_000 },
      network: { free: 30, baseMs: 2000, maxMs: 5 * 60_000 },
    });
  }

  /** Subscribes to answered check-ins; the returned function removes exactly this listener. */
  onCheckin(listener: (e: CheckinEventMap['checkin'][0]) => void): () => void {
    this.on('checkin', listener);
    return () => { this.off('checkin', listener); };
  }

  async contacts(ownerId: string): Promise<Contact[]> {
    const rows = await this.store.contacts(ownerId);
    return rows.map((r) => ({ id: r.id, name: r.name, phone: r.phone, createdAt: new Date(Number(r.created_at)).toISOString() }));
  }

  /** Only numbers SMS may be sent to (mobile or fixed-line of the configured countries). */
  async addContact(ownerId: string, name: string, phone: string): Promise<Contact> {
    const e164 = this.notifier.destination(phone);
    if ((await this.contacts(ownerId)).length >= MAX_CONTACTS) {
      throw new DomainError('VALIDATION_FAILED', { detail: { es: `máximo ${MAX_CONTACTS} contactos`, en: `at most ${MAX_CONTACTS} contacts` } });
    }
    const row = { id: this.ids(), owner_id: ownerId, name: name.trim(), phone: e164, created_at: this.clock.now().getTime() };
    await this.store.insertContact(row);
    return { id: row.id, name: row.name, phone: row.phone, createdAt: new Date(row.created_at).toISOString() };
  }

  async removeContact(ownerId: string, id: string): Promise<void> {
    if (!(await this.store.deleteContact(ownerId, id))) throw new DomainError('NOT_FOUND');
  }

  /** The code word is stored only as a scrypt hash: the server can check it, never tell it. */
  async setCodeWord(ownerId: string, word: string): Promise<void> {
    const normalized = word.trim().toLowerCase();
    if (normalized.length < 3) throw new DomainError('VALIDATION_FAILED', { detail: { es: 'la palabra clave necesita al menos 3 letras', en: 'the code word needs at least 3 letters' } });
    const row = { owner_id: ownerId, word_hash: await hashPassword(normalized), updated_at: this.clock.now().getTime() };
    await this.store.upsertCodeWord(row);
  }

  /** Whether the word matches; every try counts as a guess (per device and per network) until one matches. */
  async checkCodeWord(ownerId: string, word: string, networkKey: string | null): Promise<{ set: boolean; matches: boolean }> {
    const wordHash = await this.store.codeWordHash(ownerId);
    if (wordHash === null) return { set: false, matches: false }; // nothing to guess
    // Counted before the hash: parallel guesses cannot all pass before the first miss is recorded.
    await this.codeWordGuesses.attempt(ownerId, networkKey);
    const matches = await verifyPassword(word.trim().toLowerCase(), wordHash);
    if (matches) await this.codeWordGuesses.succeeded(ownerId, networkKey);
    return { set: true, matches };
  }

  /** "¿Estás bien?": a link to the contact by SMS (or the development outbox). */
  async ask(ownerId: string, contactId: string, lang: 'es' | 'en'): Promise<Checkin> {
    const contact = (await this.contacts(ownerId)).find((c) => c.id === contactId);
    if (!contact) throw new DomainError('NOT_FOUND');
    // A contact saved before the destination rules is refused here, before it costs an allowance.
    this.notifier.destination(contact.phone);
    const allowance = await this.opts.limits.hit(this.perDevice, ownerId);
    if (allowance.over) throw new DomainError('RATE_LIMITED', { seconds: allowance.retryAfterS });
    const token = randomBytes(18).toString('base64url');
    const now = this.clock.now().getTime();
    const row: CheckinRow = { id: this.ids(), owner_id: ownerId, contact_id: contactId, token_hash: hashToken(token), status: 'pending', created_at: now, expires_at: now + TTL_MS, answered_at: null, alert_id: null };
    await this.store.insertCheckin(row);
    const link = `${this.publicUrl.replace(/\/$/, '')}/verificar.html#${token}`;
    const body = lang === 'en'
      ? `Someone close to you wants to know if you are safe. Answer here: ${link}`
      : `Alguien cercano quiere saber si estás a salvo. Responde aquí: ${link}`;
    try {
      await this.notifier.sms({ to: contact.phone, body, sender: ownerId, purpose: 'checkin' });
    } catch (err) {
      // Refused (the destination had its share today): no check-in waits for an answer that cannot come.
      await this.store.deleteCheckin(row.id);
      throw err;
    }
    return this.view(row, contact.name);
  }

  async list(ownerId: string): Promise<Checkin[]> {
    const rows = await this.store.recentCheckins(ownerId, 20);
    return rows.map((r) => this.view(r, r.contact_name));
  }

  /** What the contact's page shows: nothing about the requester beyond that someone asked. */
  async byToken(token: string): Promise<{ status: CheckinStatus; expiresAt: string }> {
    const row = await this.find(token);
    return { status: this.status(row), expiresAt: new Date(Number(row.expires_at)).toISOString() };
  }

  /**
   * One answer per link: pending → fine or need_help, and fine → need_help; anything else is 409
   * CHECKIN_ANSWERED. The alert is raised before the answer is stored (idempotent per check-in),
   * so a failure never leaves a "need help" without its alert; the compare-and-set then makes sure
   * two racing answers cannot both win.
   */
  async answer(token: string, answer: 'fine' | 'need_help', at: { lat: number; lon: number } | null): Promise<{ status: CheckinStatus; alertId: string | null }> {
    const row = await this.find(token);
    const now = this.clock.now().getTime();
    if (Number(row.expires_at) < now) throw new DomainError(row.status === 'pending' ? 'CHECKIN_NOT_FOUND' : 'CHECKIN_ANSWERED');
    const from = answer === 'need_help' ? ['pending', 'fine'] : ['pending'];
    if (!from.includes(row.status)) throw new DomainError('CHECKIN_ANSWERED');
    const alertId = answer === 'need_help' && at ? await this.raiseAlert(row.id, at.lat, at.lon) : null;
    const won = await this.store.answerCheckin(row.id, row.status, { status: answer, answered_at: now, alert_id: alertId ?? row.alert_id }, now);
    if (!won) throw new DomainError('CHECKIN_ANSWERED');
    const contactName = await this.store.contactName(row.contact_id);
    this.emit('checkin', { ownerId: row.owner_id, checkin: this.view({ ...row, status: answer, answered_at: now, alert_id: alertId ?? row.alert_id }, contactName ?? '') });
    return { status: answer, alertId };
  }

  private async find(token: string) {
    const row = await this.store.checkinByTokenHash(hashToken(token));
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
