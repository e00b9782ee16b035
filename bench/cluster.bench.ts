// Cluster benchmark (issue 11, item 8): several instances on one PostgreSQL schema joined by NATS
// JetStream, all in one run on this machine, each figure beside its alternative:
//
//   - POST /api/v1/alerts on instance A → `page` on the unit's socket on instance B, at 200 alerts/s
//     (goal p99 ≤ 25 ms) and at 50/s (what this shared 2-core machine sustains with room), beside the same alerts' pages on the same unit's socket on A (the path
//     within one instance). Every unit has two sessions, one socket on each instance, so each alert
//     is timed on both paths at once.
//   - Failover: B is SIGKILLed; its units reconnect to A as the web client does (first retry after
//     1 s ± 25 %) and the alerts raised on A at the moment of the kill, one in each of their
//     quadrants, must reach them (live page or the snapshot on reconnecting). Goal ≤ 5 s.
//   - Alerts/s, closed loop, with 1 instance (A alone on the bus) and 2 (round-robin over A and B).
//   - The event relay's publish rate beside a bare JetStream publish loop (bench/lib/bus.ts).
//
// The servers are child processes (dist/main.js, see bench/lib/server.ts), NATS is a private
// nats-server on a free port, PostgreSQL a schema of its own (dropped afterwards). Without
// nats-server or PostgreSQL the benchmark says why and reports nothing. Reports only: a slow figure
// never fails the run, a missing or duplicated page makes it invalid.
//
//   npm run bench -- cluster          (or: npx tsx bench/cluster.bench.ts)
//   BENCH_CLUSTER_RATES=50,200 BENCH_CLUSTER_DURATION=5 BENCH_CLUSTER_UNITS=40 BENCH_CLUSTER_CONCURRENCY=24
//   BENCH_CLUSTER_THROUGHPUT_S=4 BENCH_CLUSTER_RELAY_EVENTS=5000 BENCH_DATABASE_URL=postgres://…
//   BENCH_CPU_PROF=var/profiles   → a .cpuprofile of instance A (open in Chrome DevTools)
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import WebSocket from 'ws';
import { openStorage } from '../src/storage/index.js';
import { benchRelay } from './lib/bus.js';
import { benchPostgresUrl, benchSchema, clusterUnavailable, dropSchema, startNatsServer } from './lib/cluster.js';
import { envNumber } from './lib/env.js';
import { JsonClient } from './lib/http-client.js';
import { machineBusy } from './lib/machine.js';
import { openLoop } from './lib/open-loop.js';
import { mapLimit } from './lib/pool.js';
import { BenchInvalidError, benchMain, row, type BenchRow } from './lib/report.js';
import { startServerProcess, type ServerProcess } from './lib/server.js';
import { percentiles, round2 } from './lib/stats.js';

const SUITE = 'cluster';
const GOAL_P99_MS = 25;
const GOAL_FAILOVER_MS = 5000;
/** The web client's first reconnect delay (web/src/shared/realtime.ts initialBackoffMs), ±25 %. */
const CLIENT_RETRY_MS = 1000;
/** How long an overloaded phase may take to answer and page its backlog before missing pages count. */
const DRAIN_MS = 20_000;
/** Devices raising the alerts: each far below the per-device allowance over the whole run. */
const DEVICES = 40;

export interface ClusterBenchOptions {
  /** Alerts/s of the latency phases (the 200, and one this machine sustains). */
  rates?: number[];
  durationSeconds?: number;
  units?: number;
  concurrency?: number;
  throughputSeconds?: number;
  relayEvents?: number;
  log?: (line: string) => void;
}

