// A 911/C5 receiver on a local port for hand-off tests: records every request (with the time it
// arrived) and answers as the test says — at once, after a delay, with an error, by resetting the
// connection, or never. Like a real receiver it can de-duplicate on X-Cuadrante-Delivery.
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

export interface Hit {
  delivery: string;
  attempt: number;
  alertId: string;
  /** performance.now() when the whole request had arrived. */
  at: number;
  headers: IncomingHttpHeaders;
  body: string;
  /** Requests open for this delivery id when this one arrived (this one included). */
  concurrent: number;
}

/** What to do with a request: a status, 'reset' (destroy the socket), 'silent' (never answer), or a status after a delay. */
export type Answer = number | 'reset' | 'silent' | { status: number; afterMs: number };

export class Receiver {
  readonly hits: Hit[] = [];
  /** Delivery ids processed, once each however often they arrive (the receiver's de-duplication). */
  readonly processed = new Map<string, number>();
  answer: (hit: Hit) => Answer = () => 204;
  private server: Server | null = null;
  private sockets = new Set<Socket>();
  private open = new Map<string, number>();
  private pending = new Set<ServerResponse>();
  port = 0;
  /** Requests open right now, and the most ever open at once. */
  openNow = 0;
  maxOpen = 0;

  get url(): string { return `http://127.0.0.1:${this.port}/c5`; }

  /** Listens on `port` (0: any free one). */
  async listen(port = 0): Promise<this> {
    const server = createServer((req, res) => {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (c: string) => { body += c; });
      req.on('end', () => {
        const delivery = String(req.headers['x-cuadrante-delivery'] ?? '');
        const concurrent = (this.open.get(delivery) ?? 0) + 1;
        this.open.set(delivery, concurrent);
        let closed = false;
        this.maxOpen = Math.max(this.maxOpen, ++this.openNow);
        const done = () => { if (!closed) { closed = true; this.openNow--; this.open.set(delivery, (this.open.get(delivery) ?? 1) - 1); } };
        res.on('finish', done);
        res.on('close', done);
        let alertId = '';
        try { alertId = String((JSON.parse(body) as { alertId?: string }).alertId ?? ''); } catch { /* not JSON */ }
        const hit: Hit = { delivery, attempt: Number(req.headers['x-cuadrante-attempt'] ?? 0), alertId, at: performance.now(), headers: req.headers, body, concurrent };
        this.hits.push(hit);
        if (!this.processed.has(delivery)) this.processed.set(delivery, this.hits.length - 1);
        const a = this.answer(hit);
        if (a === 'reset') { req.socket.destroy(); return; }
        if (a === 'silent') { this.pending.add(res); return; }
        if (typeof a === 'number') { res.writeHead(a).end(); return; }
        this.pending.add(res);
        setTimeout(() => { this.pending.delete(res); if (!res.destroyed) res.writeHead(a.status).end(); }, a.afterMs);
      });
    });
    server.on('connection', (s) => { this.sockets.add(s); s.on('close', () => this.sockets.delete(s)); });
    await new Promise<void>((ok, fail) => { server.once('error', fail); server.listen(port, '127.0.0.1', () => ok()); });
    this.server = server;
    this.port = (server.address() as { port: number }).port;
    return this;
  }

  hitsFor(alertId: string): Hit[] { return this.hits.filter((h) => h.alertId === alertId); }

  /** Answers every request left unanswered so far. */
  answerPending(status = 204): void {
    for (const res of this.pending) if (!res.destroyed) res.writeHead(status).end();
    this.pending.clear();
  }

  async close(): Promise<void> {
    for (const res of this.pending) res.destroy();
    this.pending.clear();
    for (const s of this.sockets) s.destroy();
    if (this.server) await new Promise<void>((r) => this.server!.close(() => r()));
    this.server = null;
  }
}
