// Issue 11 item 5: health a load balancer can use. /health/live answers while the process runs;
// /health/ready answers 200 while every readiness check passes (the database so far) and 503
// NOT_READY naming the failed check otherwise — a database that fails, or one too slow to answer.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Value } from 'typebox/value';
import { HealthLive, HealthNotReadyDetails, HealthReady } from '../../src/contracts/index.js';
import { ErrorBody } from '../../src/contracts/common.js';
import { availableEngines, postgresUrl } from '../support/engines.js';
import { startTestServer, type TestServer } from '../support/server.js';

const engines = await availableEngines();

async function get(url: string, lang = 'en'): Promise<{ status: number; headers: Headers; body: any }> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const res = await fetch(url, { headers: { 'accept-language': lang } });
  return { status: res.status, headers: res.headers, body: await res.json() };
}

describe.each(engines)('health endpoints on $name', (engine) => {
  let server: TestServer;
  beforeAll(async () => { server = await startTestServer({ engine, webDir: null }); }, 60_000);
  afterAll(async () => { await server?.close(); });

  it('/health/live answers 200 without caching', async () => {
    const live = await get(`${server.url}/health/live`);
    expect(live.status).toBe(200);
    expect(live.body).toEqual({ status: 'live' });
    expect(Value.Check(HealthLive, live.body)).toBe(true);
    expect(live.headers.get('cache-control')).toBe('no-store');
  });

  it('/health/ready answers 200 with the database check passed; /health is unchanged', async () => {
    const ready = await get(`${server.url}/health/ready`);
    expect(ready.status).toBe(200);
    expect(Value.Check(HealthReady, ready.body)).toBe(true);
    expect(ready.body.status).toBe('ready');
    expect(ready.body.checks).toEqual([{ name: 'database', ok: true, ms: expect.any(Number) }]);
    expect(ready.headers.get('cache-control')).toBe('no-store');
    expect((await get(`${server.url}/health`)).body).toMatchObject({ status: 'ok', engine: engine.name });
  });

  it.runIf(engine.name === 'postgres')('a database that does not answer within the timeout is not ready, and a probe joins the stuck check instead of queueing another query', async () => {
    // Another session holds our migration table: the check's query waits on the lock.
    const blocker = new pg.Client({ connectionString: postgresUrl, options: `-c search_path="${server.config.databaseSchema}"` });
    await blocker.connect();
    try {
      await blocker.query('begin');
      await blocker.query('lock table kysely_migration in access exclusive mode');
      const started = Date.now();
      const [first, second] = await Promise.all([get(`${server.url}/health/ready`), get(`${server.url}/health/ready`, 'es')]);
      expect(Date.now() - started).toBeLessThan(3000);
      expect(first.status).toBe(503);
      expect(Value.Check(ErrorBody, first.body)).toBe(true);
      expect(first.body.error.code).toBe('NOT_READY');
      expect(first.body.error.message).toBe('This instance is not ready: database (no answer within 1000 ms)');
      expect(second.body.error.message).toBe('Esta instancia no está lista: database (sin respuesta en 1000 ms)');
      expect(Value.Check(HealthNotReadyDetails, first.body.error.details)).toBe(true);
      expect(first.body.error.details.checks).toEqual([{ name: 'database', ok: false, ms: expect.any(Number), problem: 'timeout' }]);
      expect(first.body.error.details.checks[0].ms).toBeGreaterThanOrEqual(990);
      // Two probes, one waiting query: a hung database does not collect a pool connection per probe.
      const admin = new pg.Client({ connectionString: postgresUrl });
      await admin.connect();
      try {
        const { rows } = await admin.query<{ n: string }>(`select count(*) as n from pg_stat_activity where query like 'select 1 from kysely_migration%' and wait_event_type = 'Lock'`);
        expect(Number(rows[0]!.n)).toBe(1);
      } finally { await admin.end(); }
    } finally {
      await blocker.query('rollback');
      await blocker.end();
    }
    // The lock gone, the stuck query completes and the next probe is ready.
    await expect.poll(async () => (await get(`${server.url}/health/ready`)).status, { timeout: 5000 }).toBe(200);
  }, 30_000);

  // Last: it closes the server's database under it.
  it('a database that fails is not ready (503 NOT_READY, database failed), while /health/live still answers 200', async () => {
    await server.services.storage.close();
    const ready = await get(`${server.url}/health/ready`);
    expect(ready.status).toBe(503);
    expect(ready.headers.get('cache-control')).toBe('no-store');
    expect(ready.body.error).toMatchObject({ code: 'NOT_READY', message: 'This instance is not ready: database (failed)' });
    expect(ready.body.error.details.checks).toEqual([{ name: 'database', ok: false, ms: expect.any(Number), problem: 'failed' }]);
    // What the driver said stays in the log: nothing about the database reaches the anonymous caller.
    expect(JSON.stringify(ready.body)).not.toMatch(/destroyed|closed|postgres|sqlite/i);
    expect((await get(`${server.url}/health/live`)).status).toBe(200);
  });
});
