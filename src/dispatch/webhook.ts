// Hands escalated alerts to a 911/C5 integration: a durable outbox, delivered with an HMAC-SHA256
// signature the receiver can verify, retried with back-off until it is accepted.
import { createHmac } from 'node:crypto';
import type { Clock } from '../kernel/index.js';
import type { DispatchStore } from './storage.js';

export interface WebhookOptions { url: string; secret: string; intervalMs: number; clock: Clock; onError: (err: unknown) => void }

export function sign(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

export class WebhookSender {
  private timer: NodeJS.Timeout | null = null;
  private busy = false;

  constructor(private store: DispatchStore, private opts: WebhookOptions) {}

  start(): void {
    this.timer = setInterval(() => { void this.deliverDue(); }, this.opts.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  async deliverDue(): Promise<number> {
    if (this.busy) return 0;
    this.busy = true;
    let delivered = 0;
    try {
      const now = this.opts.clock.now().getTime();
      for (const row of await this.store.dueWebhooks(now, 20)) {
        const ts = String(Math.floor(now / 1000));
        try {
          const res = await fetch(this.opts.url, {
            method: 'POST', body: row.payload, signal: AbortSignal.timeout(5000),
            headers: { 'content-type': 'application/json', 'x-cuadrante-event': row.event, 'x-cuadrante-timestamp': ts, 'x-cuadrante-signature': sign(this.opts.secret, ts, row.payload) },
          });
          if (!res.ok) throw new Error(`HTTP ${res.status}`);
          await this.store.markWebhook(row.id, { deliveredAt: now });
          delivered++;
        } catch (err) {
          const backoff = Math.min(600_000, 5000 * 2 ** Number(row.attempts));
          await this.store.markWebhook(row.id, { error: (err as Error).message, nextAttemptAt: now + backoff });
        }
      }
    } catch (err) {
      this.opts.onError(err);
    } finally {
      this.busy = false;
    }
    return delivered;
  }
}
