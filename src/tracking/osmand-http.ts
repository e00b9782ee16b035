// The OsmAnd protocol as a Traccar server answers it — any path, any method, 200 with an empty
// body when accepted, 400 when malformed — with one deliberate difference: an unregistered id
// gets the same 200 as a registered one (Traccar answers 400/404, which lets anyone find ids by
// sweeping). Unknown ids are counted per source network instead, and a network that sweeps is
// throttled: 429 for every request from it, known id or not (see sweeps.ts). Served on its own
// port (5055, what trackers are configured for) and by the main server (/api/v1/osmand).
//
// The dedicated port speaks HTTP/1.1 itself (http1.ts) on node:net: a tracker request is a few
// hundred bytes and its ingest costs ~16 µs, while node:http's request/response objects cost
// twice that again — the port is where a whole fleet reports every few seconds.
import { readFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { decodeOsmAnd } from './domain/osmand.js';
import { Http1Parser, type Http1Event, type Http1Request } from './http1.js';
import type { TrackingService } from './service.js';

export const MAX_OSMAND_BODY = 64 * 1024;

export interface OsmAndAnswer { status: 200 | 400 | 429; body: string; retryAfterS?: number }

/** What the protocol needs from tracking (a narrow port, so the socket layer is tested on its own). */
export type OsmAndIngest = Pick<TrackingService, 'receiveTracker'>;

/**
 * Decode, hand to tracking, answer. Shared by the dedicated port and the main server's route.
 * `network`: the keyed hash of the sender's network (src/http/client.ts networkKey).
 */
export async function handleOsmAnd(tracking: OsmAndIngest, query: string, body: string, contentType: string | undefined, localOffsetMinutes: number, network: string): Promise<OsmAndAnswer> {
  const decoded = decodeOsmAnd({ query, body, contentType }, { localOffsetMinutes });
  // Malformed says nothing about whether an id is registered.
  if (!decoded.ok) return { status: 400, body: '' };
  const { throttledS } = await tracking.receiveTracker(decoded.deviceId, decoded.reports, network);
  return throttledS > 0 ? { status: 429, body: '', retryAfterS: throttledS } : { status: 200, body: '' };
}

const REASONS: Record<number, string> = {
  200: 'OK', 400: 'Bad Request', 408: 'Request Timeout', 413: 'Payload Too Large',
  417: 'Expectation Failed', 429: 'Too Many Requests', 431: 'Request Header Fields Too Large', 500: 'Internal Server Error',
  501: 'Not Implemented', 505: 'HTTP Version Not Supported',
};

/** The process's soft limit on open files (Linux: /proc/self/limits), or null where it cannot be read. */
export function softFileLimit(read: () => string = () => readFileSync('/proc/self/limits', 'utf8')): number | null {
  try {
    const m = /^Max open files\s+(\S+)/m.exec(read());
    if (!m) return null;
    return m[1] === 'unlimited' ? Number.MAX_SAFE_INTEGER : Number(m[1]) || null;
  } catch {
    return null;
  }
}

/** Connections the port may hold when no cap is configured (or where the soft limit is unknown). */
const FALLBACK_MAX_CONNECTIONS = 1024;
const CEILING_MAX_CONNECTIONS = 20_000;

/**
 * The port's connection cap: at most half the descriptors the process may open, less a reserve,
 * so that however many connections arrive here the main server (panic alerts), the database
 * and the files keep theirs. A configured cap above that is lowered to it (`lowered`).
 */
export function osmandConnectionCap(configured: number | null | undefined, soft: number | null): { max: number; lowered: boolean } {
  const bound = soft === null ? null : Math.max(16, Math.min(CEILING_MAX_CONNECTIONS, Math.floor(soft / 2) - 64));
  if (configured === null || configured === undefined) return { max: bound ?? FALLBACK_MAX_CONNECTIONS, lowered: false };
  if (soft !== null && configured > Math.max(16, Math.floor(soft / 2) - 64)) return { max: Math.max(16, Math.floor(soft / 2) - 64), lowered: true };
  return { max: configured, lowered: false };
}

/** Answers are always empty: the bytes of each (status, connection) pair are built once. */
const answers = new Map<string, Buffer>();
function answerBytes(status: number, connection: 'keep' | 'keep-10' | 'close'): Buffer {
  const key = `${status}:${connection}`;
  let bytes = answers.get(key);
  if (!bytes) {
    const conn = connection === 'close' ? 'Connection: close\r\n' : connection === 'keep-10' ? 'Connection: keep-alive\r\n' : '';
    bytes = Buffer.from(`HTTP/1.1 ${status} ${REASONS[status] ?? 'Error'}\r\nContent-Length: 0\r\n${conn}\r\n`, 'latin1');
    answers.set(key, bytes);
  }
  return bytes;
}
const CONTINUE = Buffer.from('HTTP/1.1 100 Continue\r\n\r\n', 'latin1');

export interface OsmAndServerOptions {
  localOffsetMinutes: number;
  onError: (err: unknown) => void;
  /** The keyed hash of a client address's network (unknown ids and throttling are counted by it). */
  networkKey: (ip: string) => string;
  /** Connections held at once; null/absent: sized from the file-descriptor limit (see osmandConnectionCap). */
  maxConnections?: number | null;
  /** Connections one client address may hold at once (default 256); more are closed at once. */
  maxConnectionsPerSource?: number;
  /** Operational warnings (caps reached, a cap lowered), at most one a minute of each kind. */
  onWarning?: (message: string, details?: Record<string, unknown>) => void;
  /** An idle keep-alive connection is closed after this long (Traccar Client reconnects). */
  keepAliveTimeoutMs?: number;
  /** A request must arrive whole within this long of its first byte, or 408 and close. */
  requestTimeoutMs?: number;
  maxHeadBytes?: number;
  maxBodyBytes?: number;
}

export interface OsmAndServer {
  readonly server: Server;
  /** The caps in force. */
  readonly caps: { maxConnections: number; maxConnectionsPerSource: number };
  /** Connections open now. */
  connections(): number;
  listen(port: number, host: string): Promise<void>;
  /** The port actually bound (for port 0). */
  port(): number;
  /** Stops accepting and closes every connection at once (an ingest under way still completes; its answer is dropped). */
  close(): Promise<void>;
}

/** Requests queued on one connection before it stops reading (a client pipelining without limit). */
const MAX_QUEUED = 64;

export function createOsmAndServer(tracking: OsmAndIngest, opts: OsmAndServerOptions): OsmAndServer {
  const keepAliveTimeoutMs = opts.keepAliveTimeoutMs ?? 65_000;
  const requestTimeoutMs = opts.requestTimeoutMs ?? 30_000;
  const limits = { maxHeadBytes: opts.maxHeadBytes ?? 16 * 1024, maxBodyBytes: opts.maxBodyBytes ?? MAX_OSMAND_BODY };
  const connections = new Set<Connection>();
  const cap = osmandConnectionCap(opts.maxConnections, softFileLimit());
  const maxPerSource = opts.maxConnectionsPerSource ?? 256;
  /** Open connections per client address: in memory, since they are about this process's descriptors. */
  const perSource = new Map<string, number>();
  const warnedAt = new Map<string, number>();
  // Socket timing (warning rate, request deadlines) is elapsed real time beside node's own socket
  // timers, never business time: the monotonic performance clock, not the injected one.
  const warn = (kind: string, message: string, details?: Record<string, unknown>) => {
    const now = performance.now();
    if (!opts.onWarning || now - (warnedAt.get(kind) ?? -Infinity) < 60_000) return;
    warnedAt.set(kind, now);
    opts.onWarning(message, details);
  };
  if (cap.lowered) warn('lowered', `OsmAnd port: connection cap lowered to ${cap.max} (half the process's open-file limit, less a reserve)`, { configured: opts.maxConnections, max: cap.max });

  class Connection {
    private readonly parser = new Http1Parser(limits);
    private readonly queue: Http1Event[] = [];
    private running = false;
    private closing = false;
    /** When the request now arriving sent its first byte (0: none is arriving). */
    startedAt = 0;
    private network: string | null = null;

    constructor(readonly socket: Socket, private readonly address: string) {
      socket.setNoDelay(true);
      socket.setTimeout(keepAliveTimeoutMs, () => socket.destroy());
      socket.on('data', (chunk: Buffer) => this.onData(chunk));
      socket.on('error', () => socket.destroy());
      socket.on('close', () => connections.delete(this));
    }

    private onData(chunk: Buffer): void {
      if (this.closing) return; // lingering after an error answer: the rest is discarded
      if (this.startedAt === 0) this.startedAt = performance.now();
      const before = this.queue.length;
      this.parser.push(chunk, this.queue);
      if (!this.parser.midRequest) this.startedAt = 0;
      if (this.queue.length !== before) this.run();
      if (this.queue.length > MAX_QUEUED) this.socket.pause();
    }

    /** Answers queued requests one after another, in order (HTTP/1.1 pipelining). */
    private run(): void {
      if (this.running) return;
      this.running = true;
      const next = (): void => {
        while (this.queue.length > 0 && !this.closing) {
          const event = this.queue.shift()!;
          if (this.queue.length <= MAX_QUEUED / 2 && this.socket.isPaused()) this.socket.resume();
          if (event.kind === 'continue') { this.socket.write(CONTINUE); continue; }
          if (event.kind === 'error') { this.fail(event.status); break; }
          this.handle(event.request).then(next, (err: unknown) => { opts.onError(err); this.fail(500); this.running = false; });
          return;
        }
        this.running = false;
      };
      next();
    }

    /** Ingests one request and answers it. */
    private handle(req: Http1Request): Promise<void> {
      const q = req.target.indexOf('?');
      const query = q >= 0 ? req.target.slice(q + 1) : '';
      const body = req.body.length > 0 ? req.body.toString('utf8') : '';
      this.network ??= opts.networkKey(this.address);
      return handleOsmAnd(tracking, query, body, req.headers.get('content-type'), opts.localOffsetMinutes, this.network)
        .then((answer) => this.answer(req, answer.status, answer.retryAfterS));
    }

    private answer(req: Http1Request, status: number, retryAfterS?: number): void {
      if (this.closing) return;
      if (status === 429) {
        // Throttled: say when to come back, and free the descriptor.
        this.closing = true;
        this.socket.end(Buffer.from(`HTTP/1.1 429 Too Many Requests\r\nContent-Length: 0\r\nRetry-After: ${retryAfterS ?? 60}\r\nConnection: close\r\n\r\n`, 'latin1'));
        return;
      }
      if (!req.keepAlive) { this.closing = true; this.socket.end(answerBytes(status, 'close')); return; }
      this.socket.write(answerBytes(status, req.http10 ? 'keep-10' : 'keep'));
    }

    /** Answers and closes: the connection's bytes can no longer be trusted to frame requests. */
    fail(status: number): void {
      if (this.closing) return;
      this.closing = true;
      this.queue.length = 0;
      this.socket.resume();
      // Half-close and keep reading (discarding) briefly, so a client still sending its body
      // reads the answer instead of a reset.
      this.socket.end(answerBytes(status, 'close'));
      setTimeout(() => this.socket.destroy(), 2000).unref();
    }
  }

  const server = createServer({ noDelay: true }, (socket) => {
    const address = socket.remoteAddress ?? '';
    const held = perSource.get(address) ?? 0;
    if (held >= maxPerSource) {
      socket.destroy();
      warn('per-source', `OsmAnd port: a client address reached its cap of ${maxPerSource} connections; new ones are closed`, { maxConnectionsPerSource: maxPerSource });
      return;
    }
    perSource.set(address, held + 1);
    socket.once('close', () => {
      const left = (perSource.get(address) ?? 1) - 1;
      if (left <= 0) perSource.delete(address); else perSource.set(address, left);
    });
    connections.add(new Connection(socket, address));
  });
  // Past the total cap node closes new connections as soon as they are accepted.
  server.maxConnections = cap.max;
  server.on('drop', () => warn('total', `OsmAnd port: ${cap.max} connections open (its cap); new ones are closed`, { maxConnections: cap.max }));
  const sweep = setInterval(() => {
    const limit = performance.now() - requestTimeoutMs;
    for (const c of connections) if (c.startedAt !== 0 && c.startedAt < limit) c.fail(408);
  }, Math.min(5000, requestTimeoutMs));
  sweep.unref();

  return {
    server,
    caps: { maxConnections: cap.max, maxConnectionsPerSource: maxPerSource },
    connections: () => connections.size,
    listen: (port, host) => new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => { server.off('error', reject); resolve(); });
    }),
    port: () => {
      const addr = server.address();
      return typeof addr === 'object' && addr ? addr.port : 0;
    },
    close: () => new Promise<void>((resolve) => {
      clearInterval(sweep);
      server.close(() => resolve());
      for (const c of connections) c.socket.destroy();
    }),
  };
}
