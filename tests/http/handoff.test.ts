// The 911/C5 hand-off through the real server on SQLite and PostgreSQL: alerts raised over HTTP
// outside every quadrant escalate at once, and the server's sender posts them to a receiver on a
// local port — fast, signed, with a stable delivery id, and still delivered after an outage.
import { createHmac } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { availableEngines } from '../support/engines.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { Receiver } from '../support/receiver.js';
import { freePort } from '../support/net.js';
import type { Config } from '../../src/config/index.js';

const engines = await availableEngines();
const SECRET = 'c5-shared-secret';
const OUTSIDE = { lat: 19.9, lon: -99.9 };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
// Limits high enough that these alerts are never held as a possible flood (that is tested elsewhere);
// no quadrants loaded, so every alert is outside them all and escalates at once.
const roomy: Partial<Config> = { seed: 'none', alertRateMax: 1000, alertNetworkRateMax: 100_000, devicesPerNetworkHour: 1000, devicesPerNetworkHourMax: 1000, escalateAfterMs: 600_000, ackTimeoutMs: 300_000 };

describe.each(engines)('911 hand-off through the server on $name', (engine) => {
  let server: TestServer | null = null;
  let c5: Receiver | null = null;
  afterEach(async () => { await server?.close(); await c5?.close(); server = null; c5 = null; });

  const device = async () => {
    const res = await fetch(`${server!.url}/api/v1/devices`, { method: 'POST' });
    return ((await res.json()) as { token: string }).token;
  };
  const raise = async (token: string) => {
    const res = await fetch(`${server!.url}/api/v1/alerts`, {
      method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ ...OUTSIDE, kind: 'robbery' }),
    });
    const body = (await res.json()) as { id: string; status: string };
    expect([res.status, body.status]).toEqual([201, 'escalated']);
    return { id: body.id, at: performance.now() };
  };

  it('hands escalations raised at 40/s to the C5 within a second of the citizen getting the answer', async () => {
    c5 = await new Receiver().listen();
    server = await startTestServer({ engine, webDir: null, config: { ...roomy, webhookUrl: c5.url, webhookSecret: SECRET } });
    const tokens = await Promise.all([0, 1, 2, 3].map(() => device()));
    const raised: { id: string; at: number }[] = [];
    for (let i = 0; i < 40; i++) {
      raised.push(await raise(tokens[i % tokens.length]!));
      await sleep(25);
    }
    await expect.poll(() => raised.every((a) => c5!.hitsFor(a.id).length >= 1), { timeout: 5000 }).toBe(true);
    const late = raised.map((a) => c5!.hitsFor(a.id)[0]!.at - a.at).filter((ms) => ms > 1000);
    expect(late).toEqual([]);
    for (const a of raised) {
      const [hit] = c5.hitsFor(a.id);
      expect(hit!.headers['x-cuadrante-delivery']).toBe(`${a.id}:escalated`);
      expect(hit!.headers['x-cuadrante-signature']).toBe(`sha256=${createHmac('sha256', SECRET).update(`${String(hit!.headers['x-cuadrante-timestamp'])}.${hit!.body}`).digest('hex')}`);
    }
    expect(c5.processed.size).toBe(40);
  }, 60_000);

  it('still escalates and stores alerts while the C5 is down, and delivers them once it is back', async () => {
    const port = await freePort();
    server = await startTestServer({ engine, webDir: null, config: { ...roomy, webhookUrl: `http://127.0.0.1:${port}/c5`, webhookSecret: SECRET } });
    const token = await device();
    const raised = [await raise(token), await raise(token), await raise(token)];
    await sleep(1500); // a couple of refused attempts each
    const rows = await server.services.storage.db.selectFrom('webhook_outbox').selectAll().execute();
    expect(rows.map((r) => r.alert_id).sort()).toEqual(raised.map((a) => a.id).sort());
    for (const r of rows) {
      expect(r.delivered_at).toBeNull();
      expect(Number(r.attempts)).toBeGreaterThanOrEqual(1);
      expect(r.last_error).toMatch(/ECONNREFUSED/);
    }
    c5 = await new Receiver().listen(port);
    const back = performance.now();
    await expect.poll(() => raised.every((a) => c5!.hitsFor(a.id).length >= 1), { timeout: 10_000 }).toBe(true);
    // Back-off is capped and jittered: after 1.5 s down, the next attempt comes within a few seconds.
    expect(Math.max(...c5.hits.map((h) => h.at)) - back).toBeLessThan(5000);
    await expect.poll(async () => (await server!.services.storage.db.selectFrom('webhook_outbox').select('delivered_at').where('delivered_at', 'is', null).execute()).length).toBe(0);
  }, 60_000);
});
