// Extortion defence through HTTP on SQLite and PostgreSQL: reporting, look-ups (plain, k-anonymous,
// keyed), reputation that one actor cannot game, analysts, disputes, exports, check-ins.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableEngines } from '../support/engines.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { connect } from '../support/ws.js';

const engines = await availableEngines();

describe.each(engines)('extortion defence on $name', (engine) => {
  let server: TestServer;
  let admin: string;
  let analyst: string;
  const call = async (method: string, path: string, opts: { token?: string; body?: unknown; headers?: Record<string, string> } = {}) => {
    const res = await fetch(`${server.url}${path}`, {
      method, body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
      headers: { ...(opts.body === undefined ? {} : { 'content-type': 'application/json' }), ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}), ...opts.headers },
    });
    const text = await res.text();
    let body: any = null; // eslint-disable-line @typescript-eslint/no-explicit-any
    try { body = JSON.parse(text); } catch { body = text; }
    return { status: res.status, body, headers: res.headers };
  };
  const report = (number: string, device: string, extra: Record<string, unknown> = {}, ip?: string) =>
    call('POST', '/api/v1/extortion/reports', { body: { number, channel: 'call', type: 'virtual_kidnapping', claimed: 'Tenemos a tu hijo, deposita ya', ...extra }, headers: { 'x-device-id': device, ...(ip ? { 'x-forwarded-for': ip } : {}) } });

  beforeAll(async () => {
    server = await startTestServer({ engine, webDir: null, config: { trustProxy: ['127.0.0.1', '::1'], reportsPerDevicePerHour: 5, reportsPerNetworkPerHour: 1000 } });
    admin = await server.adminToken();
    await call('POST', '/api/v1/users', { token: admin, body: { username: 'analista', password: 'analista-clave-segura', role: 'analyst' } });
    analyst = (await call('POST', '/api/v1/auth/login', { body: { username: 'analista', password: 'analista-clave-segura' } })).body.token;
  }, 120_000);
  afterAll(async () => { await server?.close(); });

  it('normalises legacy Mexican forms to one number and refuses short codes and garbage', async () => {
    const first = await report('044 55 1234 5678', 'dev-a', {}, '10.1.1.1');
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ number: '+525512345678', level: 'suspicious', reports: 1 });
    const same = await call('GET', `/api/v1/numbers/${encodeURIComponent('+52 1 55 1234 5678')}`);
    expect(same.body).toMatchObject({ number: '+525512345678', reports: 1 });
    const short = await report('911', 'dev-a');
    expect([short.status, short.body.error.code]).toEqual([400, 'SHORT_CODE']);
    const junk = await report('12', 'dev-a');
    expect([junk.status, junk.body.error.code]).toEqual([400, 'INVALID_PHONE']);
    const clabe = await report('5512345678', 'dev-a', { clabe: '032180000118359710' });
    expect([clabe.status, clabe.body.error.code]).toEqual([400, 'INVALID_CLABE']);
    expect((await call('GET', '/api/v1/numbers/5512345678')).body.reports).toBe(1); // refused reports changed nothing
  });

  it('never lets one actor push a number past "suspicious", and refuses the flood itself', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push((await report('55 8888 7777', 'flooder', {}, '10.2.2.2')).status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(5);
    expect(statuses.slice(5)).toEqual([429, 429]);
    for (let i = 0; i < 5; i++) await report('55 8888 7777', `flooder-${i}`, {}, '10.2.2.2');
    const r = await call('GET', '/api/v1/numbers/5588887777');
    expect(r.body.level).toBe('suspicious');
  });

  it('rates a number "probable" when independent people report it', async () => {
    for (let i = 0; i < 4; i++) expect((await report('33 1111 2222', `vecino-${i}`, {}, `10.3.${i}.9`)).status).toBe(201);
    const r = await call('GET', '/api/v1/numbers/3311112222');
    expect(r.body).toMatchObject({ level: 'probable', reports: 4, independentReporters: 4 });
    expect(r.body.explanation.es, JSON.stringify(r.body)).toMatch(/4/);
  });

  it('answers the k-anonymous range query without learning the number', async () => {
    const hash = createHash('sha256').update('+523311112222').digest('hex');
    const r = await call('GET', `/api/v1/numbers/range/${hash.slice(0, 5)}`);
    expect(r.status).toBe(200);
    const entries = r.body as { hashSuffix: string; level: string }[];
    expect(entries.find((e) => e.hashSuffix === hash.slice(5))?.level).toBe('probable');
    expect((await call('GET', '/api/v1/numbers/range/zzzzz')).status).toBe(400);
  });

  it('shows protected numbers as possibly spoofed, whatever the reports', async () => {
    expect((await call('PUT', '/api/v1/extortion/protected/5552089898', { token: analyst, body: { label: 'SSC CDMX' } })).status).toBe(403);
    expect((await call('PUT', '/api/v1/extortion/protected/5552089898', { token: admin, body: { label: 'Línea de cuadrantes SSC CDMX' } })).status).toBe(200);
    for (let i = 0; i < 4; i++) await report('55 5208 9898', `spoof-${i}`, {}, `10.4.${i}.1`);
    expect((await call('GET', '/api/v1/numbers/5552089898')).body.level).toBe('spoofed');
  });

  it('lets analysts confirm numbers, resolve disputes, and export cases without reporter identities', async () => {
    expect((await call('GET', '/api/v1/extortion/queue')).status).toBe(401);
    const queue = await call('GET', '/api/v1/extortion/queue', { token: analyst });
    expect(queue.body.length).toBeGreaterThan(0);
    const confirmed = await call('POST', '/api/v1/extortion/numbers/3311112222/decision', { token: analyst, body: { status: 'confirmed', note: 'Campaña conocida' } });
    expect(confirmed.body.level).toBe('confirmed');
    const dispute = await call('POST', '/api/v1/numbers/5512345678/disputes', { body: { ownerName: 'Tintorería La Güera', contact: 'tel 55 1234 5678', reason: 'Es el teléfono de mi negocio' } });
    expect(dispute.status).toBe(201);
    expect((await call('GET', '/api/v1/numbers/5512345678')).body.underReview).toBe(true);
    expect((await call('POST', '/api/v1/numbers/5599990000/disputes', { body: { ownerName: 'Nadie', contact: 'x@y.z', reason: 'No reportado' } })).status).toBe(404);
    const upheld = await call('POST', `/api/v1/extortion/disputes/${dispute.body.id}/resolution`, { token: analyst, body: { outcome: 'upheld', note: 'Verificado' } });
    expect(upheld.body.level).toBe('none');
    const csv = await call('POST', '/api/v1/extortion/exports', { token: analyst, body: { numbers: ['3311112222'], format: 'csv' } });
    expect(csv.headers.get('content-type')).toMatch(/text\/csv/);
    expect(String(csv.body).split('\n').filter(Boolean)).toHaveLength(5);
    expect(String(csv.body)).not.toMatch(/vecino|10\.3\./);
    const audit = (await call('GET', '/api/v1/audit', { token: admin })).body as { action: string }[];
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['number.confirmed', 'number.dispute.upheld', 'extortion.case_export']));
  });

  it('serves carriers a keyed, rate-limited look-up and a blocklist feed with ETag', async () => {
    const key = (await call('POST', '/api/v1/extortion/api-keys', { token: admin, body: { name: 'Operador X', perMinute: 3 } })).body.key as string;
    expect((await call('GET', '/api/v1/carrier/numbers/3311112222')).status).toBe(401);
    const feed = await call('GET', '/api/v1/carrier/blocklist?format=csv', { headers: { 'x-api-key': key } });
    expect(feed.status).toBe(200);
    expect(String(feed.body)).toMatch(/^number,level/);
    expect(String(feed.body)).toContain('+523311112222,confirmed');
    const again = await call('GET', '/api/v1/carrier/blocklist?format=csv', { headers: { 'x-api-key': key, 'if-none-match': feed.headers.get('etag')! } });
    expect(again.status).toBe(304);
    // Three calls a minute: the third is the last one served.
    expect((await call('GET', '/api/v1/carrier/numbers/3311112222', { headers: { 'x-api-key': key } })).body.level).toBe('confirmed');
    const limited = await call('GET', '/api/v1/carrier/numbers/3311112222', { headers: { 'x-api-key': key } });
    expect([limited.status, limited.body.error.code]).toEqual([429, 'RATE_LIMITED']);
  });

  it('sends a check-in to a trusted contact and shows the answer live; "I need help" raises an alert', async () => {
    const device = (await call('POST', '/api/v1/devices')).body.token as string;
    const contact = (await call('POST', '/api/v1/contacts', { token: device, body: { name: 'Mamá', phone: '55 2222 3333' } })).body;
    expect(contact.phone).toBe('+525522223333');
    const socket = await connect(server.url, device);
    await socket.next((m) => m.type === 'snapshot');
    const ask = async () => {
      const c = (await call('POST', '/api/v1/checkins', { token: device, body: { contactId: contact.id } })).body;
      const outbox = (await call('GET', '/api/v1/dev/outbox', { token: admin })).body as { to: string; body: string }[];
      const token = /#([\w-]+)/.exec(outbox.find((m) => m.to === '+525522223333')!.body)![1]!;
      return { id: c.id as string, token };
    };
    const first = await ask();
    expect((await call('POST', `/api/v1/checkin-links/${first.token}`, { body: { answer: 'fine' } })).body.status).toBe('fine');
    expect((await socket.next((m) => m.type === 'checkin')).checkin).toMatchObject({ id: first.id, status: 'fine', contactName: 'Mamá' });
    const second = await ask();
    const help = await call('POST', `/api/v1/checkin-links/${second.token}`, { body: { answer: 'need_help', lat: 19.4326, lon: -99.1332 } });
    expect(help.body.alertId).toBeTruthy();
    const alert = await call('GET', `/api/v1/alerts/${help.body.alertId}`, { token: admin });
    expect(alert.body).toMatchObject({ kind: 'extortion', quadrant: { id: 'C-1.1.3' } });
    expect((await call('POST', '/api/v1/checkin-links/nonexistent-token-123', { body: { answer: 'fine' } })).status).toBe(404);
    await call('PUT', '/api/v1/code-word', { token: device, body: { word: 'Tlacuache' } });
    expect((await call('POST', '/api/v1/code-word/check', { token: device, body: { word: 'tlacuache ' } })).body).toEqual({ set: true, matches: true });
    socket.close();
  });
});
