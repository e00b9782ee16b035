// A lean closed-loop HTTP/1.1 load generator on node:net, for request rates autocannon cannot
// measure: on this 2-core machine autocannon tops out at ~22,000 req/s against a server that
// does nothing, so for a ≥ 20,000 req/s goal it would be the bottleneck (it shares the cores
// with the server measured). Here the request bytes are one string per request (only the path
// and body change) and the response parser only reads what it needs — the status, where the
// head ends, Content-Length / chunked framing and Connection — on the receive Buffer itself.
// One request in flight per keep-alive connection; load.ts's LoadResult plus what was sent.
import { connect, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { latencyStats, type LoadResult } from './load.js';

export interface RawLoadOptions {
  /** Origin, e.g. http://127.0.0.1:5055 (http only). */
  url: string;
  method: 'GET' | 'POST';
  /** Next request target (path + query) — called once per request written. */
  nextPath: () => string;
  connections: number;
  /** Exactly this many requests in total (split over the connections, every one answered), or… */
  amount?: number;
  /** …as many as fit in this many seconds; requests in flight at the end are awaited (up to timeoutMs) and counted. */
  durationSeconds?: number;
  /** Extra header lines (already formatted, without CRLF), e.g. ['content-type: application/json']. Optional. */
  headers?: string[];
  /** Optional body per request (called once per request if given); sent with Content-Length. */
  nextBody?: () => string;
  /** Per-request timeout, default 10 000 ms: a request unanswered that long counts as a timeout and its connection is re-opened. */
  timeoutMs?: number;
}

export interface RawLoadResult extends LoadResult {
  /** Requests written to a socket. A request lost to a connection error, a bad response or a
   *  timeout is not sent again (the server may have acted on it), so sent − answered of them. */
  sent: number;
  /** Responses received (any status; 1xx not counted). */
  answered: number;
}

/** Delay before re-opening a connection that failed (refused, reset, bad response). */
const RECONNECT_DELAY_MS = 10;
/** A response head (or a chunk-size / trailer line) longer than this is a broken response. */
const MAX_LINE = 64 * 1024;

const CRLF = Buffer.from('\r\n', 'latin1');
const CRLFCRLF = Buffer.from('\r\n\r\n', 'latin1');
const HTTP1 = Buffer.from('HTTP/1.', 'latin1');
const CONTENT_LENGTH = Buffer.from('content-length', 'latin1');
const CONNECTION = Buffer.from('connection', 'latin1');
const TRANSFER_ENCODING = Buffer.from('transfer-encoding', 'latin1');
const CHUNKED = Buffer.from('chunked', 'latin1');
const CLOSE = Buffer.from('close', 'latin1');
const KEEP_ALIVE = Buffer.from('keep-alive', 'latin1');

// Parser states.
const HEAD = 0;
const BODY = 1;
const CHUNK_SIZE = 2;
const CHUNK_DATA = 3;
const CHUNK_END = 4;
const TRAILER = 5;
const UNTIL_CLOSE = 6;

/** Header name (lower-case bytes) at buf[start…], followed by a colon? */
function isHeader(buf: Buffer, start: number, end: number, name: Buffer): boolean {
  const n = name.length;
  if (end - start <= n || buf[start + n] !== 0x3a) return false;
  for (let i = 0; i < n; i++) if ((buf[start + i]! | 0x20) !== name[i]) return false;
  return true;
}

/** Case-insensitive search of a lower-case token in buf[start, end). */
function hasToken(buf: Buffer, start: number, end: number, token: Buffer): boolean {
  const n = token.length;
  outer: for (let i = start; i + n <= end; i++) {
    for (let j = 0; j < n; j++) if ((buf[i + j]! | 0x20) !== token[j]) continue outer;
    return true;
  }
  return false;
}

class Run {
  readonly host: string;
  readonly port: number;
  readonly timeoutMs: number;
  /** `${method} ` and ` HTTP/1.1\r\nHost…\r\n` + extra headers (+ Content-Length: 0 and the blank line when no body). */
  readonly prefix: string;
  readonly suffix: string;
  /** Requests still to send (amount mode). */
  left: number;
  stopping = false;
  finished = false;
  sent = 0;
  answered = 0;
  inFlight = 0;
  errors = 0;
  timeouts = 0;
  bytes = 0;
  firstError: string | null = null;
  readonly statuses = new Uint32Array(600);
  latencies = new Float64Array(1 << 16);
  readonly start = performance.now();
  lastResponseAt = 0;
  lastProgressAt = this.start;
  readonly conns: Conn[] = [];
  private deadline: NodeJS.Timeout | null = null;
  private sweeper: NodeJS.Timeout;

  constructor(readonly opts: RawLoadOptions, private done: (r: RawLoadResult) => void) {
    const u = new URL(opts.url);
    if (u.protocol !== 'http:') throw new Error(`runRawRequests: http only, got ${opts.url}`);
    this.host = u.hostname.replace(/^\[(.*)\]$/, '$1');
    this.port = u.port === '' ? 80 : Number(u.port);
    this.timeoutMs = opts.timeoutMs ?? 10_000;
    const extra = (opts.headers ?? []).map((h) => `${h}\r\n`).join('');
    this.prefix = `${opts.method} `;
    this.suffix = ` HTTP/1.1\r\nHost: ${u.hostname}:${this.port}\r\n${extra}`
      + (opts.nextBody ? '' : opts.method === 'POST' ? 'Content-Length: 0\r\n\r\n' : '\r\n');
    this.left = opts.amount ?? Infinity;
    const n = opts.amount === undefined ? opts.connections : Math.min(opts.connections, opts.amount);
    for (let i = 0; i < n; i++) this.conns.push(new Conn(this));
    if (opts.durationSeconds !== undefined) this.deadline = setTimeout(() => this.stop(), opts.durationSeconds * 1000);
    this.sweeper = setInterval(() => this.sweep(), Math.min(1000, Math.max(20, this.timeoutMs / 4)));
    for (const c of this.conns) c.open();
  }

  /** The next request's bytes, or null when there is nothing more to send. */
  take(): string | null {
    if (this.stopping) return null;
    if (--this.left <= 0) this.stopping = true;
    this.sent++;
    this.inFlight++;
    const body = this.opts.nextBody?.();
    if (body === undefined) return this.prefix + this.opts.nextPath() + this.suffix;
    return `${this.prefix}${this.opts.nextPath()}${this.suffix}Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
  }

  response(status: number, sentAt: number): void {
    const now = performance.now();
    this.inFlight--;
    this.statuses[status] = this.statuses[status]! + 1;
    if (this.answered === this.latencies.length) {
      const grown = new Float64Array(this.latencies.length * 2);
      grown.set(this.latencies);
      this.latencies = grown;
    }
    this.latencies[this.answered++] = now - sentAt;
    this.lastResponseAt = now;
    this.lastProgressAt = now;
  }

  error(message: string): void {
    this.errors++;
    this.firstError ??= message;
  }

  stop(): void {
    this.stopping = true;
    for (const c of this.conns) if (c.outstanding === 0) c.close();
    this.maybeFinish();
  }

  maybeFinish(): void {
    if (this.stopping && this.inFlight === 0) this.finish();
  }

  private sweep(): void {
    const now = performance.now();
    for (const c of this.conns) {
      if (c.outstanding > 0 && now - c.sentAt > this.timeoutMs) {
        this.timeouts++;
        this.error(`no answer within ${this.timeoutMs} ms`);
        c.lost(0);
      }
    }
    // Nothing in flight and no progress for a whole timeout: the server is not there (refused).
    if (this.inFlight === 0 && now - this.lastProgressAt > this.timeoutMs) this.stop();
    this.maybeFinish();
  }

  private finish(): void {
    if (this.finished) return;
    this.finished = true;
    if (this.deadline) clearTimeout(this.deadline);
    clearInterval(this.sweeper);
    for (const c of this.conns) c.close();
    const end = this.answered > 0 ? this.lastResponseAt : performance.now();
    const durationSeconds = Math.max(1e-9, (end - this.start) / 1000);
    const statusCodes: Record<string, number> = {};
    let non2xx = 0;
    for (let s = 0; s < this.statuses.length; s++) {
      const count = this.statuses[s]!;
      if (count === 0) continue;
      statusCodes[String(s)] = count;
      if (s < 200 || s > 299) non2xx += count;
    }
    const sorted = this.latencies.slice(0, this.answered).sort();
    if (this.firstError && this.errors > 0) console.error(`  first connection error: ${this.firstError}`);
    this.done({
      requests: this.answered,
      sent: this.sent,
      answered: this.answered,
      durationSeconds,
      requestsPerSecond: this.answered / durationSeconds,
      latencyMs: latencyStats(sorted),
      statusCodes,
      non2xx,
      errors: this.errors,
      timeouts: this.timeouts,
      bytesPerSecond: this.bytes / durationSeconds,
      latencies: sorted,
    });
  }
}

/** One keep-alive connection with at most one request in flight, and its response parser. */
class Conn {
  socket: Socket | null = null;
  outstanding = 0;
  sentAt = 0;
  private reconnect: NodeJS.Timeout | null = null;
  /** Unparsed bytes of a head or chunk line split across reads. */
  private rest: Buffer | null = null;
  private state = HEAD;
  private remaining = 0;
  private status = 0;
  private closeAfter = false;

  constructor(private run: Run) {}

  open(): void {
    this.reconnect = null;
    if (this.run.stopping) { this.run.maybeFinish(); return; }
    this.rest = null;
    this.state = HEAD;
    this.closeAfter = false;
    const socket = connect({ host: this.run.host, port: this.run.port });
    this.socket = socket;
    socket.setNoDelay(true);
    let failed: Error | null = null;
    socket.on('connect', () => {
      if (this.socket !== socket) return;
      this.run.lastProgressAt = performance.now();
      this.next();
    });
    socket.on('data', (chunk: Buffer) => { if (this.socket === socket) this.data(socket, chunk); });
    socket.on('error', (err) => { failed = err; });
    socket.on('close', () => {
      if (this.socket !== socket) return;
      this.socket = null;
      if (this.outstanding > 0 && this.state === UNTIL_CLOSE && !failed) {
        this.complete();
        this.reopen(0);
      } else if (this.outstanding > 0 || failed) {
        this.run.error(failed ? `${(failed as NodeJS.ErrnoException).code ?? failed.message}` : 'connection closed before the response ended');
        this.lost(RECONNECT_DELAY_MS);
      } else {
        this.reopen(0); // idle keep-alive connection closed by the server
      }
    });
  }

  /** Destroy without re-opening. */
  close(): void {
    if (this.reconnect) { clearTimeout(this.reconnect); this.reconnect = null; }
    const s = this.socket;
    this.socket = null;
    s?.destroy();
  }

  /** The request in flight (if any) is given up; re-open after delayMs. */
  lost(delayMs: number): void {
    if (this.outstanding > 0) { this.outstanding = 0; this.run.inFlight--; }
    this.close();
    this.reopen(delayMs);
  }

  private reopen(delayMs: number): void {
    if (this.run.stopping) { this.run.maybeFinish(); return; }
    if (delayMs === 0) this.open();
    else this.reconnect = setTimeout(() => this.open(), delayMs);
  }

  private next(): void {
    const req = this.run.take();
    if (req === null) { this.close(); this.run.maybeFinish(); return; }
    this.outstanding = 1;
    this.sentAt = performance.now();
    this.socket!.write(req, this.run.opts.nextBody ? 'utf8' : 'latin1');
  }

  private protocolError(message: string): void {
    this.run.error(`bad response: ${message}`);
    this.lost(RECONNECT_DELAY_MS);
  }

  private complete(): void {
    this.outstanding = 0;
    this.state = HEAD;
    this.run.response(this.status, this.sentAt);
  }

  private data(socket: Socket, chunk: Buffer): void {
    this.run.bytes += chunk.length;
    let buf = chunk;
    if (this.rest !== null) { buf = Buffer.concat([this.rest, chunk]); this.rest = null; }
    const end = buf.length;
    let at = 0;
    while (at < end) {
      if (this.outstanding === 0) { this.protocolError('bytes after the response'); return; }
      switch (this.state) {
        case HEAD: {
          const h = buf.indexOf(CRLFCRLF, at);
          if (h < 0) {
            if (end - at > MAX_LINE) { this.protocolError('head too long'); return; }
            this.rest = buf.subarray(at);
            return;
          }
          const problem = this.head(buf, at, h);
          if (problem !== null) { this.protocolError(problem); return; }
          at = h + 4;
          break;
        }
        case BODY: {
          const take = Math.min(this.remaining, end - at);
          at += take;
          if ((this.remaining -= take) === 0) this.complete();
          break;
        }
        case CHUNK_SIZE: {
          const e = buf.indexOf(CRLF, at);
          if (e < 0) {
            if (end - at > MAX_LINE) { this.protocolError('chunk size line too long'); return; }
            this.rest = buf.subarray(at);
            return;
          }
          let size = 0;
          let i = at;
          for (; i < e; i++) {
            const c = buf[i]!;
            const d = c >= 0x30 && c <= 0x39 ? c - 0x30 : (c | 0x20) >= 0x61 && (c | 0x20) <= 0x66 ? (c | 0x20) - 0x57 : -1;
            if (d < 0) break;
            size = size * 16 + d;
          }
          if (i === at || i - at > 12 || (i < e && buf[i] !== 0x3b && buf[i] !== 0x20 && buf[i] !== 0x09)) {
            this.protocolError('bad chunk size');
            return;
          }
          at = e + 2;
          if (size === 0) this.state = TRAILER;
          else { this.remaining = size; this.state = CHUNK_DATA; }
          break;
        }
        case CHUNK_DATA: {
          const take = Math.min(this.remaining, end - at);
          at += take;
          if ((this.remaining -= take) === 0) { this.remaining = 2; this.state = CHUNK_END; }
          break;
        }
        case CHUNK_END: {
          if (buf[at] !== (this.remaining === 2 ? 0x0d : 0x0a)) { this.protocolError('chunk not followed by CRLF'); return; }
          at++;
          if (--this.remaining === 0) this.state = CHUNK_SIZE;
          break;
        }
        case TRAILER: {
          const e = buf.indexOf(CRLF, at);
          if (e < 0) {
            if (end - at > MAX_LINE) { this.protocolError('trailer too long'); return; }
            this.rest = buf.subarray(at);
            return;
          }
          const empty = e === at; // the blank line that ends the trailers
          at = e + 2;
          if (empty) this.complete();
          break;
        }
        default: // UNTIL_CLOSE: the body is everything up to the end of the connection
          at = end;
      }
      if (this.outstanding === 0 && this.closeAfter) {
        if (at < end) { this.protocolError('bytes after a Connection: close response'); return; }
        this.close();
        this.reopen(0);
        return;
      }
    }
    if (this.outstanding === 0 && this.socket === socket) this.next();
  }

  /** Reads the head in buf[s, h) (h: where \r\n\r\n starts); sets the state for what follows,
   *  completes a response without a body. Returns what is wrong with it, or null. */
  private head(buf: Buffer, s: number, h: number): string | null {
    if (h - s < 12 || buf.compare(HTTP1, 0, 7, s, s + 7) !== 0 || buf[s + 8] !== 0x20) return 'bad status line';
    const d0 = buf[s + 9]! - 0x30, d1 = buf[s + 10]! - 0x30, d2 = buf[s + 11]! - 0x30;
    if (d0 < 1 || d0 > 5 || d1 < 0 || d1 > 9 || d2 < 0 || d2 > 9) return 'bad status code';
    const status = d0 * 100 + d1 * 10 + d2;
    let contentLength = -1;
    let chunked = false;
    let closeToken = false;
    let keepAliveToken = false;
    let pos = buf.indexOf(CRLF, s) + 2;
    while (pos < h + 2) {
      const le = buf.indexOf(CRLF, pos);
      const c = buf[pos]! | 0x20;
      if (c === 0x63 /* c */ || c === 0x74 /* t */) {
        let v = -1;
        let which = 0;
        if (isHeader(buf, pos, le, CONTENT_LENGTH)) { v = pos + 15; which = 1; }
        else if (isHeader(buf, pos, le, CONNECTION)) { v = pos + 11; which = 2; }
        else if (isHeader(buf, pos, le, TRANSFER_ENCODING)) { v = pos + 18; which = 3; }
        if (which !== 0) {
          let ve = le;
          while (v < ve && (buf[v] === 0x20 || buf[v] === 0x09)) v++;
          while (ve > v && (buf[ve - 1] === 0x20 || buf[ve - 1] === 0x09)) ve--;
          if (which === 1) {
            if (v === ve || ve - v > 15) return 'bad Content-Length';
            let n = 0;
            for (let i = v; i < ve; i++) {
              const dd = buf[i]! - 0x30;
              if (dd < 0 || dd > 9) return 'bad Content-Length';
              n = n * 10 + dd;
            }
            if (contentLength >= 0 && n !== contentLength) return 'conflicting Content-Length';
            contentLength = n;
          } else if (which === 2) {
            if (hasToken(buf, v, ve, CLOSE)) closeToken = true;
            if (hasToken(buf, v, ve, KEEP_ALIVE)) keepAliveToken = true;
          } else {
            // Chunked must be the last coding; anything else would be framed by the close.
            chunked = ve - v >= 7 && hasToken(buf, ve - 7, ve, CHUNKED);
            if (!chunked) contentLength = -2;
          }
        }
      }
      pos = le + 2;
    }
    if (status < 200) {
      if (status === 101) return 'unexpected 101 Switching Protocols';
      return null; // 100 Continue and the like: skipped, the real response follows
    }
    this.status = status;
    // HTTP/1.0 closes unless asked to keep alive.
    this.closeAfter = closeToken || (buf[s + 7] === 0x30 && !keepAliveToken);
    if (status === 204 || status === 304) this.complete();
    else if (chunked) this.state = CHUNK_SIZE;
    else if (contentLength === 0) this.complete();
    else if (contentLength > 0) { this.remaining = contentLength; this.state = BODY; }
    else { this.closeAfter = true; this.state = UNTIL_CLOSE; }
    return null;
  }
}

/** Closed-loop load over `connections` keep-alive connections (one request in flight on each).
 *  durationSeconds runs from the call (connects included) to the last response; errors include
 *  timeouts, as in LoadResult. Never rejects: a server that refuses every connection for a whole
 *  timeoutMs ends the run with the errors counted. */
export function runRawRequests(opts: RawLoadOptions): Promise<RawLoadResult> {
  if ((opts.amount === undefined) === (opts.durationSeconds === undefined)) throw new Error('runRawRequests: give amount or durationSeconds');
  if (opts.amount !== undefined && !(Number.isInteger(opts.amount) && opts.amount > 0)) throw new Error('runRawRequests: amount must be a positive integer');
  if (!(Number.isInteger(opts.connections) && opts.connections > 0)) throw new Error('runRawRequests: connections must be a positive integer');
  return new Promise((ok) => { new Run(opts, ok); });
}
