// The duress PIN as a twin experiment: two servers with the same clock (a ManualClock both read)
// and the same deterministic ids run the same script — a citizen raises an alert, a unit takes it
// and drives there — and then the phone cancels it: on one server with the cancel PIN, on the
// other with the duress PIN. Everything the phone can see or do afterwards, over HTTP and over
// its socket, must be byte for byte the same, before and after staff go on scene and close it.
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/kernel/index.js';
import { availableEngines } from '../support/engines.js';
import { startTestServer, type TestServer } from '../support/server.js';

const engines = await availableEngines();

/** What one request answered, exactly as sent. */
interface Raw { status: number; text: string }

/** A socket that keeps every message as the raw text the server sent. */
interface RawSocket { messages: string[]; waitFor(count: number, timeoutMs?: number): Promise<void>; close(): void }

function rawSocket(baseUrl: string, token: string): Promise<RawSocket> {
  const ws = new WebSocket(`${baseUrl.replace(/^http/, 'ws')}/api/v1/ws`);
  const messages: string[] = [];
  ws.on('message', (d) => { messages.push(String(d)); });
  return new Promise((resolve, reject) => {
    ws.once('error', reject);
    ws.once('open', () => {
      ws.send(JSON.stringify({ type: 'auth', token }));
      resolve({
        messages,
        async waitFor(count, timeoutMs = 5000) {
          const until = Date.now() + timeoutMs;
          while (messages.length < count) {
            if (Date.now() > until) throw new Error(`expected ${count} messages, got ${messages.length}: ${messages.join(' | ')}`);
            await new Promise((r) => setTimeout(r, 20));
          }
        },
        close: () => ws.close(),
      });
    });
  });
}

