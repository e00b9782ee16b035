// The 3-node JetStream cluster helper, proved on what the multi-instance suite relies on: it forms,
// an R3 stream survives a SIGKILL of its leader (a new leader within seconds; publishes retried with
// the same msgID all stored, none twice), a killed node rejoins, and nothing is left behind — not
// even when the test process itself is SIGKILLed.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { jetstream, jetstreamManager, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import { natsSkipReason, startNatsCluster, type NatsCluster } from './nats-cluster.js';
import { projectRoot } from './net.js';

const skip = natsSkipReason();
const alive = (pid: number) => { try { process.kill(pid, 0); return true; } catch { return false; } };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.skipIf(skip)('a 3-node JetStream cluster on loopback', () => {
  let cluster: NatsCluster;
  let nc: NatsConnection;
  let js: JetStreamClient;
  let jsm: JetStreamManager;
  beforeAll(async () => {
    cluster = await startNatsCluster();
    nc = await connect({ servers: cluster.urls.split(','), maxReconnectAttempts: -1, reconnectTimeWait: 100 });
    js = jetstream(nc);
    jsm = await jetstreamManager(nc);
  }, 60_000);
  afterAll(async () => {
    await nc?.close();
    await cluster?.stop();
  });

  /** Publishes until acknowledged, always with the same msgID; how many attempts failed. */
  async function publishUntilStored(i: number): Promise<{ failures: number; duplicate: boolean }> {
    let failures = 0;
    for (;;) {
      try {
        const ack = await js.publish(`events.alert.${i % 7}`, JSON.stringify({ i }), { msgID: `event-${i}`, timeout: 500 });
        return { failures, duplicate: ack.duplicate };
      } catch {
        failures++;
        await sleep(50);
      }
    }
  }

  it('forms with three nodes and a meta leader, reachable through the comma-separated urls', async () => {
    expect(cluster.urls.split(',')).toHaveLength(3);
    expect(cluster.nodes.map((n) => n.name)).toEqual(['n1', 'n2', 'n3']);
    expect(cluster.pids().every(alive)).toBe(true);
    const account = await jsm.getAccountInfo();
    expect(account.limits).toBeDefined();
  });

  it('keeps an R3 stream writable when its leader is SIGKILLed: a new leader, every retried publish stored once', async () => {
    await jsm.streams.add({ name: 'EVENTS', subjects: ['events.>'], num_replicas: 3, duplicate_window: 120 * 1e9 });
    for (let i = 0; i < 100; i++) expect((await publishUntilStored(i)).failures).toBe(0);
    const leader = await cluster.waitForStreamLeader('EVENTS');
    expect((await jsm.streams.info('EVENTS')).cluster?.leader).toBe(leader);

    await cluster.kill(leader, 'SIGKILL');
    const killedAt = Date.now();
    let firstStoredAt = 0;
    let failures = 0;
    for (let i = 100; i < 300; i++) {
      // (An attempt whose ack was lost may have been stored: its retry is then a duplicate, fine.)
      failures += (await publishUntilStored(i)).failures;
      firstStoredAt ||= Date.now();
    }
    const newLeader = await cluster.waitForStreamLeader('EVENTS', { not: leader });
    const outageMs = firstStoredAt - killedAt;
    console.log(`stream leader ${leader} SIGKILLed → ${newLeader} leads; publishes failed for ${outageMs} ms (${failures} failed attempts, all retried with the same msgID)`);
    expect(newLeader).not.toBe(leader);
    expect(outageMs).toBeLessThan(15_000);

    // 300 events, each once: the retries after a lost ack were dropped as duplicates.
    const state = (await jsm.streams.info('EVENTS')).state;
    expect([state.messages, state.last_seq]).toEqual([300, 300]);
    const ids = new Set<string>();
    for (let seq = 1; seq <= 300; seq++) ids.add((await jsm.streams.getMessage('EVENTS', { seq }))!.header.get('Nats-Msg-Id'));
    expect(ids.size).toBe(300);
    // A publish repeated inside the window is recognised as such, not stored again.
    expect((await publishUntilStored(42)).duplicate).toBe(true);
    expect((await jsm.streams.info('EVENTS')).state.messages).toBe(300);

    // The killed node comes back on its own store and catches up.
    await cluster.restart(leader);
    await expect.poll(async () => {
      const info = await jsm.streams.info('EVENTS');
      return info.cluster?.replicas?.find((r) => r.name === leader)?.current ?? (info.cluster?.leader === leader);
    }, { timeout: 15_000, interval: 200 }).toBe(true);
  }, 90_000);

  it('stop() leaves no process and no directory behind', async () => {
    const other = await startNatsCluster();
    const pids = other.pids();
    await other.stop();
    expect(pids.filter(alive)).toEqual([]);
    expect(existsSync(other.dir)).toBe(false);
  }, 60_000);

  it('a SIGKILLed test process leaves no nats-server behind either (the watchdog)', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', '-e',
      "import('./tests/support/nats-cluster.ts').then(async (m) => { const c = await m.startNatsCluster(); console.log(JSON.stringify({ pids: c.pids(), dir: c.dir })); setInterval(() => {}, 1000); })"],
    { cwd: projectRoot, stdio: ['ignore', 'pipe', 'inherit'] });
    const started = await new Promise<{ pids: number[]; dir: string }>((ok, fail) => {
      child.stdout.on('data', (d) => { try { ok(JSON.parse(String(d))); } catch { /* partial line */ } });
      child.once('exit', (code) => fail(new Error(`cluster child exited (${code})`)));
    });
    expect(started.pids.filter(alive)).toHaveLength(3);
    child.kill('SIGKILL');
    await expect.poll(() => started.pids.filter(alive), { timeout: 10_000, interval: 200 }).toEqual([]);
    await expect.poll(() => existsSync(started.dir), { timeout: 5_000, interval: 200 }).toBe(false);
  }, 60_000);
});

describe('without nats-server', () => {
  const probe = (env: Record<string, string>) => new Promise<{ code: number | null; out: string }>((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '-e',
      "import('./tests/support/nats-cluster.ts').then((m) => m.natsSkipReason()).then((r) => console.log('reason: ' + r), (e) => { console.log('threw: ' + e.message); process.exit(3); })"],
    { cwd: projectRoot, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, CUADRANTE_NATS_SERVER: '/nonexistent/nats-server', ...env } });
    let out = '';
    child.stdout.on('data', (d) => { out += String(d); });
    child.stderr.on('data', (d) => { out += String(d); });
    child.once('exit', (code) => resolve({ code, out }));
  });

  it('skips with a printed reason, and fails instead when CUADRANTE_REQUIRE_NATS=1', async () => {
    const skipped = await probe({ CUADRANTE_REQUIRE_NATS: '' });
    expect(skipped.code).toBe(0);
    expect(skipped.out).toContain('⚠ skipping the NATS cluster suite: /nonexistent/nats-server not found');
    expect(skipped.out).toContain('reason: /nonexistent/nats-server not found');
    const required = await probe({ CUADRANTE_REQUIRE_NATS: '1' });
    expect(required.code).toBe(3);
    expect(required.out).toContain('threw: /nonexistent/nats-server not found (Debian: apt-get install nats-server; or set CUADRANTE_NATS_SERVER) (required: CUADRANTE_REQUIRE_NATS=1)');
  }, 30_000);
});
