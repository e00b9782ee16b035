// Alerts and dispatch through HTTP and WebSocket on a real server, on SQLite and PostgreSQL. The
// server sits behind a (simulated) proxy on loopback, so each citizen comes from a network of its
// own (X-Forwarded-For), as real phones do.
import { createServer, type Server } from 'node:http';
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableEngines } from '../support/engines.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { connect, type Msg } from '../support/ws.js';

const engines = await availableEngines();

interface Api { status: number; body: any; headers: Headers } // eslint-disable-line @typescript-eslint/no-explicit-any

describe.each(engines)('alerts over HTTP and WebSocket on $name', (engine) => {
  let server: TestServer;
  let hook: Server;
  const received: { headers: Record<string, string | string[] | undefined>; body: string }[] = [];
  let admin: string;
  let point: { lat: number; lon: number };
  let unit: { token: string; unitId: string };
  /** Each device's network, as its proxy reports it (the client's own leftmost entries are never believed). */
  const networkOf = new Map<string, string>();
  let networks = 0;
  const freshNetwork = () => `10.0.${++networks}.7`;

  const call = async (method: string, path: string, token?: string, body?: unknown, headers: Record<string, string> = {}): Promise<Api> => {
    const forwarded: Record<string, string> = token && networkOf.has(token) ? { 'x-forwarded-for': networkOf.get(token)! } : {};
    const res = await fetch(`${server.url}${path}`, {
      method, body: body === undefined ? undefined : JSON.stringify(body),
      headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...(token ? { authorization: `Bearer ${token}` } : {}), ...forwarded, ...headers },
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null, headers: res.headers } as Api;
  };
  /** A new phone on a network of its own (or the one given). */
  const device = async (network = freshNetwork()) => {
    const res = await call('POST', '/api/v1/devices', undefined, undefined, { 'x-forwarded-for': network });
    expect(res.status).toBe(201);
    networkOf.set(res.body.token as string, network);
    return res.body.token as string;
  };
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
      config: {
        ackTimeoutMs: 1500, escalateAfterMs: 4000, webhookUrl: `http://127.0.0.1:${port}/c5`, webhookSecret: 'c5-shared-secret',
        trustProxy: ['127.0.0.1', '::1'], alertNetworkRateMax: 4, devicesPerNetworkHour: 6, devicesPerNetworkHourMax: 8,
      },
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
    // Once set, changing them needs the current cancel PIN.
    expect((await call('PUT', '/api/v1/devices/me/pins', citizen, { cancelPin: '1111', duressPin: '2222' })).body.error.code).toBe('WRONG_PIN');
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

  it('puts devices past their network\'s limit on probation (their alerts wait for a dispatcher) and refuses them past the hard limit', async () => {
    const net = '10.77.1.20';
    const first = [];
    for (let i = 0; i < 6; i++) first.push(await device(net));
    const probation = await device('10.77.1.21'); // the same /24: the 7th device this hour
    const raised = await call('POST', '/api/v1/alerts', probation, point);
    expect(raised.status).toBe(201); // never refused, never lost
    expect(raised.body).toMatchObject({ status: 'new', review: true, pagedUnits: [], nextDeadlineAt: null, emergencyNumber: '911' });
    expect(JSON.stringify(raised.body)).not.toMatch(/saturation|flood|probation/i); // the phone is not told why
    expect((await call('GET', `/api/v1/alerts/${raised.body.id}`, admin)).body).toMatchObject({ hold: 'saturation', status: 'new' });
    // An earlier device of the same network is not on probation: paged at once.
    expect((await call('POST', '/api/v1/alerts', first[0], point)).body).toMatchObject({ status: 'paging', review: false });
    await device(net);
    const refused = await call('POST', '/api/v1/devices', undefined, undefined, { 'x-forwarded-for': `203.0.113.9, ${net}` });
    expect([refused.status, refused.body.error.code]).toEqual([429, 'RATE_LIMITED']);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    // A spoofed leftmost address is the client's own claim: still the same network, still refused.
    expect((await call('POST', '/api/v1/devices', undefined, undefined, { 'x-forwarded-for': `10.99.0.1, 10.77.1.99` })).status).toBe(429);
    // Another network is not affected at all.
    expect((await call('POST', '/api/v1/alerts', await device('10.78.1.1'), point)).body).toMatchObject({ status: 'paging', review: false });
    for (const a of (await call('GET', '/api/v1/alerts', admin)).body as { id: string }[]) await call('POST', `/api/v1/alerts/${a.id}/actions`, admin, { action: 'cancel' });
  });

  it('holds a flood from one network (rotating devices, spoofed X-Forwarded-For) while another network is paged at once; a dispatcher confirms', async () => {
    const unitSocket = await connect(server.url, unit.token);
    const staffSocket = await connect(server.url, admin);
    await unitSocket.next((m) => m.type === 'snapshot');
    await staffSocket.next((m) => m.type === 'snapshot');
    const flood: { id: string; token: string; body: any }[] = []; // eslint-disable-line @typescript-eslint/no-explicit-any
    for (let i = 0; i < 7; i++) {
      // A fresh device each time (the network's first six are not on probation), and a made-up leftmost hop.
      const token = await device(`10.66.6.${10 + i}`);
      const res = await call('POST', '/api/v1/alerts', token, { ...point, kind: 'robbery' }, { 'x-forwarded-for': `198.51.100.${i}, 10.66.6.${10 + i}` });
      expect(res.status).toBe(201);
      flood.push({ id: res.body.id, token, body: res.body });
    }
    // 4 per network per window (this server's setting), then held: never more, whatever the devices or the headers.
    expect(flood.map((f) => f.body.review)).toEqual([false, false, false, false, true, true, true]);
    const held = flood.slice(4);
    const other = await call('POST', '/api/v1/alerts', await device('10.55.5.5'), point);
    expect(other.body).toMatchObject({ status: 'paging', review: false });
    await unitSocket.next((m) => m.type === 'page' && m.alert?.id === other.body.id);
    await new Promise((r) => setTimeout(r, 300));
    for (const h of held) expect(unitSocket.messages.some((m) => m.alert?.id === h.id)).toBe(false); // no unit hears of a held alert
    const staffSeen = await staffSocket.next((m) => m.type === 'alert' && m.alert?.id === held[0]!.id);
    expect(staffSeen.alert).toMatchObject({ hold: 'saturation', status: 'new' });
    // Held alerts never escalate by themselves, nor reach the 911 hand-off.
    await new Promise((r) => setTimeout(r, 4500));
    for (const h of held) {
      expect((await call('GET', `/api/v1/alerts/${h.id}`, admin)).body).toMatchObject({ status: 'new', hold: 'saturation', escalated: false });
      expect(received.some((r) => r.body.includes(h.id))).toBe(false);
    }
    // The dispatcher confirms one: the unit is paged now, and the phone sees it go out.
    const citizenSocket = await connect(server.url, held[0]!.token);
    const snap = await citizenSocket.next((m) => m.type === 'snapshot');
    expect(snap.alerts?.find((a) => a.id === held[0]!.id)).toMatchObject({ review: true });
    const confirmed = await call('POST', `/api/v1/alerts/${held[0]!.id}/actions`, admin, { action: 'confirm' });
    expect(confirmed.body).toMatchObject({ status: 'paging', hold: null, pagedUnits: [{ callsign: 'P148A' }] });
    await unitSocket.next((m) => m.type === 'page' && m.alert?.id === held[0]!.id);
    expect((await citizenSocket.next((m) => m.type === 'alert' && m.alert?.id === held[0]!.id)).alert).toMatchObject({ status: 'paging', review: false });
    const again = await call('POST', `/api/v1/alerts/${held[0]!.id}/actions`, admin, { action: 'confirm' });
    expect([again.status, again.body.error.code]).toEqual([409, 'INVALID_TRANSITION']);
    expect((await call('POST', `/api/v1/alerts/${held[1]!.id}/actions`, unit.token, { action: 'confirm' })).status).toBe(404);
    // Closed as a false alarm: nobody was ever sent.
    expect((await call('POST', `/api/v1/alerts/${held[1]!.id}/actions`, admin, { action: 'resolve', outcome: 'false_alarm' })).body).toMatchObject({ status: 'resolved', pagedUnits: [] });
    for (const s of [unitSocket, staffSocket, citizenSocket]) s.close();
    for (const a of (await call('GET', '/api/v1/alerts', admin)).body as { id: string }[]) await call('POST', `/api/v1/alerts/${a.id}/actions`, admin, { action: 'cancel' });
  }, 30_000);

  it('guards the PINs: the current cancel PIN to change them, no change while an alert is open, guesses slowed', async () => {
    const citizen = await device();
    const pins = (body: Record<string, string>, headers: Record<string, string> = {}) => call('PUT', '/api/v1/devices/me/pins', citizen, body, headers);
    expect((await pins({ cancelPin: '4321', duressPin: '8765' })).status).toBe(204);
    expect((await pins({ cancelPin: '1111', duressPin: '2222', currentPin: '0000' })).body.error.code).toBe('WRONG_PIN');
    expect((await pins({ cancelPin: '1111', duressPin: '2222', currentPin: '4321' })).status).toBe(204);
    const { body } = await call('POST', '/api/v1/alerts', citizen, point);
    const locked = await pins({ cancelPin: '3333', duressPin: '4444', currentPin: '1111' });
    expect([locked.status, locked.body.error.code]).toEqual([409, 'PINS_LOCKED']);
    expect((await call('POST', `/api/v1/alerts/${body.id}/actions`, citizen, { action: 'cancel', pin: '1111' })).body.status).toBe('cancelled');
    expect((await pins({ cancelPin: '3333', duressPin: '4444', currentPin: '1111' })).status).toBe(204);
    // Guessing: a few free tries, then growing waits (429 with Retry-After), whatever the claimed address.
    const tries: number[] = [];
    for (let i = 0; i < 6; i++) tries.push((await pins({ cancelPin: '5555', duressPin: '6666', currentPin: String(7000 + i) }, { 'x-forwarded-for': `192.0.2.${i}, ${networkOf.get(citizen)}` })).status);
    expect(tries.slice(0, 3)).toEqual([403, 403, 403]);
    expect(tries).toContain(429);
    const slowed = await pins({ cancelPin: '5555', duressPin: '6666', currentPin: '3333' });
    expect([slowed.status, slowed.body.error.code]).toEqual([429, 'RATE_LIMITED']);
    expect(Number(slowed.headers.get('retry-after'))).toBeGreaterThan(0);
    // Cancelling is guessed the same way: the same counter.
    const next = await call('POST', '/api/v1/alerts', citizen, point);
    expect((await call('POST', `/api/v1/alerts/${next.body.id}/actions`, citizen, { action: 'cancel', pin: '3333' })).status).toBe(429);
    await call('POST', `/api/v1/alerts/${next.body.id}/actions`, admin, { action: 'cancel' });
    // A burst of parallel guesses does not slip through together: each try is counted before its PIN is checked.
    const other = await device();
    expect((await call('PUT', '/api/v1/devices/me/pins', other, { cancelPin: '4321', duressPin: '8765' })).status).toBe(204);
    const burst = await Promise.all(Array.from({ length: 10 }, (_, i) =>
      call('PUT', '/api/v1/devices/me/pins', other, { cancelPin: '5555', duressPin: '6666', currentPin: String(8000 + i) }).then((r) => r.status)));
    expect(burst.filter((s) => s === 403).length).toBeLessThanOrEqual(4);
    expect(burst.filter((s) => s === 429).length).toBeGreaterThanOrEqual(6);
  }, 90_000); // every PIN set or checked is a deliberately slow hash

  it('lets PINs change after a duress cancel (the phone sees no open alert), and a change made with the duress PIN only sets decoys', async () => {
    const citizen = await device();
    const pins = (body: Record<string, string>) => call('PUT', '/api/v1/devices/me/pins', citizen, body);
    expect((await pins({ cancelPin: '1234', duressPin: '9876' })).status).toBe(204);
    const first = await call('POST', '/api/v1/alerts', citizen, point);
    expect((await call('POST', `/api/v1/alerts/${first.body.id}/actions`, citizen, { action: 'cancel', pin: '9876' })).body.status).toBe('cancelled');
    // Whoever watched the duress PIN typed tries it to change the PINs: it works, as the real one would.
    expect((await pins({ cancelPin: '5555', duressPin: '6666', currentPin: '9876' })).status).toBe(204);
    const second = await call('POST', '/api/v1/alerts', citizen, point);
    const cancelled = await call('POST', `/api/v1/alerts/${second.body.id}/actions`, citizen, { action: 'cancel', pin: '5555' });
    expect(cancelled.body.status).toBe('cancelled');
    // …but their "cancel PIN" cancels nothing: staff see both alerts continue under duress.
    for (const id of [first.body.id, second.body.id]) {
      const staff = (await call('GET', `/api/v1/alerts/${id}`, admin)).body;
      expect([staff.duress, ['paging', 'escalated'].includes(staff.status)]).toEqual([true, true]);
    }
    // The citizen's own cancel PIN still really cancels.
    const third = await call('POST', '/api/v1/alerts', citizen, point);
    expect((await call('POST', `/api/v1/alerts/${third.body.id}/actions`, citizen, { action: 'cancel', pin: '1234' })).body.status).toBe('cancelled');
    expect((await call('GET', `/api/v1/alerts/${third.body.id}`, admin)).body).toMatchObject({ status: 'cancelled', duress: false });
    for (const id of [first.body.id, second.body.id]) await call('POST', `/api/v1/alerts/${id}/actions`, admin, { action: 'cancel' });
  }, 90_000); // every PIN set or checked is a deliberately slow hash

  it('audits staff reads of an alert, its log and the live snapshot, and not a citizen reading their own', async () => {
    const citizen = await device();
    const { body } = await call('POST', '/api/v1/alerts', citizen, point);
    const auditOf = async () => ((await call('GET', '/api/v1/audit?limit=500', admin)).body as { action: string; target: string | null; actorId: string }[]);
    const before = (await auditOf()).length;
    await call('GET', `/api/v1/alerts/${body.id}`, citizen);
    await call('GET', '/api/v1/alerts', citizen);
    const citizenSocket = await connect(server.url, citizen);
    await citizenSocket.next((m) => m.type === 'snapshot');
    const afterCitizen = await auditOf();
    expect(afterCitizen.length - before).toBe(0);
    await call('GET', `/api/v1/alerts/${body.id}`, admin);
    await call('GET', `/api/v1/alerts/${body.id}/events`, admin);
    await call('GET', `/api/v1/alerts/${body.id}`, unit.token); // paged to it
    const staffSocket = await connect(server.url, admin);
    await staffSocket.next((m) => m.type === 'snapshot');
    const all = await auditOf();
    const entries = all.slice(0, all.length - before);
    const adminId = (await call('GET', '/api/v1/auth/me', admin)).body.userId as string;
    expect(entries.filter((e) => e.action === 'alert.read' && e.target === body.id)).toHaveLength(2);
    expect(entries.filter((e) => e.action === 'alert.events.read' && e.target === body.id)).toEqual([expect.objectContaining({ actorId: adminId })]);
    expect(entries.filter((e) => e.action === 'alerts.snapshot' && e.actorId === adminId)).toHaveLength(1);
    citizenSocket.close();
    staffSocket.close();
    await call('POST', `/api/v1/alerts/${body.id}/actions`, citizen, { action: 'cancel' });
  });

  it('closes a socket that does not authenticate', async () => {
    const bad = await connect(server.url, 'not-a-token');
    expect(await bad.closed).toBe(4401);
  });
});