describe.each(engines)('a duress cancel is indistinguishable from a real one, on $name', (engine) => {
  const clock = new ManualClock(Date.UTC(2026, 5, 1, 18, 30, 0));
  /** Index 0 cancels for real, index 1 under duress. */
  let twins: TestServer[] = [];
  const sequence = () => { let n = 0; return () => `twin-${String(++n).padStart(6, '0')}`; };

  beforeAll(async () => {
    // Long escalation clock: nothing the real timers do may differ between the twins.
    const config = { ackTimeoutMs: 600_000, escalateAfterMs: 1_200_000 };
    twins = [
      await startTestServer({ engine, webDir: null, clock, ids: sequence(), config }),
      await startTestServer({ engine, webDir: null, clock, ids: sequence(), config }),
    ];
  }, 120_000);
  afterAll(async () => { await Promise.all(twins.map((t) => t.close())); });

  const request = async (server: TestServer, method: string, path: string, token: string | null, body?: unknown): Promise<Raw> => {
    const res = await fetch(`${server.url}${path}`, {
      method, body: body === undefined ? undefined : JSON.stringify(body),
      headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...(token ? { authorization: `Bearer ${token}` } : {}) },
    });
    return { status: res.status, text: await res.text() };
  };
  const json = <T>(r: Raw): T => JSON.parse(r.text) as T;

  it('answers the same bytes over HTTP and WebSocket after a cancel with either PIN, and keeps them frozen', async () => {
    // ——— the same script on both servers ———
    const setup = await Promise.all(twins.map(async (server) => {
      const admin = await server.adminToken();
      const point = json<{ properties: { interiorPoint: { lat: number; lon: number } } }>(await request(server, 'GET', '/api/v1/quadrants/P-1.4.8', null)).properties.interiorPoint;
      const unit = json<{ id: string }>(await request(server, 'POST', '/api/v1/units', admin,
        { callsign: 'P148-T', type: 'car', quadrantIds: ['P-1.4.8'], username: 'oficial.gemelo', password: 'clave-del-gemelo-segura' }));
      const officer = json<{ token: string }>(await request(server, 'POST', '/api/v1/auth/login', null, { username: 'oficial.gemelo', password: 'clave-del-gemelo-segura' })).token;
      expect((await request(server, 'PUT', `/api/v1/units/${unit.id}/shift`, officer, { state: 'available' })).status).toBe(200);
      const phone = json<{ token: string; userId: string }>(await request(server, 'POST', '/api/v1/devices', null));
      expect((await request(server, 'PUT', '/api/v1/devices/me/pins', phone.token, { cancelPin: '2580', duressPin: '1470' })).status).toBe(204);
      return { server, admin, officer, point, phone };
    }));
    expect(setup[0]!.phone.userId).toBe(setup[1]!.phone.userId); // the same ids on both sides

    const sockets = await Promise.all(setup.map((s) => rawSocket(s.server.url, s.phone.token)));
    await Promise.all(sockets.map((s) => s.waitFor(2))); // hello, snapshot

    const both = (fn: (s: (typeof setup)[number], i: number) => Promise<Raw>) => Promise.all(setup.map((s, i) => fn(s, i)));
    const raised = await both((s) => request(s.server, 'POST', '/api/v1/alerts', s.phone.token, { ...s.point, kind: 'followed' }));
    expect(raised[0]!.text).toBe(raised[1]!.text);
    const id = json<{ id: string }>(raised[0]!).id;
    clock.advance(7_000);
    await both((s) => request(s.server, 'POST', `/api/v1/alerts/${id}/actions`, s.officer, { action: 'acknowledge' }));
    clock.advance(4_000);
    await both((s) => request(s.server, 'POST', `/api/v1/alerts/${id}/actions`, s.officer, { action: 'en_route' }));
    await Promise.all(sockets.map((s) => s.waitFor(5))); // + created, acknowledged, en route
    clock.advance(30_000);

    // ——— the fork: a real cancel, and one under duress ———
    const cancelled = await both((s, i) => request(s.server, 'POST', `/api/v1/alerts/${id}/actions`, s.phone.token, { action: 'cancel', pin: i === 0 ? '2580' : '1470' }));
    expect(cancelled.map((c) => c.status)).toEqual([200, 200]);
    expect(cancelled[1]!.text).toBe(cancelled[0]!.text);
    const view = json<{ status: string; assignedUnit: { callsign: string } | null; acknowledgedAt: string | null; pagedUnits: unknown[]; closedAt: string }>(cancelled[0]!);
    // What a real cancel shows: the unit that took it, when, and the moment it was cancelled.
    expect(view).toMatchObject({ status: 'cancelled', assignedUnit: { callsign: 'P148-T' }, closedAt: clock.now().toISOString() });
    expect(view.acknowledgedAt).not.toBeNull();
    expect(view.pagedUnits).toHaveLength(1);
    // Staff see the difference: the duress twin's alert goes on.
    const staff = await both((s) => request(s.server, 'GET', `/api/v1/alerts/${id}`, s.admin));
    expect(staff.map((r) => json<{ status: string; duress: boolean }>(r))).toMatchObject([{ status: 'cancelled', duress: false }, { status: 'en_route', duress: true }]);

    const phoneSees = async (label: string) => {
      const reads = await Promise.all([
        both((s) => request(s.server, 'GET', `/api/v1/alerts/${id}`, s.phone.token)),
        both((s) => request(s.server, 'GET', '/api/v1/alerts', s.phone.token)),
        both((s) => request(s.server, 'GET', `/api/v1/alerts/${id}/events`, s.phone.token)),
        // Anything it tries again answers as for a cancelled alert, with either PIN or none.
        both((s) => request(s.server, 'POST', `/api/v1/alerts/${id}/actions`, s.phone.token, { action: 'cancel', pin: '2580' })),
        both((s) => request(s.server, 'POST', `/api/v1/alerts/${id}/actions`, s.phone.token, { action: 'cancel', pin: '1470' })),
        both((s) => request(s.server, 'POST', `/api/v1/alerts/${id}/actions`, s.phone.token, { action: 'cancel' })),
        both((s) => request(s.server, 'POST', `/api/v1/alerts/${id}/actions`, s.phone.token, { action: 'on_scene' })),
      ]);
      for (const [real, duress] of reads) expect(duress!.text, label).toBe(real!.text);
      expect(json<{ status: string }>(reads[0]![0]!).status).toBe('cancelled');
      expect(reads[3]![0]!.status).toBe(409);
      // A fresh connection: hello, then a snapshot without the alert.
      const fresh = await Promise.all(setup.map((s) => rawSocket(s.server.url, s.phone.token)));
      await Promise.all(fresh.map((s) => s.waitFor(2)));
      expect(fresh[1]!.messages, label).toEqual(fresh[0]!.messages);
      expect(JSON.parse(fresh[0]!.messages[1]!)).toEqual({ type: 'snapshot', alerts: [] });
      for (const s of fresh) s.close();
      return json<unknown>(reads[0]![0]!);
    };

    await Promise.all(sockets.map((s) => s.waitFor(6)));
    const atCancel = await phoneSees('right after the cancel');

    // ——— staff go on scene (only the duress twin's alert is still open), then close it ———
    clock.advance(90_000);
    await both((s) => request(s.server, 'POST', `/api/v1/alerts/${id}/actions`, s.officer, { action: 'on_scene' }));
    expect(json<{ status: string }>((await both((s) => request(s.server, 'GET', `/api/v1/alerts/${id}`, s.admin)))[1]!).status).toBe('on_scene');
    clock.advance(60_000);
    expect(await phoneSees('after staff went on scene')).toEqual(atCancel); // frozen: closedAt never moves
    await both((s) => request(s.server, 'POST', `/api/v1/alerts/${id}/actions`, s.officer, { action: 'resolve', outcome: 'attended' }));
    clock.advance(60_000);
    expect(await phoneSees('after staff closed it')).toEqual(atCancel);

    // The phone's own socket got exactly the same messages, and nothing after the cancel.
    await new Promise((r) => setTimeout(r, 300));
    expect(sockets[1]!.messages).toEqual(sockets[0]!.messages);
    expect(JSON.parse(sockets[0]!.messages.at(-1)!)).toMatchObject({ type: 'alert', events: ['cancel'], alert: { id, status: 'cancelled' } });
    for (const s of sockets) s.close();
  }, 120_000);
});
