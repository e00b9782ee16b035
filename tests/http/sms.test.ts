// SMS pumping and check-in abuse, on SQLite and PostgreSQL, against a fake Twilio-compatible
// provider on a local port (the real Notifier speaks to it over HTTP): only mobile and fixed-line
// numbers of Mexico are ever texted, check-ins are limited per device and per destination per
// day, a flooding device's messages queue behind everyone's first, a delivered message keeps no
// live link, a link expires and takes one answer, the code word cannot be guessed fast — and
// none of that is multiplied by new device credentials. Production mode: no development outbox.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/kernel/index.js';
import { availableEngines } from '../support/engines.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { caller } from '../support/api.js';

const engines = await availableEngines();
const DAY = 24 * 3600_000;

interface Delivered { to: string; body: string; auth: string | undefined; path: string | undefined }

/** Twilio's Messages API as far as the Notifier uses it; `hold()` keeps answers back until `release()`. */
async function fakeProvider() {
  const received: Delivered[] = [];
  let gate: Promise<void> | null = null;
  let open = () => {};
  const server: Server = createServer((req, res) => {
    let data = '';
    req.on('data', (c: Buffer) => { data += c.toString(); });
    req.on('end', () => {
      const form = new URLSearchParams(data);
      received.push({ to: form.get('To') ?? '', body: form.get('Body') ?? '', auth: req.headers.authorization, path: req.url });
      void (gate ?? Promise.resolve()).then(() => {
        res.writeHead(201, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ sid: `SM${received.length}` }));
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    hold() { gate = new Promise((resolve) => { open = resolve; }); },
    release() { open(); gate = null; },
    close: () => new Promise<void>((resolve) => { open(); server.close(() => resolve()); }),
  };
}

async function until(what: string, ok: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await ok())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe.each(engines)('SMS and check-ins under abuse on $name', (engine) => {
  let server: TestServer;
  let provider: Awaited<ReturnType<typeof fakeProvider>>;
  const clock = new ManualClock(Date.now());
  const call = caller(() => server.url);
  const device = async () => (await call('POST', '/api/v1/devices')).body as { token: string; userId: string };
  const addContact = async (token: string, phone: string) => call('POST', '/api/v1/contacts', { token, body: { name: 'Contacto', phone } });
  const contact = async (token: string, phone: string) => {
    const r = await addContact(token, phone);
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    return r.body.id as string;
  };
  const ask = (token: string, contactId: string) => call('POST', '/api/v1/checkins', { token, body: { contactId } });
  const tokenIn = (body: string) => /#([A-Za-z0-9_-]{10,})/.exec(body)?.[1] ?? null;

  beforeAll(async () => {
    provider = await fakeProvider();
    server = await startTestServer({
      engine, webDir: null, clock,
      config: { smsPerDestinationDay: 3, checkinsPerDeviceDay: 10, sms: { url: provider.url, accountSid: 'ACtest', authToken: 'tok', from: '+525500000000' } },
    });
  }, 120_000);
  afterAll(async () => {
    await server?.close();
    await provider?.close();
  });

  it('texts only mobile and fixed-line numbers of Mexico: premium, toll-free, shared-cost, foreign and short numbers are refused', async () => {
    const owner = await device();
    for (const phone of ['900 123 4567', '800 123 4567', '+52 300 123 4567', '+1 415 555 2671', '+44 909 879 0000', '911']) {
      const r = await addContact(owner.token, phone);
      expect([r.status, r.body.error?.code], phone).toEqual([400, 'DESTINATION_NOT_ALLOWED']);
    }
    const en = await call('POST', '/api/v1/contacts', { token: owner.token, headers: { 'accept-language': 'en' }, body: { name: 'X', phone: '900 123 4567' } });
    expect(en.body.error.message).toBe('Messages cannot be sent to +529001234567: only to mobile or landline numbers of Mexico');
    expect((await addContact(owner.token, '123')).body.error.code).toBe('INVALID_PHONE');
    expect((await call('GET', '/api/v1/contacts', { token: owner.token })).body).toEqual([]);
    expect((await addContact(owner.token, '55 1111 2222')).body.phone).toBe('+525511112222');
  });

  it('never texts a contact or a queued message saved before the rules, even one that was allowed then', async () => {
    const owner = await device();
    const db = server.services.storage.db;
    const now = clock.now().getTime();
    await db.insertInto('trusted_contacts').values({ id: 'legacy-premium', owner_id: owner.userId, name: 'Viejo', phone: '+529001234567', created_at: now }).execute();
    await db.insertInto('notifications').values({ channel: 'sms', recipient: '+529001234568', body: 'cola vieja', created_at: now, sent_at: null, attempts: 0, provider_id: null, last_error: null, sender_key: null, sender_seq: 0, purpose: null }).execute();
    const r = await ask(owner.token, 'legacy-premium');
    expect([r.status, r.body.error.code]).toEqual([400, 'DESTINATION_NOT_ALLOWED']);
    expect(await db.selectFrom('checkins').select('id').where('owner_id', '=', owner.userId).execute()).toEqual([]);
    const dropped = () => db.selectFrom('notifications').select('last_error').where('recipient', '=', '+529001234568').executeTakeFirstOrThrow();
    await until('the sender (every 2 s) to drop the queued message', async () => (await dropped()).last_error !== null);
    const queued = await db.selectFrom('notifications').selectAll().where('recipient', 'in', ['+529001234567', '+529001234568']).execute();
    expect(queued.map((n) => [n.recipient, n.sent_at, n.last_error])).toEqual([['+529001234568', null, 'destination not allowed']]);
    expect(provider.received.filter((m) => m.to.startsWith('+52900'))).toEqual([]);
  });

  it("sends a real check-in before a flooding device's backlog, and keeps no live link once delivered", async () => {
    const flooder = await device();
    const honest = await device();
    const flooderContacts = [];
    for (const n of ['55 3100 0001', '55 3100 0002', '55 3100 0003', '55 3100 0004']) flooderContacts.push(await contact(flooder.token, n));
    const mom = await contact(honest.token, '55 3200 0001');
    const before = provider.received.length;
    provider.hold(); // the provider is slow: a backlog forms
    expect((await ask(flooder.token, flooderContacts[0]!)).status).toBe(201);
    await until('the first message to reach the provider', () => provider.received.length === before + 1);
    for (let i = 1; i < 10; i++) expect((await ask(flooder.token, flooderContacts[Math.floor(i / 3)]!)).status).toBe(201);
    expect((await ask(honest.token, mom)).status).toBe(201);
    provider.release();
    await until('every message to be delivered', () => provider.received.length === before + 11);
    const order = provider.received.slice(before).map((m) => m.to);
    // The flooder's first was already on its way; the honest check-in went next, not 10th.
    expect(order[0]).toBe('+525531000001');
    expect(order[1]).toBe('+525532000001');
    expect(order.slice(2).every((to) => to.startsWith('+5255310000'))).toBe(true);
    expect(provider.received[before]!.path).toBe('/2010-04-01/Accounts/ACtest/Messages.json');
    expect(provider.received[before]!.auth).toBe(`Basic ${Buffer.from('ACtest:tok').toString('base64')}`);

    // The provider got the link; the database keeps none (a dump or a staff read finds no live token).
    const link = tokenIn(provider.received[before + 1]!.body)!;
    expect(link).toMatch(/^[\w-]{24}$/); // 18 random bytes, base64url
    const db = server.services.storage.db;
    const unsent = () => db.selectFrom('notifications').select('id').where('sent_at', 'is', null).where('recipient', 'like', '+52553%').execute();
    await until('the rows to be marked sent', async () => (await unsent()).length === 0);
    const rows = await db.selectFrom('notifications').selectAll().where('sent_at', 'is not', null).execute();
    expect(rows.length).toBeGreaterThanOrEqual(11);
    for (const r of rows) {
      expect(tokenIn(r.body), r.body).toBeNull();
      expect(r.body).toMatch(/verificar\.html#…$/);
    }
    expect(rows.every((r) => r.sender_key === null || /^[0-9a-f]{32}$/.test(r.sender_key))).toBe(true);
    expect(JSON.stringify(rows)).not.toContain(flooder.userId);

    // The link still works for the contact: once.
    expect((await call('POST', '/api/v1/checkin-links/answer', { body: { token: link, answer: 'fine' } })).body.status).toBe('fine');
    const again = await call('POST', '/api/v1/checkin-links/answer', { body: { token: link, answer: 'fine' } });
    expect([again.status, again.body.error.code]).toEqual([409, 'CHECKIN_ANSWERED']);
  });

  it('has no development outbox in production', async () => {
    expect((await call('GET', '/api/v1/dev/outbox', { token: await server.adminToken() })).status).toBe(404);
  });

  it('limits SMS per destination whoever asks, and check-ins per device per day', async () => {
    const a = await device();
    const b = await device();
    const [c1, c2, c3, c4] = [await contact(a.token, '55 3300 0001'), await contact(a.token, '55 3300 0002'), await contact(a.token, '55 3300 0003'), await contact(a.token, '55 3300 0004')];
    const sameNumberOfB = await contact(b.token, '55 3300 0001');
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await ask(a.token, c1)).status);
    expect(statuses).toEqual([201, 201, 201, 429]);
    const other = await ask(b.token, sameNumberOfB); // another device: the number had its share today
    expect([other.status, other.body.error.code]).toEqual([429, 'RATE_LIMITED']);
    expect(Number(other.headers.get('retry-after'))).toBeGreaterThan(3600);
    for (let i = 0; i < 3; i++) expect((await ask(a.token, c2)).status).toBe(201);
    for (let i = 0; i < 3; i++) expect((await ask(a.token, i < 2 ? c3 : c4)).status).toBe(201); // 10 asked (one refused)
    const eleventh = await ask(a.token, c4);
    expect([eleventh.status, eleventh.body.error.code]).toEqual([429, 'RATE_LIMITED']);
    const mine = (await call('GET', '/api/v1/checkins', { token: a.token })).body as unknown[];
    expect(mine).toHaveLength(9); // refused ones left nothing waiting for an answer

    clock.advance(2 * DAY);
    expect((await ask(a.token, c1)).status).toBe(201);
    expect((await ask(b.token, sameNumberOfB)).status).toBe(201);
  });

  it('expires a link after 30 minutes', async () => {
    const owner = await device();
    const id = await contact(owner.token, '55 3400 0001');
    const before = provider.received.length;
    expect((await ask(owner.token, id)).status).toBe(201);
    await until('the link to be sent', () => provider.received.length > before);
    const link = tokenIn(provider.received.find((m, i) => i >= before && m.to === '+525534000001')!.body)!;
    clock.advance(31 * 60_000);
    expect((await call('POST', '/api/v1/checkin-links/status', { body: { token: link } })).body.status).toBe('expired');
    const late = await call('POST', '/api/v1/checkin-links/answer', { body: { token: link, answer: 'need_help', lat: 19.43, lon: -99.13 } });
    expect([late.status, late.body.error.code]).toEqual([404, 'CHECKIN_NOT_FOUND']);
  });

  it('slows code word guesses per device and per network; new device credentials do not multiply them', async () => {
    const check = (token: string, word: string) => call('POST', '/api/v1/code-word/check', { token, body: { word } });
    const owner = await device();
    await call('PUT', '/api/v1/code-word', { token: owner.token, body: { word: 'Ajolote' } });
    for (let i = 0; i < 6; i++) expect((await check(owner.token, `intento${i}`)).body).toEqual({ set: true, matches: false });
    const held = await check(owner.token, 'ajolote');
    expect([held.status, held.body.error.code, held.headers.get('retry-after')]).toEqual([429, 'RATE_LIMITED', '5']);
    clock.advance(5000);
    expect((await check(owner.token, 'ajolote')).body).toEqual({ set: true, matches: true });

    // A guesser with fresh devices on the same network: the network's count is shared.
    let refusedAt = -1;
    for (let d = 0; d < 6 && refusedAt < 0; d++) {
      const guesser = await device();
      await call('PUT', '/api/v1/code-word', { token: guesser.token, body: { word: 'palabra' } });
      for (let i = 0; i < 5; i++) {
        const r = await check(guesser.token, `otra${i}`);
        if (r.status === 429) { refusedAt = d * 5 + i; break; }
        expect(r.body.matches).toBe(false);
      }
    }
    expect(refusedAt).toBe(25); // 6 + 25 misses from one network, the 31st try waits
  }, 180_000);
});
