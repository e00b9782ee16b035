// Outgoing messages (check-in links by SMS). Every message is written to an outbox first; a
// sender delivers it through a Twilio-compatible HTTP API when one is configured. Embedded, with
// no provider, the outbox is the delivery: a development page shows it.
import type { Clock } from '../kernel/index.js';
import type { Db } from '../storage/index.js';

export interface SmsProvider { url: string; accountSid: string; authToken: string; from: string }

export class Notifier {
  private timer: NodeJS.Timeout | null = null;
  private busy = false;

  constructor(private db: Db, private clock: Clock, private provider: SmsProvider | null, private onError: (err: unknown) => void) {}

  get delivers(): boolean { return this.provider !== null; }

  async sms(to: string, body: string): Promise<number> {
    const r = await this.db.insertInto('notifications')
      .values({ channel: 'sms', recipient: to, body, created_at: this.clock.now().getTime(), sent_at: null, attempts: 0, provider_id: null, last_error: null, sender_key: null, sender_seq: 0, purpose: null })
      .returning('id').executeTakeFirstOrThrow();
    if (this.provider) void this.deliver();
    return Number(r.id);
  }

  /** The newest messages, for the development outbox page. */
  async outbox(limit = 50) {
    const rows = await this.db.selectFrom('notifications').selectAll().orderBy('id', 'desc').limit(limit).execute();
    return rows.map((r) => ({
      id: Number(r.id), channel: r.channel, to: r.recipient, body: r.body, createdAt: new Date(Number(r.created_at)).toISOString(),
      sentAt: r.sent_at === null ? null : new Date(Number(r.sent_at)).toISOString(), error: r.last_error,
    }));
  }

  start(intervalMs = 2000): void {
    if (!this.provider) return;
    this.timer = setInterval(() => { void this.deliver(); }, intervalMs);
    this.timer.unref();
  }

  stop(): void { if (this.timer) clearInterval(this.timer); }

  async deliver(): Promise<void> {
    const p = this.provider;
    if (!p || this.busy) return;
    this.busy = true;
    try {
      const due = await this.db.selectFrom('notifications').selectAll().where('sent_at', 'is', null).where('attempts', '<', 10).orderBy('id').limit(20).execute();
      for (const n of due) {
        try {
          const res = await fetch(`${p.url.replace(/\/$/, '')}/2010-04-01/Accounts/${encodeURIComponent(p.accountSid)}/Messages.json`, {
            method: 'POST', signal: AbortSignal.timeout(5000),
            headers: { authorization: `Basic ${Buffer.from(`${p.accountSid}:${p.authToken}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
            body: new URLSearchParams({ To: n.recipient, From: p.from, Body: n.body }).toString(),
          });
          if (!res.ok) throw new Error(`HTTP ${res.status}`);
          const sid = ((await res.json()) as { sid?: string }).sid ?? null;
          await this.db.updateTable('notifications').set((eb) => ({ sent_at: this.clock.now().getTime(), provider_id: sid, attempts: eb('attempts', '+', 1) })).where('id', '=', n.id).execute();
        } catch (err) {
          await this.db.updateTable('notifications').set((eb) => ({ last_error: (err as Error).message.slice(0, 300), attempts: eb('attempts', '+', 1) })).where('id', '=', n.id).execute();
        }
      }
    } catch (err) {
      this.onError(err);
    } finally {
      this.busy = false;
    }
  }
}
