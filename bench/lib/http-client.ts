// A small JSON client over node:http with keep-alive connections, for open-loop load where each
// request's send time must be known to the microsecond (fetch hides when the request leaves).
import { Agent, request } from 'node:http';

export interface HttpResult {
  status: number;
  text: string;
  /** performance.now() just before the request was handed to the socket pool. */
  sentAt: number;
  /** performance.now() when the whole response body had arrived. */
  doneAt: number;
}

/** The request got no answer in time (an overloaded server, not a broken one). */
export class HttpTimeoutError extends Error {
  constructor(message: string) { super(message); this.name = 'HttpTimeoutError'; }
}

export interface SendOptions {
  body?: unknown;
  token?: string;
  headers?: Record<string, string>;
  timeoutMs?: number;
}

export class JsonClient {
  readonly agent: Agent;
  private host: string;
  private port: number;

  constructor(baseUrl: string, opts: { maxSockets?: number } = {}) {
    const u = new URL(baseUrl);
    this.host = u.hostname;
    this.port = Number(u.port || 80);
    this.agent = new Agent({ keepAlive: true, maxSockets: opts.maxSockets ?? 64, scheduling: 'lifo' });
  }

  send(method: string, path: string, opts: SendOptions = {}): Promise<HttpResult> {
    const payload = opts.body === undefined ? undefined : Buffer.from(JSON.stringify(opts.body));
    const headers: Record<string, string> = { accept: 'application/json', ...opts.headers };
    if (payload) { headers['content-type'] = 'application/json'; headers['content-length'] = String(payload.length); }
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    return new Promise((ok, fail) => {
      const req = request({ host: this.host, port: this.port, method, path, headers, agent: this.agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => ok({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8'), sentAt, doneAt: performance.now() }));
        res.on('error', fail);
      });
      req.setTimeout(opts.timeoutMs ?? 10_000, () => req.destroy(new HttpTimeoutError(`${method} ${path}: no answer in ${opts.timeoutMs ?? 10_000} ms`)));
      req.on('error', fail);
      const sentAt = performance.now();
      req.end(payload);
    });
  }

  /** Sends and parses a JSON answer, failing unless the status is the expected one. */
  async json<T>(method: string, path: string, expected: number | number[], opts: SendOptions = {}): Promise<T> {
    const r = await this.send(method, path, opts);
    const ok = Array.isArray(expected) ? expected.includes(r.status) : r.status === expected;
    if (!ok) throw new Error(`${method} ${path} → HTTP ${r.status} (expected ${String(expected)}): ${r.text.slice(0, 300)}`);
    return (r.text ? JSON.parse(r.text) : null) as T;
  }

  close(): void { this.agent.destroy(); }
}
