// The carriers' feed and the reporter keys, on SQLite and PostgreSQL, with an injected clock:
// only probable and confirmed numbers are fed to carriers (one report cannot get a number blocked),
// a number that decays back to suspicious leaves the feed as a removal; reporter keys made with
// the old salt stored in the database are re-keyed one-way on start and the salt is deleted, so a
// dump holds nothing that reverses a key — and old reports still group among themselves.
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/kernel/index.js';
import { availableEngines } from '../support/engines.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { caller } from '../support/api.js';

const engines = await availableEngines();
const DAY = 24 * 3600_000;

interface FeedEntry { number: string; level: string; listed: boolean; changedAt: string }

describe.each(engines)('carrier feed and reporter keys on $name', (engine) => {
  let server: TestServer;
  let key: string;
  const clock = new ManualClock(Date.now());
  const call = caller(() => server.url);
  const report = (number: string, ip: string) =>
    call('POST', '/api/v1/extortion/reports', { body: { number, channel: 'call', type: 'fake_lawyer' }, headers: { 'x-forwarded-for': ip } });
  const feed = async (since?: string) => {
    const r = await call('GET', `/api/v1/carrier/blocklist${since ? `?since=${encodeURIComponent(since)}` : ''}`, { headers: { 'x-api-key': key } });
    expect(r.status).toBe(200);
    return r.body.entries as FeedEntry[];
  };

  /** A fresh session: the clock jumps months ahead, past any session's lifetime. */
  const signIn = async (username: string, password: string) => (await call('POST', '/api/v1/auth/login', { body: { username, password } })).body.token as string;
  const admin = () => signIn(server.config.adminUsername, server.config.adminPassword!);
  const analyst = () => signIn('analista', 'analista-clave-segura');

  beforeAll(async () => {
    server = await startTestServer({ engine, webDir: null, clock, config: { trustProxy: ['127.0.0.1', '::1'] } });
    const token = await admin();
    await call('POST', '/api/v1/users', { token, body: { username: 'analista', password: 'analista-clave-segura', role: 'analyst' } });
    key = (await call('POST', '/api/v1/extortion/api-keys', { token, body: { name: 'Operador', perMinute: 1000 } })).body.key;
  }, 120_000);
  afterAll(async () => { await server?.close(); });

  it('feeds probable numbers and removes one that decays back to suspicious; suspicious ones never enter', async () => {
    expect((await report('55 9100 0001', '10.80.0.1')).status).toBe(201); // one report: suspicious
    for (let i = 0; i < 3; i++) expect((await report('55 9100 0002', `10.81.${i}.1`)).status).toBe(201); // three networks: probable
    const full = await feed();
    expect(full.map((e) => [e.number, e.level, e.listed])).toEqual([['+525591000002', 'probable', true]]);
    const cursor = full[0]!.changedAt;
    expect(await feed(cursor)).toEqual([]);

    clock.advance(91 * DAY); // the three reports leave the 90-day window…
    expect((await report('55 9100 0002', '10.82.0.1')).status).toBe(201); // …and one new report recomputes the number
    expect((await report('55 9100 0003', '10.83.0.1')).status).toBe(201); // another one-report number: still nothing for carriers
    expect((await call('GET', '/api/v1/numbers/5591000002')).body.level).toBe('suspicious');
    expect((await feed()).map((e) => e.number)).not.toContain('+525591000002');
    const removals = await feed(cursor);
    expect(removals.map((e) => [e.number, e.level, e.listed])).toEqual([['+525591000002', 'suspicious', false]]);
    const csv = await call('GET', `/api/v1/carrier/blocklist?format=csv&since=${encodeURIComponent(cursor)}`, { headers: { 'x-api-key': key } });
    expect(String(csv.body).trim().split('\n')[1]).toMatch(/^\+525591000002,suspicious,4,1,[^,]+,false$/);

    // An analyst's confirmation puts it back.
    const next = removals[0]!.changedAt;
    await call('POST', '/api/v1/extortion/numbers/5591000002/decision', { token: await analyst(), body: { status: 'confirmed' } });
    expect((await feed(next)).map((e) => [e.level, e.listed])).toEqual([['confirmed', true]]);
  });

  it('re-keys reports made with the old salt one-way, deletes the salt, and keeps their grouping', async () => {
    const db = server.services.storage.db;
    const salt = 'ab'.repeat(32);
    const legacy = (kind: string, value: string) => createHmac('sha256', salt).update(`${kind}:${value}`).digest('hex').slice(0, 32);
    const now = clock.now().getTime();
    const row = (id: string, device: string | null, network: string, at: number) => ({
      id, e164: '+525592000001', channel: 'call', type: 'virtual_kidnapping', occurred_at: at, claimed: null, amount_mxn: null, paid: 0,
      clabe: null, card_masked: null, bank: null, notes: id, key_id: null, key_account: device && legacy('account', device),
      key_device: device && legacy('device', device), key_network: legacy('network', network), status: 'new', created_at: at,
    });
    await db.insertInto('meta').values({ key: 'extortion_salt', value: salt }).execute();
    await db.insertInto('extortion_reports').values([
      row('old-1', 'phone-a', '10.90.1.0/24', now - 3000),
      row('old-2', 'phone-a', '10.90.2.0/24', now - 2000), // the same phone from another network
      row('old-3', null, '10.90.3.0/24', now - 1000),
    ]).execute();
    const before = (await db.selectFrom('extortion_reports').selectAll().where('key_id', 'is', null).execute()).flatMap((r) => [r.key_account, r.key_device, r.key_network]).filter(Boolean);
    expect(before).toHaveLength(7);

    await server.services.extortion.load(); // what the next start does
    expect(await db.selectFrom('meta').select('key').where('key', '=', 'extortion_salt').execute()).toEqual([]);
    const after = await db.selectFrom('extortion_reports').selectAll().where('e164', '=', '+525592000001').orderBy('created_at').execute();
    expect(after.map((r) => r.key_id)).toEqual(Array(3).fill(`${server.services.secrets.keyId}:legacy`));
    for (const r of after) for (const k of [r.key_account, r.key_device, r.key_network]) if (k) expect(before).not.toContain(k);
    // Grouping survives among old reports: the same phone is still one reporter.
    expect(after[0]!.key_device).toBe(after[1]!.key_device);
    expect(after[0]!.key_network).not.toBe(after[1]!.key_network);
    const page = (await call('GET', '/api/v1/extortion/numbers/5592000001', { token: await analyst() })).body;
    expect(page.reports.map((r: { notes: string; reporter: string }) => [r.notes, r.reporter])).toEqual([['old-1', 'A'], ['old-2', 'A'], ['old-3', 'B']]);
    expect(page.reputation).toMatchObject({ reports: 3, independentReporters: 2 });
    // A second start finds nothing to do and changes nothing.
    await server.services.extortion.load();
    const again = await db.selectFrom('extortion_reports').selectAll().where('e164', '=', '+525592000001').orderBy('created_at').execute();
    expect(again).toEqual(after);
    const audit = (await call('GET', '/api/v1/audit?limit=50', { token: await admin() })).body as { action: string; details: { reports: number } }[];
    expect(audit.filter((a) => a.action === 'extortion.reporters.rekeyed').map((a) => a.details.reports)).toEqual([3]);
  });

  it('derives new reporter keys from the secret key (with its id), never from anything in the database', async () => {
    expect((await report('55 9300 0001', '10.95.7.7')).status).toBe(201);
    const [r] = await server.services.storage.db.selectFrom('extortion_reports').selectAll().where('e164', '=', '+525593000001').execute();
    expect(r!.key_id).toBe(server.services.secrets.keyId);
    expect(r!.key_network).toBe(server.services.secrets.hash('reporter.network', '10.95.7.0/24'));
    expect(r!.key_device).toBeNull(); // anonymous: no device, whatever header it sent
  });
});
