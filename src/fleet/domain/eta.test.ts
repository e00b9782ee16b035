import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DomainError } from '../../kernel/index.js';
import { CIRCUITY, SPEED_KMH, etaSeconds, osrmRouter, type UnitType } from './eta.js';

const TYPES: UnitType[] = ['car', 'motorcycle', 'bicycle', 'foot'];

describe('etaSeconds', () => {
  it('is straight-line metres × circuity ÷ speed, rounded', () => {
    // 1 km by car: 1,350 m of street at 30 km/h (8.33 m/s) = 162 s.
    expect(etaSeconds(1000, 'car')).toBe(162);
    expect(etaSeconds(1000, 'foot')).toBe(Math.round((1000 * CIRCUITY) / (5 / 3.6)));
    for (const t of TYPES) expect(etaSeconds(2500, t)).toBe(Math.round((2500 * 1.35 * 3.6) / SPEED_KMH[t]));
    expect(etaSeconds(0, 'bicycle')).toBe(0);
  });

  it('never decreases with distance, and orders the types by speed', () => {
    for (const t of TYPES) {
      let last = 0;
      for (let d = 0; d <= 20_000; d += 37) {
        const s = etaSeconds(d, t);
        expect(s).toBeGreaterThanOrEqual(last);
        last = s;
      }
    }
    expect(etaSeconds(3000, 'motorcycle')).toBeLessThan(etaSeconds(3000, 'car'));
    expect(etaSeconds(3000, 'car')).toBeLessThan(etaSeconds(3000, 'bicycle'));
    expect(etaSeconds(3000, 'bicycle')).toBeLessThan(etaSeconds(3000, 'foot'));
  });

  it('rejects negative, infinite and missing distances', () => {
    for (const d of [-1, Number.NaN, Infinity]) expect(() => etaSeconds(d, 'car')).toThrow(DomainError);
  });

  it('keeps the documented planning figures', () => {
    expect(SPEED_KMH).toEqual({ car: 30, motorcycle: 35, bicycle: 15, foot: 5 });
    expect(CIRCUITY).toBeGreaterThanOrEqual(1.2);
    expect(CIRCUITY).toBeLessThanOrEqual(1.4);
  });
});

describe('osrmRouter against a local OSRM-shaped server', () => {
  type Handler = (req: IncomingMessage, res: ServerResponse) => void;
  const json = (status: number, body: unknown): Handler => (_req, res) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  let server: Server;
  let base: string;
  let handler: Handler;
  const seen: string[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => { seen.push(req.url ?? ''); handler(req, res); });
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((ok) => server.close(ok));
  });
  beforeEach(() => { seen.length = 0; handler = json(200, { code: 'Ok', routes: [{ duration: 312.6, distance: 2480.1 }], waypoints: [] }); });

  const from = { lat: 19.432608, lon: -99.133209 };
  const to = { lat: 19.41, lon: -99.17 };

  it('asks /route/v1/{profile}/{lon},{lat};{lon},{lat}?overview=false and answers routes[0].duration', async () => {
    const router = osrmRouter(`${base}/`);
    expect(await router.seconds(from, to, 'car')).toBe(313);
    expect(seen).toEqual(['/route/v1/driving/-99.133209,19.432608;-99.170000,19.410000?overview=false']);
  });

  it('maps unit types to OSRM profiles (no motorcycle profile: driving)', async () => {
    const router = osrmRouter(base);
    for (const t of TYPES) await router.seconds(from, to, t);
    expect(seen.map((u) => u.split('/')[3])).toEqual(['driving', 'driving', 'cycling', 'foot']);
  });

  const failures: [string, Handler][] = [
    ['an HTTP error', json(500, { code: 'Ok', routes: [{ duration: 5 }] })],
    ['code NoRoute', json(400, { code: 'NoRoute', message: 'Impossible route between points' })],
    ['code other than Ok with 200', json(200, { code: 'NoSegment', routes: [{ duration: 5 }] })],
    ['no routes', json(200, { code: 'Ok', routes: [] })],
    ['a duration that is not a number', json(200, { code: 'Ok', routes: [{ duration: 'soon' }] })],
    ['a negative duration', json(200, { code: 'Ok', routes: [{ duration: -3 }] })],
    ['a body that is not JSON', (_req, res) => { res.writeHead(200, { 'content-type': 'application/json' }); res.end('<html>gateway</html>'); }],
    ['JSON null', json(200, null)],
    ['a dropped connection', (req) => req.socket.destroy()],
  ];
  for (const [what, h] of failures) {
    it(`gives null on ${what}`, async () => {
      handler = h;
      expect(await osrmRouter(base).seconds(from, to, 'car')).toBeNull();
    });
  }

  it('gives null when the server does not answer in time, without waiting for it', async () => {
    handler = () => { /* never answers */ };
    const started = performance.now();
    expect(await osrmRouter(base, fetch, 150).seconds(from, to, 'car')).toBeNull();
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('gives null when the body stalls after the headers', async () => {
    handler = (_req, res) => { res.writeHead(200, { 'content-type': 'application/json' }); res.write('{"code":"Ok","rou'); };
    expect(await osrmRouter(base, fetch, 150).seconds(from, to, 'car')).toBeNull();
  });

  it('gives null when nothing listens, when fetch throws, and on invalid coordinates', async () => {
    const closed = createServer();
    await new Promise<void>((ok) => closed.listen(0, '127.0.0.1', ok));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((ok) => closed.close(ok));
    expect(await osrmRouter(`http://127.0.0.1:${port}`).seconds(from, to, 'car')).toBeNull();
    const throwing = (() => { throw new TypeError('boom'); }) as unknown as typeof fetch;
    expect(await osrmRouter(base, throwing).seconds(from, to, 'foot')).toBeNull();
    const hanging = (() => new Promise(() => {})) as unknown as typeof fetch;
    expect(await osrmRouter(base, hanging, 50).seconds(from, to, 'foot')).toBeNull();
    expect(await osrmRouter(base).seconds({ lat: Number.NaN, lon: 0 }, to, 'car')).toBeNull();
    expect(seen).toEqual([]);
  });
});
