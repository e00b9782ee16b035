// The tracker port's HTTP/1.1 behaviour on a real socket. Ingest is replaced by a small double
// here (the real pipeline behind this port is tested in tests/http/tracking.test.ts on both
// storage engines); what is tested is framing, order, answers and connection handling.
import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createOsmAndServer, osmandConnectionCap, softFileLimit, type OsmAndIngest, type OsmAndServer } from './osmand-http.js';

const seen: string[] = [];
/** Networks the double says are throttled, for this many seconds. */
const throttled = new Map<string, number>();
const networks: string[] = [];
const tracking: OsmAndIngest = {
  async receiveTracker(deviceId: string, _reports, network: string) {
    seen.push(deviceId);
    networks.push(network);
    if (deviceId === 'slow') await new Promise((r) => setTimeout(r, 30));
    if (deviceId === 'boom') throw new Error('storage down');
    return { throttledS: throttled.get(network) ?? 0 };
  },
};

let server: OsmAndServer | null = null;
const errors: unknown[] = [];
afterEach(async () => { await server?.close(); server = null; seen.length = 0; errors.length = 0; networks.length = 0; throttled.clear(); });

async function start(opts: { requestTimeoutMs?: number; maxConnections?: number; maxConnectionsPerSource?: number } = {}): Promise<number> {
  server = createOsmAndServer(tracking, { localOffsetMinutes: 0, onError: (e) => errors.push(e), maxBodyBytes: 1024, networkKey: (ip) => `net:${ip}`, ...opts });
  await server.listen(0, '127.0.0.1');
  return server.port();
}

/** A raw client: everything the server sends, and whether it closed. */
function client(port: number, localAddress?: string): Promise<{ socket: Socket; received: () => string; closed: () => boolean; waitFor: (pred: (s: string) => boolean, ms?: number) => Promise<string> }> {
  return new Promise((ok, fail) => {
    let data = '';
    let isClosed = false;
    const socket = connect({ port, host: '127.0.0.1', ...(localAddress ? { localAddress } : {}) }, () => ok({
      socket,
      received: () => data,
      closed: () => isClosed,
      waitFor: async (pred, ms = 3000) => {
        const until = Date.now() + ms;
        while (!pred(data)) {
          if (Date.now() > until) throw new Error(`timed out; received so far: ${JSON.stringify(data)}`);
          await new Promise((r) => setTimeout(r, 5));
        }
        return data;
      },
    }));
    socket.on('data', (d) => { data += d.toString('latin1'); });
    socket.on('close', () => { isClosed = true; });
    socket.on('error', () => {});
    socket.once('error', fail);
  });
}

const statuses = (raw: string) => [...raw.matchAll(/HTTP\/1\.1 (\d{3})/g)].map((m) => Number(m[1]));
const get = (id: string, extra = '') => `POST /?id=${id}&lat=19.4&lon=-99.1 HTTP/1.1\r\nHost: t\r\n${extra}\r\n`;