function envRates(): number[] | undefined {
  const v = process.env.BENCH_CLUSTER_RATES;
  if (!v?.trim()) return undefined;
  const rates = v.split(',').map((x) => Number(x.trim()));
  if (rates.some((r) => !Number.isFinite(r) || r <= 0)) throw new Error(`BENCH_CLUSTER_RATES must be positive numbers, got "${v}"`);
  return rates;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface BenchUnit { id: string; quadrantId: string; point: { lat: number; lon: number }; tokens: [string, string] }

/** A unit's socket: the first time each alert reached it (page, or the snapshot of a reconnection). */
interface UnitSocket {
  unit: BenchUnit;
  /** alert id → performance.now() of its first page or snapshot mention here. */
  seen: Map<string, number>;
  pages: Map<string, number>;
  /** performance.now() of each snapshot received (the first is the initial connection's). */
  snapshots: number[];
  close(): void;
}

/**
 * Opens a unit's socket on `urls[0]`; on an unexpected close it reconnects after the web client's
 * delay to the next URL (the load balancer's other instance). Resolves after the first snapshot.
 */
function unitSocket(urls: string[], unit: BenchUnit, token: string): Promise<UnitSocket> {
  let stopped = false;
  let current: WebSocket | null = null;
  const s: UnitSocket = { unit, seen: new Map(), pages: new Map(), snapshots: [], close: () => { stopped = true; current?.close(); } };
  return new Promise((ok, fail) => {
    const open = (attempt: number) => {
      const url = urls[attempt % urls.length]!;
      const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/api/v1/ws`, { perMessageDeflate: false });
      current = ws;
      ws.on('open', () => ws.send(JSON.stringify({ type: 'auth', token })));
      ws.on('message', (data) => {
        const at = performance.now();
        const m = JSON.parse(String(data)) as { type: string; alert?: { id: string }; alerts?: { id: string }[] };
        if (m.type === 'snapshot') {
          s.snapshots.push(at);
          for (const a of m.alerts ?? []) if (!s.seen.has(a.id)) s.seen.set(a.id, at);
          if (s.snapshots.length === 1) ok(s);
        } else if (m.type === 'page' && m.alert) {
          s.pages.set(m.alert.id, (s.pages.get(m.alert.id) ?? 0) + 1);
          if (!s.seen.has(m.alert.id)) s.seen.set(m.alert.id, at);
        }
      });
      ws.on('error', (err) => { if (s.snapshots.length === 0 && attempt === 0) fail(err); });
      ws.on('close', (code) => {
        if (stopped || code === 4401 || code === 4403) return;
        if (s.snapshots.length === 0 && attempt === 0) { fail(new Error(`unit socket closed before its snapshot (${code})`)); return; }
        setTimeout(() => open(attempt + 1), CLIENT_RETRY_MS * (0.75 + Math.random() * 0.5));
      });
    };
    open(0);
  });
}

interface Sent { at: number; done: number; status: number; id: string | null; quadrantId: string }

async function waitFor(what: string, check: () => Promise<boolean> | boolean, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await sleep(50);
  }
}

export async function runClusterBench(opts: ClusterBenchOptions = {}): Promise<BenchRow[]> {
  const log = opts.log ?? ((line: string) => console.log(line));
  const rates = opts.rates ?? envRates() ?? [50, 200];
  const rate = rates[rates.length - 1]!;
  const seconds = opts.durationSeconds ?? envNumber('BENCH_CLUSTER_DURATION') ?? 5;
  const unitCount = opts.units ?? envNumber('BENCH_CLUSTER_UNITS') ?? 40;
  const concurrency = opts.concurrency ?? envNumber('BENCH_CLUSTER_CONCURRENCY') ?? 24;
  const throughputSeconds = opts.throughputSeconds ?? envNumber('BENCH_CLUSTER_THROUGHPUT_S') ?? 4;
  const relayEvents = opts.relayEvents ?? envNumber('BENCH_CLUSTER_RELAY_EVENTS') ?? 5000;

  const reason = await clusterUnavailable();
  if (reason) { log(`cluster benchmark skipped: ${reason}`); return []; }
  log(`machine busy before the run: ${Math.round((await machineBusy()) * 100)} %`);

  const nats = await startNatsServer();
  const schema = benchSchema('cluster');
  const relaySchema = benchSchema('relay');
  const tag = `${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const adminPassword = randomBytes(18).toString('base64url');
  const env: Record<string, string> = {
    CUADRANTE_NATS_URL: nats.url, CUADRANTE_NATS_STREAM: `BENCH_${tag}`, CUADRANTE_NATS_SUBJECT_PREFIX: `bench_${tag}`,
    CUADRANTE_SECRET_KEY: randomBytes(32).toString('hex'), CUADRANTE_ADMIN_PASSWORD: adminPassword,
    // Ring 1 only: no escalation timer adds pages while measuring.
    CUADRANTE_ACK_TIMEOUT_S: '3600', CUADRANTE_ESCALATE_AFTER_S: '7200',
    // Every request comes from 127.0.0.1: the flood limits must not hold the load for review.
    CUADRANTE_ALERT_RATE_MAX: '1000', CUADRANTE_ALERTS_PER_NETWORK_MAX: '1000000', CUADRANTE_DEVICES_PER_NETWORK_HOUR: String(DEVICES * 2),
    CUADRANTE_OSMAND_PORT: '0',
  };
  const postgres = { url: benchPostgresUrl, schema };
  const servers: ServerProcess[] = [];
  const sockets: UnitSocket[] = [];
  const clients: JsonClient[] = [];
  const rows: BenchRow[] = [];
  const cpuProfileDir = process.env.BENCH_CPU_PROF?.trim() || undefined;
  const start = async () => {
    // BENCH_CPU_PROF=dir: a .cpuprofile of each instance, written when it stops (SIGTERM; not B, which is killed).
    const s = await startServerProcess({ env, postgres, ...(cpuProfileDir ? { cpuProfileDir } : {}) });
    servers.push(s);
    await waitFor(`instance ${servers.length} ready (database and bus)`, async () => (await fetch(`${s.url}/health/ready`).then((r) => r.status, () => 0)) === 200, 30_000);
    return s;
  };
  try {
    // ——— A alone: units, devices, their sockets on A ———
    const a = await start();
    const apiA = new JsonClient(a.url);
    clients.push(apiA);
    const admin = (await apiA.json<{ token: string }>('POST', '/api/v1/auth/login', 200, { body: { username: 'admin', password: adminPassword } })).token;
    const ids = (await apiA.json<{ features: { properties: { id: string } }[] }>('GET', '/api/v1/quadrants?simplify=1000', 200)).features.map((f) => f.properties.id).sort();
    const picked = Array.from({ length: unitCount }, (_, i) => ids[Math.floor((i * ids.length) / unitCount)]!);
    const password = `bench-${randomBytes(9).toString('base64url')}`;
    const units = await mapLimit(picked, 4, async (quadrantId, i): Promise<BenchUnit> => {
      const username = `cl-${tag}-${i}`;
      const u = await apiA.json<{ id: string }>('POST', '/api/v1/units', 201, { token: admin, body: { callsign: `CL${String(i).padStart(3, '0')}`, type: 'car', quadrantIds: [quadrantId], username, password } });
      const login = () => apiA.json<{ token: string }>('POST', '/api/v1/auth/login', 200, { body: { username, password } }).then((r) => r.token);
      const tokens: [string, string] = [await login(), await login()];
      await apiA.json('PUT', `/api/v1/units/${u.id}/shift`, 200, { token: tokens[0], body: { state: 'available' } });
      const q = await apiA.json<{ properties: { interiorPoint: { lat: number; lon: number } } }>('GET', `/api/v1/quadrants/${quadrantId}?simplify=1000`, 200);
      return { id: u.id, quadrantId, point: q.properties.interiorPoint, tokens };
    });
    const devices = await mapLimit(Array.from({ length: DEVICES }), 4, async () => (await apiA.json<{ token: string }>('POST', '/api/v1/devices', 201)).token);
    const onA = await Promise.all(units.map((u) => unitSocket([a.url], u, u.tokens[0])));
    sockets.push(...onA);
    log(`instance A up (${Math.round(a.startupMs)} ms), ${units.length} units on shift with a socket on A`);

    let seq = 0;
    const post = (client: JsonClient, u: BenchUnit): Promise<Sent> => {
      const n = seq++;
      return client.send('POST', '/api/v1/alerts', {
        token: devices[n % devices.length], headers: { 'idempotency-key': `cl-${tag}-${n}` }, body: { ...u.point, accuracy: 10, kind: 'robbery' },
      }).then((r) => ({ at: r.sentAt, done: r.doneAt, status: r.status, id: r.status === 201 ? (JSON.parse(r.text) as { id: string }).id : null, quadrantId: u.quadrantId }),
        () => ({ at: NaN, done: NaN, status: 0, id: null, quadrantId: u.quadrantId }));
    };
    const pick = () => units[Math.floor(Math.random() * units.length)]!;
    /** Closed loop: `concurrency` clients, each posting its next alert when the last is answered. */
    const throughput = async (targets: JsonClient[]): Promise<{ perSec: number; failed: number; cpuPerAlertUs: number | null }> => {
      const until = performance.now() + throughputSeconds * 1000;
      const cpu0 = a.cpuTimeMs();
      let ok = 0;
      let failed = 0;
      const t0 = performance.now();
      await Promise.all(Array.from({ length: concurrency }, async (_, w) => {
        for (let k = 0; performance.now() < until; k++) {
          const r = await post(targets[(w + k) % targets.length]!, pick());
          if (r.status === 201) ok++; else failed++;
        }
      }));
      const cpu1 = a.cpuTimeMs();
      return { perSec: ok / ((performance.now() - t0) / 1000), failed, cpuPerAlertUs: cpu0 === null || cpu1 === null || ok === 0 ? null : Math.round(((cpu1 - cpu0) * 1000) / ok) };
    };

    await throughput([apiA]); // warm-up: JIT, pools
    const one = await throughput([apiA]);
    log(`1 instance: ${Math.round(one.perSec)} alerts/s`);

    // ——— B joins: the units' second sessions on B ———
    const b = await start();
    const apiB = new JsonClient(b.url);
    clients.push(apiB);
    await waitFor('B knows every unit on shift', async () => {
      const list = await apiB.json<{ id: string; shiftState: string }[]>('GET', '/api/v1/units', 200, { token: admin });
      return units.every((u) => list.some((x) => x.id === u.id && x.shiftState === 'available'));
    }, 15_000);
    const onB = await Promise.all(units.map((u) => unitSocket([b.url, a.url], u, u.tokens[1])));
    sockets.push(...onB);
    await throughput([apiA, apiB]); // warm-up of B
    const two = await throughput([apiA, apiB]);
    log(`2 instances: ${Math.round(two.perSec)} alerts/s`);

    rows.push(row(SUITE, 'alerts/s, 2 instances vs 1', Math.round(two.perSec), Math.round(one.perSec), 'alerts/s',
      `closed loop, ${concurrency} clients; failed ${one.failed + two.failed}; server CPU per alert on A ${one.cpuPerAlertUs ?? '?'} µs alone`));

    let missing = 0;
    // ——— latency at each rate: POST on A, page on A (local) and on B (across the bus) ———
    const byUnit = new Map(units.map((u, i) => [u.quadrantId, { local: onA[i]!, remote: onB[i]! }]));
    for (const rate of rates) {
      const sentAll: Sent[] = [];
      const fire = (into: Sent[]) => () => { void post(apiA, pick()).then((r) => { into.push(r); }); };
      await openLoop({ rate, durationSeconds: 1, fire: fire([]) }); // warm-up at the rate
      await sleep(500);
      const t0 = performance.now();
      await openLoop({ rate, durationSeconds: seconds, fire: fire(sentAll) });
      const expected = Math.round(rate * seconds);
      const paged = (s: Sent) => s.id === null || (byUnit.get(s.quadrantId)!.local.seen.has(s.id) && byUnit.get(s.quadrantId)!.remote.seen.has(s.id));
      // An overloaded run drains its backlog before it is judged (and before the next phase).
      await waitFor('every page of the measured phase', () => sentAll.length >= expected && sentAll.every(paged), DRAIN_MS).catch(() => undefined);
      const ok = sentAll.filter((s) => s.id !== null);
      const achieved = ok.length / ((Math.max(...ok.map((s) => s.done)) - t0) / 1000);
      const local: number[] = [];
      const remote: number[] = [];
      for (const s of ok) {
        const pair = byUnit.get(s.quadrantId)!;
        const l = pair.local.seen.get(s.id!);
        const r = pair.remote.seen.get(s.id!);
        if (l === undefined || r === undefined) { missing++; continue; }
        local.push(l - s.at);
        remote.push(r - s.at);
      }
      const pl = percentiles(local);
      const pr = percentiles(remote);
      const at = `${rate}/s`;
      const overload = achieved < rate * 0.9 ? `OVERLOADED: ${Math.round(achieved)} alerts/s answered; ` : '';
      const goal = rate === 200 ? `goal p99 ≤ ${GOAL_P99_MS} ms: ${pr.p99 <= GOAL_P99_MS ? 'met' : 'NOT met'}` : '';
      rows.push(
        row(SUITE, `${at} POST on A → page on B p50`, round2(pr.p50), round2(pl.p50), 'ms', 'theirs: the same alerts\' page on the unit\'s socket on A'),
        row(SUITE, `${at} POST on A → page on B p99`, round2(pr.p99), round2(pl.p99), 'ms', `${overload}${goal}`),
        row(SUITE, `${at} POST on A → page on B max`, round2(pr.max), round2(pl.max), 'ms', `${ok.length} alerts answered 201 of ${expected}`),
      );
      log(`${at}: ${ok.length} alerts (${Math.round(achieved)}/s answered), local p99 ${round2(pl.p99)} ms, across p99 ${round2(pr.p99)} ms`);
    }

    // ——— failover: SIGKILL B; its units move to A; the alerts raised at that moment reach them ———
    const killedAt = performance.now();
    process.kill(b.pid, 'SIGKILL');
    const failoverAlerts = await Promise.all(units.map((u) => post(apiA, u)));
    const reached: number[] = [];
    const reconnected: number[] = [];
    const failoverDone = () => onB.every((s, i) => failoverAlerts[i]!.id !== null && s.seen.has(failoverAlerts[i]!.id!));
    await waitFor('every unit of B reached on A', failoverDone, 20_000).catch(() => undefined);
    let failoverMissing = 0;
    for (const [i, s] of onB.entries()) {
      const id = failoverAlerts[i]!.id;
      const t = id ? s.seen.get(id) : undefined;
      if (t === undefined) { failoverMissing++; continue; }
      reached.push(t - killedAt);
      const snap = s.snapshots.find((x) => x > killedAt);
      if (snap !== undefined) reconnected.push(snap - killedAt);
    }
    await b.stop();
    const pf = percentiles(reached);
    const pc = percentiles(reconnected);
    rows.push(
      row(SUITE, 'failover: kill → next page delivered p50', Math.round(pf.p50), null, 'ms', `${reached.length} units of the killed instance; the web client's first retry is ${CLIENT_RETRY_MS} ms ± 25 %`),
      row(SUITE, 'failover: kill → next page delivered max', Math.round(pf.max), GOAL_FAILOVER_MS, 'ms', `theirs: the goal; ${pf.max <= GOAL_FAILOVER_MS ? 'met' : 'NOT met'}`),
      row(SUITE, 'failover: kill → reconnected elsewhere max', Math.round(pc.max), null, 'ms', 'snapshot received on A'),
    );

    // Pages exactly once, per socket.
    const duplicates = sockets.reduce((n, s) => n + [...s.pages.values()].filter((c) => c > 1).length, 0);
    for (const s of sockets) s.close();
    sockets.length = 0;
    for (const s of servers) await s.stop();

    // ——— our relay beside a bare JetStream publish loop (its own schema: no server's relay takes its rows) ———
    const dir = mkdtempSync(join(tmpdir(), 'cuadrante-bench-relay-'));
    const storage = await openStorage({ databaseUrl: benchPostgresUrl, dataDir: dir, schema: relaySchema });
    try {
      const relay = await benchRelay({ db: storage.db, servers: [nats.url], events: relayEvents, rate });
      rows.push(
        row(SUITE, 'relay publish rate', relay.relayPerSec, relay.barePerSec, 'events/s', 'theirs: a bare JetStream publish loop, 256 in flight, no database'),
        row(SUITE, `relay commit → consumer p99 at ${rate}/s`, round2(relay.latencyMs.p99), null, 'ms', `p50 ${round2(relay.latencyMs.p50)} ms`),
      );
    } finally {
      await storage.close();
      rmSync(dir, { recursive: true, force: true });
    }

    if (missing > 0 || failoverMissing > 0 || duplicates > 0) {
      throw new BenchInvalidError(`pages missing: ${missing} (latency phase), ${failoverMissing} (failover); duplicated: ${duplicates}`, rows);
    }
    return rows;
  } finally {
    for (const s of sockets) s.close();
    for (const c of clients) c.close();
    for (const s of servers) await s.stop().catch(() => undefined);
    await nats.stop();
    await dropSchema(schema).catch(() => undefined);
    await dropSchema(relaySchema).catch(() => undefined);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  void benchMain(runClusterBench, { title: 'Cluster: two instances on one PostgreSQL schema, NATS JetStream between them', theirsLabel: 'alternative' });
}
