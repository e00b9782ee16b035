// Alerts and dispatch through HTTP and WebSocket on a real server, on SQLite and PostgreSQL.
import { createServer, type Server } from 'node:http';
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableEngines } from '../support/engines.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { connect, type Msg } from '../support/ws.js';

const engines = await availableEngines();

interface Api { status: number; body: any } // eslint-disable-line @typescript-eslint/no-explicit-any

describe.each(engines)('alerts over HTTP and WebSocket on $name', (engine) => {
  let server: TestServer;
  let hook: Server;
  const received: { headers: Record<string, string | string[] | undefined>; body: string }[] = [];
  let admin: string;
  let point: { lat: number; lon: number };
  let unit: { token: string; unitId: string };

  const call = async (method: string, path: string, token?: string, body?: unknown, headers: Record<string, string> = {}): Promise<Api> => {
    const res = await fetch(`${server.url}${path}`, {
      method, body: body === undefined ? undefined : JSON.stringify(body),
      headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null };
  };
  const device = async () => (await call('POST', '/api/v1/devices')).body.token as string;
  const officer = async (callsign: string, quadrantIds: string[], onDuty = true) => {
    const username = callsign.toLowerCase();
    const created = await call('POST', '/api/v1/units', admin, { callsign, type: 'car', quadrantIds, username, password: `clave-${username}-segura` });
    expect(created.status).toBe(201);
    const login = await call('POST', '/api/v1/auth/login', undefined, { username, password: `clave-${username}-segura` });
    const token = login.body.token as string;
    if (onDuty) expect((await call('PUT', `/api/v1/units/${created.body.id}/shift`, token, { state: 'available' })).status).toBe(200);
    return { token, unitId: created.body.id as string };
  };

  beforeAll(async () => {
    hook = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => { body += c; });
      req.on('end', () => { received.push({ headers: req.headers, body }); res.writeHead(204).end(); });
    });
    await new Promise<void>((r) => hook.listen(0, '127.0.0.1', r));
    const port = (hook.address() as { port: number }).port;
    server = await startTestServer({
      engine, webDir: null,
      config: { ackTimeoutMs: 1500, escalateAfterMs: 4000, webhookUrl: `http://127.0.0.1:${port}/c5`, webhookSecret: 'c5-shared-secret' },
    });
    admin = await server.adminToken();
    point = (await call('GET', '/api/v1/quadrants/P-1.4.8')).body.properties.interiorPoint;
    unit = await officer('P148A', ['P-1.4.8']);
  }, 120_000);
  afterAll(async () => { await server?.close(); hook?.close(); });

  it('takes an alert from a phone, pages the unit live, and shows the citizen every step', async () => {
    const citizen = await device();
    const unitSocket = await connect(server.url, unit.token);
    const citizenSocket = await connect(server.url, citizen);
    await unitSocket.next((m) => m.type === 'snapshot');
    await citizenSocket.next((m) => m.type === 'snapshot');

    const raised = await call('POST', '/api/v1/alerts', citizen, { ...point, accuracy: 12, kind: 'robbery' }, { 'idempotency-key': 'press-0001' });
    expect(raised.status).toBe(201);
    expect(raised.body).toMatchObject({ status: 'paging', quadrant: { id: 'P-1.4.8' }, pagedUnits: [{ callsign: 'P148A' }] });
    expect(Date.parse(raised.body.nextDeadlineAt)).toBeGreaterThan(Date.now());
    const id = raised.body.id as string;
    const page = await unitSocket.next((m) => m.type === 'page' && m.alert?.id === id);
    expect(page.alert).toMatchObject({ kind: 'robbery', lat: point.lat, lon: point.lon });

    const steps: [string, string][] = [['acknowledge', 'acknowledged'], ['en_route', 'en_route'], ['on_scene', 'on_scene']];
    for (const [action, status] of steps) {
      expect((await call('POST', `/api/v1/alerts/${id}/actions`, unit.token, { action })).status).toBe(200);
      const seen = await citizenSocket.next((m) => m.type === 'alert' && m.alert?.status === status);
      expect(seen.alert).toMatchObject({ assignedUnit: { callsign: 'P148A' } });
      expect(seen.alert).not.toHaveProperty('lat'); // the citizen's view is the reduced one
    }
    const resolved = await call('POST', `/api/v1/alerts/${id}/actions`, unit.token, { action: 'resolve', outcome: 'attended' });
    expect(resolved.body).toMatchObject({ status: 'resolved', outcome: 'attended' });
    await citizenSocket.next((m) => m.type === 'alert' && m.alert?.status === 'resolved');

    const stats = await call('GET', '/api/v1/stats/response-times?group=sector', admin);
    expect(stats.body.targetS).toBe(170);
    expect(stats.body.groups).toEqual([expect.objectContaining({ group: 'SAN ANGEL', alerts: 1, acknowledged: 1, onScene: 1, withinTargetShare: 1 })]);
    unitSocket.close();
    citizenSocket.close();
  });

  it('never creates two alerts for one Idempotency-Key and refuses the key with another body', async () => {
    const citizen = await device();
    const body = { ...point, kind: 'violence' };
    const first = await call('POST', '/api/v1/alerts', citizen, body, { 'idempotency-key': 'retry-4242' });
    const again = await call('POST', '/api/v1/alerts', citizen, body, { 'idempotency-key': 'retry-4242' });
    expect([first.status, again.status]).toEqual([201, 200]);
    expect(again.body.id).toBe(first.body.id);
    const other = await call('POST', '/api/v1/alerts', citizen, { ...body, kind: 'medical' }, { 'idempotency-key': 'retry-4242' });
    expect(other.status).toBe(422);
    expect(other.body.error.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect((await call('GET', '/api/v1/alerts', citizen)).body).toHaveLength(1);
    await call('POST', `/api/v1/alerts/${first.body.id}/actions`, citizen, { action: 'cancel' });
  });

  it('gives another citizen, or a unit never paged, the same 404 as a missing alert', async () => {
    const owner = await device();
    const stranger = await device();
    const { body } = await call('POST', '/api/v1/alerts', owner, point);
    const foreign = await call('GET', `/api/v1/alerts/${body.id}`, stranger);
    const missing = await call('GET', '/api/v1/alerts/00000000-0000-0000-0000-000000000000', stranger);
    expect([foreign.status, missing.status]).toEqual([404, 404]);
    expect(foreign.body.error.code).toBe(missing.body.error.code);
    const elsewhere = await officer('N111A', ['N-1.1.1']);
    expect((await call('GET', `/api/v1/alerts/${body.id}`, elsewhere.token)).status).toBe(404);
    expect((await call('GET', `/api/v1/alerts/${body.id}/events`, owner)).status).toBe(404);
    expect((await call('POST', `/api/v1/alerts/${body.id}/assign`, owner, { unitId: unit.unitId })).status).toBe(403);
    expect((await call('POST', `/api/v1/alerts/${body.id}/actions`, stranger, { action: 'cancel' })).status).toBe(404);
    await call('POST', `/api/v1/alerts/${body.id}/actions`, owner, { action: 'cancel' });
  });

  it('refuses bad input with clear 4xx codes and changes nothing', async () => {
    const citizen = await device();
    const cases: [unknown, number, string][] = [
      [{ lat: 95, lon: -99 }, 400, 'VALIDATION_FAILED'],
      [{ lat: 19.3 }, 400, 'VALIDATION_FAILED'],
      [{ ...point, kind: 'alien' }, 400, 'VALIDATION_FAILED'],
      [{ ...point, note: 'x'.repeat(501) }, 400, 'VALIDATION_FAILED'],
    ];
    for (const [body, status, code] of cases) {
      const r = await call('POST', '/api/v1/alerts', citizen, body);
      expect([r.status, r.body.error.code]).toEqual([status, code]);
    }
    expect((await call('POST', '/api/v1/alerts', undefined, point)).status).toBe(401);
    expect((await call('GET', '/api/v1/alerts', citizen)).body).toEqual([]);
    const { body } = await call('POST', '/api/v1/alerts', citizen, point);
    const invalid = await call('POST', `/api/v1/alerts/${body.id}/actions`, unit.token, { action: 'on_scene' });
    expect([invalid.status, invalid.body.error.code]).toEqual([409, 'INVALID_TRANSITION']);
    const tooEarly = await call('POST', `/api/v1/alerts/${body.id}/actions`, admin, { action: 'resolve', outcome: 'attended' });
    expect(tooEarly.status).toBe(409); // a paging alert cannot be resolved: acknowledge or cancel first
    expect((await call('GET', `/api/v1/alerts/${body.id}`, citizen)).body.status).toBe('paging');
    await call('POST', `/api/v1/alerts/${body.id}/actions`, citizen, { action: 'cancel' });
  });

  it('escalates to 911 when nobody answers: the citizen is told at once and the C5 gets a signed hand-off', async () => {
    const citizen = await device();
    const socket = await connect(server.url, citizen);
    await socket.next((m) => m.type === 'snapshot');
    // Outside every quadrant: straight to 911. Inside, nobody acknowledges: ring 1, ring 2, then 911.
    const outside = await call('POST', '/api/v1/alerts', citizen, { lat: 19.9, lon: -99.9 });
    expect(outside.body).toMatchObject({ status: 'escalated', escalated: true, emergencyNumber: '911' });
    const inside = await call('POST', '/api/v1/alerts', citizen, point);
    const escalated = await socket.next((m: Msg) => m.type === 'alert' && m.alert?.id === inside.body.id && m.alert?.status === 'escalated', 10_000);
    expect(escalated.alert).toMatchObject({ escalated: true, emergencyNumber: '911' });
    const events = (await call('GET', `/api/v1/alerts/${inside.body.id}/events`, admin)).body as { type: string }[];
    expect(events.filter((e) => e.type === 'escalate')).toHaveLength(1);
    await expect.poll(() => received.filter((r) => r.body.includes(inside.body.id)).length, { timeout: 5000 }).toBe(1);
    const delivery = received.find((r) => r.body.includes(inside.body.id))!;
    const expected = `sha256=${createHmac('sha256', 'c5-shared-secret').update(`${delivery.headers['x-cuadrante-timestamp']}.${delivery.body}`).digest('hex')}`;
    expect(delivery.headers['x-cuadrante-signature']).toBe(expected);
    expect(JSON.parse(delivery.body)).toMatchObject({ event: 'alert.escalated', alertId: inside.body.id, quadrantId: 'P-1.4.8' });
    socket.close();
  });

  it('catches a citizen up after the connection drops', async () => {
    const citizen = await device();
    const { body } = await call('POST', '/api/v1/alerts', citizen, point);
    const first = await connect(server.url, citizen);
    await first.next((m) => m.type === 'snapshot');
    first.close();
    await call('POST', `/api/v1/alerts/${body.id}/actions`, unit.token, { action: 'acknowledge' });
    const again = await connect(server.url, citizen);
    const snap = await again.next((m) => m.type === 'snapshot');
    expect(snap.alerts?.find((a) => a.id === body.id)?.status).toBe('acknowledged');
    again.close();
    await call('POST', `/api/v1/alerts/${body.id}/actions`, unit.token, { action: 'resolve', outcome: 'false_alarm' });
  });

  it('shows "cancelled" to the phone under duress while dispatchers see the alert continue', async () => {
    const citizen = await device();
    expect((await call('PUT', '/api/v1/devices/me/pins', citizen, { cancelPin: '2468', duressPin: '2468' })).status).toBe(400);
    expect((await call('PUT', '/api/v1/devices/me/pins', citizen, { cancelPin: '2468', duressPin: '1357' })).status).toBe(204);
    const { body } = await call('POST', '/api/v1/alerts', citizen, point);
    expect((await call('POST', `/api/v1/alerts/${body.id}/actions`, citizen, { action: 'cancel' })).status).toBe(403);
    const shown = await call('POST', `/api/v1/alerts/${body.id}/actions`, citizen, { action: 'cancel', pin: '1357' });
    expect(shown.body.status).toBe('cancelled');
    expect((await call('GET', `/api/v1/alerts/${body.id}`, citizen)).body.status).toBe('cancelled');
    const staff = await call('GET', `/api/v1/alerts/${body.id}`, admin);
    expect(staff.body).toMatchObject({ status: 'paging', duress: true });
    const queue = (await call('GET', '/api/v1/alerts', admin)).body as { id: string }[];
    expect(queue.map((a) => a.id)).toContain(body.id);
    await call('POST', `/api/v1/alerts/${body.id}/actions`, admin, { action: 'acknowledge' });
    await call('POST', `/api/v1/alerts/${body.id}/actions`, admin, { action: 'resolve', outcome: 'attended' });
  });

  it('closes a socket that does not authenticate', async () => {
    const bad = await connect(server.url, 'not-a-token');
    expect(await bad.closed).toBe(4401);
  });
});
