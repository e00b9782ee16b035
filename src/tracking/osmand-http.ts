// The OsmAnd protocol exactly as a Traccar server answers it: any path, any method; 200 with an
// empty body when accepted; 400 for a missing or unknown id (query/form); 404 for an unknown
// device_id (JSON). Served on its own port (5055, what trackers are configured for) and by the
// main server (/api/v1/osmand, through Fastify).
//
// The dedicated port speaks HTTP/1.1 itself (http1.ts) on node:net: a tracker request is a few
// hundred bytes and its ingest costs ~16 µs, while node:http's request/response objects cost
// twice that again — the port is where a whole fleet reports every few seconds.
import { createServer, type Server, type Socket } from 'node:net';
import { decodeOsmAnd } from './domain/osmand.js';
import { Http1Parser, type Http1Event, type Http1Request } from './http1.js';
import type { TrackingService } from './service.js';

export const MAX_OSMAND_BODY = 64 * 1024;

export interface OsmAndAnswer { status: number; body: string }

/** Decode, check the device, ingest. Shared by the dedicated port and the main server's route. */
export async function handleOsmAnd(tracking: TrackingService, query: string, body: string, contentType: string | undefined, localOffsetMinutes: number): Promise<OsmAndAnswer> {
  const decoded = decodeOsmAnd({ query, body, contentType }, { localOffsetMinutes });
  if (!decoded.ok) return { status: 400, body: '' };
  const result = await tracking.ingestTracker(decoded.deviceId, decoded.reports);
  if (result === null) return { status: decoded.format === 'json' ? 404 : 400, body: '' };
  return { status: 200, body: '' };
}

const REASONS: Record<number, string> = {
  200: 'OK', 400: 'Bad Request', 404: 'Not Found', 408: 'Request Timeout', 413: 'Payload Too Large',
  417: 'Expectation Failed', 431: 'Request Header Fields Too Large', 500: 'Internal Server Error',
  501: 'Not Implemented', 505: 'HTTP Version Not Supported',
};

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
  /** An idle keep-alive connection is closed after this long (Traccar Client reconnects). */
  keepAliveTimeoutMs?: number;
  /** A request must arrive whole within this long of its first byte, or 408 and close. */
  requestTimeoutMs?: number;
  maxHeadBytes?: number;
  maxBodyBytes?: number;
}

export interface OsmAndServer {
  readonly server: Server;
  listen(port: number, host: string): Promise<void>;
  /** The port actually bound (for port 0). */
  port(): number;
  /** Stops accepting and closes every connection at once (an ingest under way still completes; its answer is dropped). */
  close(): Promise<void>;
}

/** Requests queued on one connection before it stops reading (a client pipelining without limit). */
const MAX_QUEUED = 64;

export function createOsmAndServer(tracking: TrackingService, opts: OsmAndServerOptions): OsmAndServer {
  const keepAliveTimeoutMs = opts.keepAliveTimeoutMs ?? 65_000;
  const requestTimeoutMs = opts.requestTimeoutMs ?? 30_000;
  const limits = { maxHeadBytes: opts.maxHeadBytes ?? 16 * 1024, maxBodyBytes: opts.maxBodyBytes ?? MAX_OSMAND_BODY };
  const connections = new Set<Connection>();

  class Connection {
    private readonly parser = new Http1Parser(limits);
    private readonly queue: Http1Event[] = [];
    private running = false;
    private closing = false;
    /** When the request now arriving sent its first byte (0: none is arriving). */
    startedAt = 0;

    constructor(readonly socket: Socket) {
      socket.setNoDelay(true);
      socket.setTimeout(keepAliveTimeoutMs, () => socket.destroy());
      socket.on('data', (chunk: Buffer) => this.onData(chunk));
      socket.on('error', () => socket.destroy());
      socket.on('close', () => connections.delete(this));
    }

    private onData(chunk: Buffer): void {
      if (this.closing) return; // lingering after an error answer: the rest is discarded
      if (this.startedAt === 0) this.startedAt = Date.now();
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
      return handleOsmAnd(tracking, query, body, req.headers.get('content-type'), opts.localOffsetMinutes)
        .then((answer) => this.answer(req, answer.status));
    }

    private answer(req: Http1Request, status: number): void {
      if (this.closing) return;
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

  const server = createServer({ noDelay: true }, (socket) => { connections.add(new Connection(socket)); });
  const sweep = setInterval(() => {
    const limit = Date.now() - requestTimeoutMs;
    for (const c of connections) if (c.startedAt !== 0 && c.startedAt < limit) c.fail(408);
  }, Math.min(5000, requestTimeoutMs));
  sweep.unref();

  return {
    server,
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