describe('OsmAnd port: HTTP/1.1 on a socket', () => {
  it('answers pipelined requests in the order sent, even when an earlier one is slower', async () => {
    const c = await client(await start());
    c.socket.write(get('slow') + get('boom2') + get('a') + get('b'));
    const raw = await c.waitFor((s) => statuses(s).length === 4);
    expect(statuses(raw)).toEqual([200, 200, 200, 200]);
    expect(raw).toContain('Content-Length: 0\r\n');
    expect(seen).toEqual(['slow', 'boom2', 'a', 'b']);
    // Unknown ids and throttling are counted by the sender's network, computed once per connection.
    expect(new Set(networks)).toEqual(new Set(['net:127.0.0.1']));
    expect(c.closed()).toBe(false); // keep-alive
  });

  it('a JSON body is answered 200 with the same bytes as a query (whatever tracking makes of the id)', async () => {
    const c = await client(await start());
    const body = JSON.stringify({ device_id: 'unknown', location: { timestamp: '2026-01-01T00:00:00Z', coords: { latitude: 19.4, longitude: -99.1 } } });
    c.socket.write(`POST / HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
    await c.waitFor((s) => statuses(s).length === 1);
    expect(c.received()).toBe('HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n');
    expect(seen).toEqual(['unknown']);
  });

  it('a throttled source gets 429 with Retry-After, and the connection is closed', async () => {
    const c = await client(await start());
    throttled.set('net:127.0.0.1', 42);
    c.socket.write(get('a') + get('b'));
    await c.waitFor(() => c.closed());
    expect(c.received()).toBe('HTTP/1.1 429 Too Many Requests\r\nContent-Length: 0\r\nRetry-After: 42\r\nConnection: close\r\n\r\n');
  });

  it('a bare LF inside a header value is refused (400) and nothing is ingested', async () => {
    const c = await client(await start());
    c.socket.write('POST /?id=a&lat=19.4&lon=-99.1 HTTP/1.1\r\nX-A: 1\nContent-Length: 0\r\n\r\n');
    await c.waitFor(() => c.closed());
    expect(statuses(c.received())).toEqual([400]);
    expect(seen).toEqual([]);
  });

  it('a socket that sends only CRLFs does not keep itself alive: 408 after the request timeout', async () => {
    const c = await client(await start({ requestTimeoutMs: 300 }));
    c.socket.write(get('a'));
    await c.waitFor((s) => statuses(s).length === 1);
    // A CRLF every 50 ms: before, each one reset the request timer and the socket lived forever.
    const trickle = setInterval(() => { if (!c.closed()) c.socket.write('\r\n'); }, 50);
    try {
      await c.waitFor(() => c.closed(), 3000);
    } finally {
      clearInterval(trickle);
    }
    expect(statuses(c.received())).toEqual([200, 408]);
  });

  it('Expect: 100-continue gets a 100, then the answer', async () => {
    const c = await client(await start());
    const body = 'id=a&lat=19.4&lon=-99.1';
    c.socket.write(`POST / HTTP/1.1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${body.length}\r\nExpect: 100-continue\r\n\r\n`);
    await c.waitFor((s) => s.includes('100 Continue'));
    expect(seen).toEqual([]);
    c.socket.write(body);
    expect(statuses(await c.waitFor((s) => statuses(s).length === 2))).toEqual([100, 200]);
    expect(seen).toEqual(['a']);
  });

  it('Connection: close and HTTP/1.0 get their answer and a closed connection', async () => {
    const port = await start();
    const a = await client(port);
    a.socket.write(get('a', 'Connection: close\r\n'));
    await a.waitFor(() => a.closed());
    expect(a.received()).toMatch(/^HTTP\/1\.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n$/);
    const b = await client(port);
    b.socket.write('GET /?id=b&lat=19.4&lon=-99.1 HTTP/1.0\r\n\r\n');
    await b.waitFor(() => b.closed());
    expect(statuses(b.received())).toEqual([200]);
    const k = await client(port);
    k.socket.write('GET /?id=c&lat=19.4&lon=-99.1 HTTP/1.0\r\nConnection: keep-alive\r\n\r\n');
    expect(await k.waitFor((s) => s.endsWith('\r\n\r\n'))).toContain('Connection: keep-alive');
    expect(k.closed()).toBe(false);
  });

  it('malformed bytes: the requests before are answered, then 400 and close; nothing after is ingested', async () => {
    const c = await client(await start());
    c.socket.write(`${get('a')}NOT HTTP AT ALL\r\n\r\n${get('never')}`);
    await c.waitFor(() => c.closed());
    expect(statuses(c.received())).toEqual([200, 400]);
    expect(seen).toEqual(['a']);
  });

  it('a body over the limit is refused with 413 that the client reads (no reset while it is still sending)', async () => {
    const port = await start();
    const res = await fetch(`http://127.0.0.1:${port}/`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `id=a&x=${'a'.repeat(200_000)}` });
    expect(res.status).toBe(413);
    expect(seen).toEqual([]);
  });

  it('a request that trickles in too slowly gets 408 and the connection closes', async () => {
    const c = await client(await start({ requestTimeoutMs: 200 }));
    c.socket.write('POST /?id=a HTTP/1.1\r\nHost: t\r\n');
    await c.waitFor(() => c.closed(), 3000);
    expect(statuses(c.received())).toEqual([408]);
    expect(seen).toEqual([]);
  });

  it('an ingest failure is a 500 and the server goes on serving other connections', async () => {
    const port = await start();
    const c = await client(port);
    c.socket.write(get('boom'));
    await c.waitFor(() => c.closed());
    expect(statuses(c.received())).toEqual([500]);
    expect(errors).toHaveLength(1);
    const d = await client(port);
    d.socket.write(get('a'));
    expect(statuses(await d.waitFor((s) => statuses(s).length === 1))).toEqual([200]);
  });

  it('caps connections per client address: past it, new ones are closed at once; others are unaffected', async () => {
    const port = await start({ maxConnectionsPerSource: 3 });
    const held = await Promise.all([1, 2, 3].map(() => client(port)));
    const extra = await client(port);
    await extra.waitFor(() => extra.closed(), 2000);
    expect(extra.received()).toBe('');
    // Another address is still served.
    const other = await client(port, '127.0.0.2');
    other.socket.write(get('other'));
    expect(statuses(await other.waitFor((s) => statuses(s).length === 1))).toEqual([200]);
    // The held ones still work; once one goes, its address may connect again.
    held[0]!.socket.write(get('held'));
    expect(statuses(await held[0]!.waitFor((s) => statuses(s).length === 1))).toEqual([200]);
    held[1]!.socket.destroy();
    await new Promise((r) => setTimeout(r, 50));
    const again = await client(port);
    again.socket.write(get('again'));
    expect(statuses(await again.waitFor((s) => statuses(s).length === 1))).toEqual([200]);
    for (const c of [...held, other, again]) c.socket.destroy();
  });

  it('caps connections in total: past it, new ones are closed at once', async () => {
    const port = await start({ maxConnections: 4, maxConnectionsPerSource: 100 });
    expect(server!.caps).toEqual({ maxConnections: 4, maxConnectionsPerSource: 100 });
    const held = await Promise.all(['127.0.0.1', '127.0.0.2', '127.0.0.3', '127.0.0.4'].map((a) => client(port, a)));
    await new Promise((r) => setTimeout(r, 50));
    const extra = await client(port, '127.0.0.5');
    await extra.waitFor(() => extra.closed(), 2000);
    expect(server!.connections()).toBe(4);
    for (const c of held) c.socket.destroy();
  });

  it('sizes its cap from the open-file limit, never above half of it', () => {
    expect(softFileLimit(() => 'Limit                     Soft Limit           Hard Limit           Units\nMax open files            1024                 4096                 files\n')).toBe(1024);
    expect(softFileLimit(() => 'Max open files            unlimited            unlimited            files\n')).toBe(Number.MAX_SAFE_INTEGER);
    expect(softFileLimit(() => { throw new Error('no /proc'); })).toBeNull();
    expect(osmandConnectionCap(null, 1024)).toEqual({ max: 448, lowered: false });
    expect(osmandConnectionCap(null, 1_048_576)).toEqual({ max: 20_000, lowered: false });
    expect(osmandConnectionCap(null, null)).toEqual({ max: 1024, lowered: false });
    expect(osmandConnectionCap(5000, 1024)).toEqual({ max: 448, lowered: true });
    expect(osmandConnectionCap(100, 1024)).toEqual({ max: 100, lowered: false });
  });

  it('close() drops open keep-alive connections', async () => {
    const c = await client(await start());
    c.socket.write(get('a'));
    await c.waitFor((s) => statuses(s).length === 1);
    await server!.close();
    server = null;
    await c.waitFor(() => c.closed());
  });
});
