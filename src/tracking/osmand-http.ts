// The OsmAnd protocol exactly as a Traccar server answers it: any path, any method; 200 with an
// empty body when accepted; 400 for a missing or unknown id (query/form); 404 for an unknown
// device_id (JSON). Served on its own port (5055, what trackers are configured for) by a bare
// node:http server — no framework between a tracker and the pipeline — and by the main server.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { decodeOsmAnd } from './domain/osmand.js';
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

export function createOsmAndServer(tracking: TrackingService, opts: { localOffsetMinutes: number; onError: (err: unknown) => void }): Server {
  const server = createServer((req, res) => {
    readBody(req, MAX_OSMAND_BODY).then(async (body) => {
      if (body === null) return reply(res, 413);
      const q = req.url?.indexOf('?') ?? -1;
      const query = q >= 0 ? req.url!.slice(q + 1) : '';
      const answer = await handleOsmAnd(tracking, query, body, req.headers['content-type'], opts.localOffsetMinutes);
      reply(res, answer.status);
    }).catch((err: unknown) => {
      opts.onError(err);
      if (!res.headersSent) reply(res, 500);
    });
  });
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  server.requestTimeout = 30_000;
  return server;
}

function reply(res: ServerResponse, status: number): void {
  res.writeHead(status, { 'content-length': '0' });
  res.end();
}

/** The body as text, or null when it is larger than allowed (the rest is discarded). */
function readBody(req: IncomingMessage, limit: number): Promise<string | null> {
  // Traccar Client ≤ 8 sends everything in the query and no body: skip the stream machinery.
  if ((req.headers['content-length'] === undefined || req.headers['content-length'] === '0') && req.headers['transfer-encoding'] === undefined) {
    req.resume();
    return Promise.resolve('');
  }
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > limit) { req.resume(); resolve(null); return; }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= limit) chunks.push(c);
    });
    req.on('end', () => resolve(size > limit ? null : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
