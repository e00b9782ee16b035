// Outgoing messages (check-in links by SMS). Every message is written to an outbox first; a
// sender delivers it through a Twilio-compatible HTTP API when one is configured. Embedded, with
// no provider, the outbox is the delivery: a development page shows it.
//
// Every SMS, whoever asks for it, passes here, so the defences against SMS pumping live here:
// only allowed destinations (destinations.ts), at most `perDestinationDay` messages to one number
// per day, and a fair queue — each message carries its sender (a keyed hash of the device) and
// that sender's running count for the day, and the sender delivers lowest count first, so a
// flooding device's 50th message waits behind everyone else's first.
import { DomainError, type Clock } from '../kernel/index.js';
import type { Db } from '../storage/index.js';
import type { RateLimiter, Limit } from '../limits/index.js';
import type { ServerSecrets } from '../config/index.js';
import type { DestinationPolicy } from './destinations.js';
import { NOTIFY_GIVE_UP_ATTEMPTS } from './retention.js';

export { smsDestinations, type DestinationPolicy } from './destinations.js';

export interface SmsProvider { url: string; accountSid: string; authToken: string; from: string }

export interface NotifierOptions {
  provider: SmsProvider | null;
  limits: RateLimiter;
  secrets: ServerSecrets;
  /** Messages one destination may be sent per (sliding) day, whoever asks. */
  perDestinationDay: number;
  destinations: DestinationPolicy;
  onError: (err: unknown) => void;
}

export interface SmsRequest {
  to: string;
  body: string;
  /** Who caused it (a device id); stored only as a keyed hash. null: the system itself. */
  sender: string | null;
  /** What it is for, e.g. "checkin". */
  purpose: string;
}

const DAY = 24 * 3600_000;
/** Shared with the retention job, which deletes what the sender has given up on. */
const MAX_ATTEMPTS = NOTIFY_GIVE_UP_ATTEMPTS;
/** Messages one delivery pass sends at most; the timer starts the next pass. */
const PASS = 50;
/** A running count, not a cap: the limit that caps senders is the caller's (e.g. check-ins per device). */
const SENDER_COUNT: Limit = { scope: 'notify.sender', max: Number.MAX_SAFE_INTEGER, windowMs: DAY };

/** A delivered message keeps no live link: the fragment (where links carry tokens) is dropped. */
export const redactLinks = (body: string): string => body.replace(/(https?:\/\/[^\s#]*)#[^\s]*/g, '$1#…');

export class Notifier {
  private timer: NodeJS.Timeout | null = null;
  private busy = false;
  private readonly perDestination: Limit;

  constructor(private db: Db, private clock: Clock, private opts: NotifierOptions) {
    this.perDestination = { scope: 'notify.destination', max: opts.perDestinationDay, windowMs: DAY };
  }

  get delivers(): boolean { return this.opts.provider !== null; }

  /** The destination as E.164 when SMS may be sent to it; throws INVALID_PHONE or DESTINATION_NOT_ALLOWED. */
  destination(raw: string): string { return this.opts.destinations(raw); }

  /** Queues one SMS; throws DESTINATION_NOT_ALLOWED, or RATE_LIMITED when the destination had its share today. */
  async sms(msg: SmsRequest): Promise<number> {
    const to = this.destination(msg.to);
    const { secrets, limits } = this.opts;
    const dest = await limits.hit(this.perDestination, secrets.hash('notify.destination', to));
    if (dest.over) throw new DomainError('RATE_LIMITED', { seconds: dest.retryAfterS });
    const senderKey = msg.sender === null ? null : secrets.hash('notify.sender', msg.sender);
    // The system's own messages (no sender) go first; a sender's n-th message of the day has seq n.
    const seq = senderKey === null ? 0 : Math.max(1, Math.ceil((await limits.hit(SENDER_COUNT, senderKey)).count - 1e-9));
    const r = await this.db.insertInto('notifications')
      .values({ channel: 'sms', recipient: to, body: msg.body, created_at: this.clock.now().getTime(), sent_at: null, attempts: 0, provider_id: null, last_error: null, sender_key: senderKey, sender_seq: seq, purpose: msg.purpose })
      .returning('id').executeTakeFirstOrThrow();
    if (this.opts.provider) void this.deliver();
    return Number(r.id);
  }

  /** The newest messages, for the development outbox page. */
  async outbox(limit = 50) {
    const rows = await this.db.selectFrom('notifications').selectAll().orderBy('id', 'desc').limit(limit).execute();
    return rows.map((r) => ({
      id: Number(r.id), channel: r.channel, to: r.recipient, body: r.body, purpose: r.purpose, createdAt: new Date(Number(r.created_at)).toISOString(),
      sentAt: r.sent_at === null ? null : new Date(Number(r.sent_at)).toISOString(), error: r.last_error,
    }));
  }

  start(intervalMs = 2000): void {
    if (!this.opts.provider) return;
    this.timer = setInterval(() => { void this.deliver(); }, intervalMs);
    this.timer.unref();
  }

  stop(): void { if (this.timer) clearInterval(this.timer); }

  /**
   * One pass: picks the due message with the lowest (sender_seq, id) each time — not a batch read
   * up front — so a real check-in queued while a flood is being sent goes next. Each message is
   * tried at most once per pass, and claimed by a compare-and-set on `attempts` first, so two
   * instances never send the same message.
   */
  async deliver(): Promise<void> {
    const p = this.opts.provider;
    if (!p || this.busy) return;
    this.busy = true;
    try {
      const tried: number[] = [];
      for (let i = 0; i < PASS; i++) {
        let q = this.db.selectFrom('notifications').selectAll().where('sent_at', 'is', null).where('attempts', '<', MAX_ATTEMPTS);
        if (tried.length > 0) q = q.where('id', 'not in', tried);
        const n = await q.orderBy('sender_seq').orderBy('id').limit(1).executeTakeFirst();
        if (!n) break;
        tried.push(n.id);
        const claim = await this.db.updateTable('notifications').set({ attempts: n.attempts + 1 })
          .where('id', '=', n.id).where('attempts', '=', n.attempts).where('sent_at', 'is', null).executeTakeFirst();
        if (Number(claim.numUpdatedRows) !== 1) continue;
        try {
          this.destination(n.recipient);
        } catch {
          // Queued before the destination rules (or they changed): never sent.
          await this.db.updateTable('notifications').set({ attempts: MAX_ATTEMPTS, last_error: 'destination not allowed' }).where('id', '=', n.id).execute();
          continue;
        }
        try {
          const res = await fetch(`${p.url.replace(/\/$/, '')}/2010-04-01/Accounts/${encodeURIComponent(p.accountSid)}/Messages.json`, {
            method: 'POST', signal: AbortSignal.timeout(5000),
            headers: { authorization: `Basic ${Buffer.from(`${p.accountSid}:${p.authToken}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
            body: new URLSearchParams({ To: n.recipient, From: p.from, Body: n.body }).toString(),
          });
          if (!res.ok) throw new Error(`HTTP ${res.status}`);
          const sid = ((await res.json()) as { sid?: string }).sid ?? null;
          await this.db.updateTable('notifications').set({ sent_at: this.clock.now().getTime(), provider_id: sid, body: redactLinks(n.body), last_error: null })
            .where('id', '=', n.id).execute();
        } catch (err) {
          await this.db.updateTable('notifications').set({ last_error: (err as Error).message.slice(0, 300) }).where('id', '=', n.id).execute();
        }
      }
    } catch (err) {
      this.opts.onError(err);
    } finally {
      this.busy = false;
    }
  }
}
export { NotifyRetention } from './retention.js';
