// Alerts benchmark: the time from `POST /api/v1/alerts` to the paged unit's WebSocket receiving
// the `page`, at sustained open-loop rates (50, 200, 500 alerts/s by default) with 1,000 unit
// sockets connected, beside the same server's trivial endpoint (GET /health, probed at a low
// rate at the same time). The issue's goal: p99 ≤ 10 ms at 200 alerts/s on a 2-core machine.
//
// Every citizen device sits on a network of its own, as phones do: the server trusts this
// process as its proxy (CUADRANTE_TRUST_PROXY) and each request names its device's network in
// X-Forwarded-For, so the flood limits (per device and per network, counted in the database on
// every alert) are on the measured path. Then an isolation phase: normal alerts from those
// networks (BENCH_ALERTS_ISOLATION=normal,flood alerts/s, default 100,300), first alone, then
// beside a flood from one network already past its limit — every flood alert must be answered
// 201, held (the phone is told the centre reviews it) and page nobody; the other networks' alerts
// must still page at once. Reported: their POST→page p50/p99 with the flood ÷ without.
//
// Setup: 1,000 units spread over the 847 quadrants (most have one, some two), each on shift
// with its own officer session and its own socket in this process; the server runs in a child
// process. Each alert is raised at a point inside a random quadrant Q, so it must page exactly
// Q's units (ring 1; the escalation timers are set long so ring 2 never adds noise). Every page
// is checked: the right quadrant, exactly that quadrant's units, each once. Reports only: a slow
// figure never fails the run, nor does an overload (requests unanswered after the drain are
// reported as such), but errors, missing or wrong pages make it invalid (it throws).
//
//   npx tsx bench/alerts.bench.ts          (or: npm run bench -- alerts)
//   BENCH_ALERTS_RATES=50,200,500 BENCH_ALERTS_DURATION=6 BENCH_ALERTS_WARMUP=1 BENCH_ALERTS_UNITS=1000
//   BENCH_ALERTS_HEALTH_RATE=50 (Poisson arrivals) BENCH_SEED=1
//   BENCH_ALERTS_SETUP=db (default) | api
//       db:  units are created through the API, but their officer accounts and sessions are written
//            straight into the server's SQLite file (scrypt costs ~46 ms a hash here: 1,000 officer
//            accounts through the API would take a minute of setup). Sockets, shifts and alerts
//            all go through the API.
//       api: everything through the API (POST /units with an account, then a login per officer).
//   BENCH_CPU_PROF=var/profiles   → writes a .cpuprofile of the server (open in Chrome DevTools)
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { join, resolve } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import SQLite from 'better-sqlite3';
import WebSocket from 'ws';
import { HttpTimeoutError, JsonClient } from './lib/http-client.js';
import { machineBusy, ownCpuTimeMs } from './lib/machine.js';
import { openLoop } from './lib/open-loop.js';
import { mapLimit } from './lib/pool.js';
import { mulberry32, type Rng } from './lib/prng.js';
import { BenchInvalidError, benchMain, row, type BenchRow } from './lib/report.js';
import { startServerProcess, type ServerProcess } from './lib/server.js';
import { percentiles, round2, type Percentiles } from './lib/stats.js';
import { envNumber } from './lib/env.js';

const SUITE = 'alerts';
/** The issue's goal: POST→page p99 at most this, at GOAL_RATE alerts/s. */
const GOAL_P99_MS = 10;
const GOAL_RATE = 200;
/** A global warm-up before the first rate (JIT, connection pool, SQLite pages). */
const FIRST_WARMUP = { rate: 100, seconds: 2 };
/** How long to wait, after the last alert of a phase, for answers and pages still in flight. */
const DRAIN_TIMEOUT_MS = 5000;
/** How long the server's CPU use at rest is measured, after the warm-up. */
const REST_MS = 2000;
/** Overloaded: how much longer to let the backlog clear (unmeasured) before the next phase. */
const SETTLE_TIMEOUT_MS = 15_000;
/** A citizen device may raise CUADRANTE_ALERT_RATE_MAX alerts per window; the config caps it at 1000. */
const ALERTS_PER_DEVICE = 1000;
/** Alerts one network may raise per hour before they are held (CUADRANTE_ALERTS_PER_NETWORK_MAX). */
const ALERTS_PER_NETWORK = 100;
/** Normal devices (one network each) carry at most this many alerts over the whole run: far below the network limit. */
const ALERTS_PER_NORMAL_DEVICE = 40;
/** The flooding network: its own /24, rotating over a few devices (fewer than a network may register before probation). */
const FLOOD_NETWORK = '10.250.0';
const FLOOD_DEVICES = 8;

export interface AlertsBenchOptions {
  rates?: number[];
  durationSeconds?: number;
  warmupSeconds?: number;
  units?: number;
  /** GET /health probes per second during each measured phase. */
  healthRate?: number;
  setup?: 'db' | 'api';
  /** Alerts/s from the normal networks in the isolation phase, and from the one flooding network beside them (0,0: skip). */
  isolation?: { normal: number; flood: number };
  seed?: number;
  cpuProfileDir?: string;
  log?: (line: string) => void;
}

interface QuadrantPoint { id: string; lat: number; lon: number }

interface BenchUnit {
  index: number;
  id: string;
  callsign: string;
  quadrantId: string;
  token: string;
  socket: WebSocket | null;
}

/** A citizen device and the network its proxy says it is on. */
interface Device { token: string; network: string }

/** One alert as sent. */
interface Sent {
  quadrant: QuadrantPoint;
  /** Answered 201 but held for a dispatcher (the citizen's view says `review`): nobody is paged. */
  held: boolean;
  sentAt: number;
  doneAt: number;
  status: number;
  alertId: string | null;
  error: string | null;
  settled: boolean;
  /** No answer within the client's timeout. */
  timedOut: boolean;
}

/** The pages of one alert, as the unit sockets received them. */
interface PageRecord {
  firstAt: number;
  units: string[];
  quadrantId: string | null;
  duplicates: number;
}

interface PhaseResult {
  rate: number;
  seconds: number;
  sends: Sent[];
  health: Sent[];
  /** Completed (201) alerts per second, from the first send to the last answer. */
  achieved: number;
  postToPage: Percentiles;
  postResponse: Percentiles;
  healthResponse: Percentiles;
  missing: number;
  /** Answered with another status than 201, or a connection error. */
  failed: number;
  /** Not answered by the end of the drain (overload): left out of the percentiles. */
  unanswered: number;
  healthFailed: number;
  healthUnanswered: number;
  serverCpu: number | null;
  /** Server CPU time over the phase ÷ alerts sent, µs. */
  serverCpuPerAlertUs: number | null;
  benchCpu: number;
  benchLoopDelayP99: number;
  sendLagP99: number;
}

function envRates(): number[] | undefined {
  const v = process.env.BENCH_ALERTS_RATES;
  if (!v?.trim()) return undefined;
  const rates = v.split(',').map((s) => Number(s.trim()));
  if (rates.some((r) => !Number.isFinite(r) || r <= 0)) throw new Error(`BENCH_ALERTS_RATES must be positive numbers, got "${v}"`);
  return rates;
}

function envIsolation(): { normal: number; flood: number } | undefined {
  const v = process.env.BENCH_ALERTS_ISOLATION;
  if (!v?.trim()) return undefined;
  const [normal, flood, ...rest] = v.split(',').map((s) => Number(s.trim()));
  if (rest.length || !(normal! > 0) || !(flood! >= 0)) throw new Error(`BENCH_ALERTS_ISOLATION must be normal,flood alerts/s (e.g. 100,300), got "${v}"`);
  return { normal: normal!, flood: flood! };
}

/** The address a device's network is seen from: normal devices each on a /24 of their own. */
const normalNetwork = (i: number) => `10.${1 + Math.floor(i / 250)}.${i % 250}.7`;

function envSetup(): 'db' | 'api' | undefined {
  const v = process.env.BENCH_ALERTS_SETUP?.trim();
  if (!v) return undefined;
  if (v !== 'db' && v !== 'api') throw new Error(`BENCH_ALERTS_SETUP must be db or api, got "${v}"`);
  return v;
}

function shuffle<T>(items: T[], rng: Rng): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// ——— setup ———

async function loadQuadrants(client: JsonClient): Promise<QuadrantPoint[]> {
  const fc = await client.json<{ features: { properties: { id: string } }[] }>('GET', '/api/v1/quadrants?simplify=1000', 200);
  const ids = fc.features.map((f) => f.properties.id).sort();
  if (ids.length === 0) throw new Error('the server has no quadrants');
  return mapLimit(ids, 16, async (id) => {
    const f = await client.json<{ properties: { interiorPoint: { lat: number; lon: number } } }>(
      'GET', `/api/v1/quadrants/${encodeURIComponent(id)}?simplify=1000`, 200);
    return { id, lat: f.properties.interiorPoint.lat, lon: f.properties.interiorPoint.lon };
  });
}

interface CreatedUnit { id: string; callsign: string; quadrantIds: string[] }

/**
 * Creates the units and their officers' sessions. `db`: units through the API, accounts and
 * sessions written into the server's SQLite file (no scrypt); `api`: all through the API.
 */
async function createUnits(server: ServerProcess, client: JsonClient, adminToken: string, plan: QuadrantPoint[], mode: 'db' | 'api', runId: string): Promise<BenchUnit[]> {
  const officerPassword = `bench-${randomBytes(9).toString('base64url')}`;
  const username = (i: number) => `bench-${runId}-u${i}`;
  const units = await mapLimit(plan, mode === 'api' ? 4 : 16, async (q, i) => {
    const callsign = `B${runId.slice(0, 4).toUpperCase()}${String(i).padStart(4, '0')}`;
    const body: Record<string, unknown> = { callsign, type: 'car', quadrantIds: [q.id] };
    if (mode === 'api') Object.assign(body, { username: username(i), password: officerPassword });
    const u = await client.json<CreatedUnit>('POST', '/api/v1/units', 201, { token: adminToken, body });
    if (u.quadrantIds.length !== 1 || u.quadrantIds[0] !== q.id) throw new Error(`unit ${callsign} got quadrants ${JSON.stringify(u.quadrantIds)}, expected [${q.id}]`);
    return { index: i, id: u.id, callsign: u.callsign, quadrantId: q.id, token: '', socket: null } as BenchUnit;
  });

  if (mode === 'api') {
    await mapLimit(units, 4, async (u) => {
      const s = await client.json<{ token: string; user: { unitId: string | null } }>('POST', '/api/v1/auth/login', 200,
        { body: { username: username(u.index), password: officerPassword } });
      if (s.user.unitId !== u.id) throw new Error(`officer ${username(u.index)} signed in to unit ${s.user.unitId}, expected ${u.id}`);
      u.token = s.token;
    });
  } else {
    // The same rows AccountService.createUser and issueToken write (minus the password hash:
    // like a citizen device, these accounts have none and cannot log in with a password).
    const db = new SQLite(join(server.dataDir, 'cuadrante.db'));
    try {
      db.pragma('busy_timeout = 5000');
      const now = Date.now();
      const insertUser = db.prepare(`insert into users (id, username, password_hash, role, display_name, created_at, disabled_at, unit_id)
        values (?, ?, '!', 'unit', ?, ?, null, ?)`);
      const insertToken = db.prepare('insert into auth_tokens (token_hash, user_id, created_at, expires_at, revoked_at) values (?, ?, ?, ?, null)');
      db.transaction(() => {
        for (const u of units) {
          const userId = randomUUID();
          u.token = `cq_${randomBytes(32).toString('base64url')}`;
          insertUser.run(userId, username(u.index), u.callsign, now, u.id);
          insertToken.run(createHash('sha256').update(u.token).digest('hex'), userId, now, now + 12 * 3600_000);
        }
      })();
    } catch (err) {
      throw new Error(`writing the officer sessions into the server's SQLite file failed (schema changed? try BENCH_ALERTS_SETUP=api): ${String(err)}`);
    } finally {
      db.close();
    }
  }

  // On shift, through the API with the officer's own token (which also proves the session works).
  await mapLimit(units, 16, async (u) => {
    const r = await client.json<{ shiftState: string }>('PUT', `/api/v1/units/${u.id}/shift`, 200, { token: u.token, body: { state: 'available' } });
    if (r.shiftState !== 'available') throw new Error(`unit ${u.callsign} is ${r.shiftState} after going on shift`);
  });
  return units;
}

interface PageSink {
  pages: Map<string, PageRecord>;
  /** Messages of types other than page/unit/alert, or unparsable. */
  odd: string[];
  /** Sockets that closed while the benchmark ran. */
  closed: string[];
}

/** Opens the unit's socket, authenticates, waits for hello + snapshot, then records every page. */
function connectUnit(wsUrl: string, unit: BenchUnit, sink: PageSink): Promise<WebSocket> {
  return new Promise((ok, fail) => {
    const ws = new WebSocket(wsUrl, { perMessageDeflate: false });
    let stage: 'connecting' | 'hello' | 'snapshot' | 'ready' = 'connecting';
    const timer = setTimeout(() => { ws.terminate(); fail(new Error(`unit ${unit.callsign}: socket not ready after 20 s (stage ${stage})`)); }, 20_000);
    const onPage = (data: WebSocket.RawData) => {
      const at = performance.now();
      let msg: { type?: string; alert?: { id?: string; quadrant?: { id?: string } | null } };
      try { msg = JSON.parse(data.toString()) as typeof msg; } catch { sink.odd.push(data.toString().slice(0, 200)); return; }
      if (msg.type !== 'page') {
        if (msg.type !== 'unit' && msg.type !== 'alert' && msg.type !== 'pong') sink.odd.push(data.toString().slice(0, 200));
        return;
      }
      const id = msg.alert?.id;
      if (!id) { sink.odd.push(data.toString().slice(0, 200)); return; }
      let rec = sink.pages.get(id);
      if (!rec) sink.pages.set(id, (rec = { firstAt: at, units: [], quadrantId: msg.alert?.quadrant?.id ?? null, duplicates: 0 }));
      if (rec.units.includes(unit.id)) rec.duplicates++;
      else rec.units.push(unit.id);
    };
    ws.on('open', () => { stage = 'hello'; ws.send(JSON.stringify({ type: 'auth', token: unit.token })); });
    ws.on('message', (data) => {
      if (stage === 'ready') { onPage(data); return; }
      const msg = JSON.parse(data.toString()) as { type: string; role?: string; unitId?: string; alerts?: unknown[] };
      if (stage === 'hello' && msg.type === 'hello') {
        if (msg.role !== 'unit' || msg.unitId !== unit.id) { ws.terminate(); fail(new Error(`unit ${unit.callsign}: hello says ${JSON.stringify(msg)}`)); return; }
        stage = 'snapshot';
      } else if (stage === 'snapshot' && msg.type === 'snapshot') {
        clearTimeout(timer);
        stage = 'ready';
        ok(ws);
      }
    });
    ws.on('close', (code, reason) => {
      clearTimeout(timer);
      if (stage === 'ready') sink.closed.push(`${unit.callsign}: ${code} ${reason.toString()}`);
      else fail(new Error(`unit ${unit.callsign}: socket closed during ${stage} (${code} ${reason.toString()})`));
    });
    ws.on('error', (err) => { if (stage !== 'ready') { clearTimeout(timer); fail(err); } });
  });
}

// ——— measuring ———

interface Context {
  server: ServerProcess;
  alerts: JsonClient;
  health: JsonClient;
  quadrants: QuadrantPoint[];
  devices: Device[];
  sink: PageSink;
  rng: Rng;
  healthRng: Rng;
  runId: string;
  seq: number;
}

function raise(ctx: Context, into: Sent[], devices: readonly Device[] = ctx.devices): void {
  const q = ctx.quadrants[Math.floor(ctx.rng() * ctx.quadrants.length)]!;
  const n = ctx.seq++;
  const s: Sent = { quadrant: q, held: false, sentAt: performance.now(), doneAt: NaN, status: 0, alertId: null, error: null, settled: false, timedOut: false };
  into.push(s);
  const device = devices[n % devices.length]!;
  ctx.alerts.send('POST', '/api/v1/alerts', {
    token: device.token,
    headers: { 'idempotency-key': `bench-${ctx.runId}-${n}`, 'x-forwarded-for': device.network },
    body: { lat: q.lat, lon: q.lon, kind: 'robbery' },
  }).then((r) => {
    s.sentAt = r.sentAt; s.doneAt = r.doneAt; s.status = r.status;
    if (r.status === 201) {
      const view = JSON.parse(r.text) as { id: string; review?: boolean };
      s.alertId = view.id;
      s.held = view.review === true;
    }
    else s.error = `HTTP ${r.status}: ${r.text.slice(0, 200)}`;
  }, (err: unknown) => { s.error = err instanceof Error ? err.message : String(err); s.timedOut = err instanceof HttpTimeoutError; })
    .finally(() => { s.settled = true; });
}

function probeHealth(ctx: Context, into: Sent[]): void {
  const s: Sent = { quadrant: ctx.quadrants[0]!, held: false, sentAt: performance.now(), doneAt: NaN, status: 0, alertId: null, error: null, settled: false, timedOut: false };
  into.push(s);
  ctx.health.send('GET', '/health').then((r) => {
    s.sentAt = r.sentAt; s.doneAt = r.doneAt; s.status = r.status;
    if (r.status !== 200) s.error = `HTTP ${r.status}`;
  }, (err: unknown) => { s.error = err instanceof Error ? err.message : String(err); s.timedOut = err instanceof HttpTimeoutError; })
    .finally(() => { s.settled = true; });
}

/** Every request answered, every accepted alert paged (first page), or the timeout. */
async function drain(ctx: Context, sends: readonly Sent[], health: readonly Sent[], timeoutMs: number): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const pending = sends.some((s) => !s.settled || (s.alertId !== null && !s.held && !ctx.sink.pages.has(s.alertId))) || health.some((s) => !s.settled);
    if (!pending) break;
    if (performance.now() >= deadline) return false;
    await sleep(10);
  }
  // Quadrants with two units: let the second page land too before checking.
  await sleep(50);
  return true;
}

/** A second stream of alerts beside a phase's own, from other devices (the flood). */
interface SideLoad { rate: number; devices: readonly Device[]; sends: Sent[]; rng: Rng }

async function runPhase(ctx: Context, rate: number, seconds: number, healthRate: number, side?: SideLoad): Promise<PhaseResult> {
  const sends: Sent[] = [];
  const health: Sent[] = [];
  const loop = monitorEventLoopDelay({ resolution: 1 });
  loop.enable();
  const cpu0 = ctx.server.cpuTimeMs();
  const own0 = ownCpuTimeMs();
  const t0 = performance.now();
  const [sent] = await Promise.all([
    openLoop({ rate, durationSeconds: seconds, fire: () => raise(ctx, sends) }),
    // Poisson arrivals: fixed ones would always land together with an alert (same period).
    healthRate > 0 ? openLoop({ rate: healthRate, durationSeconds: seconds, fire: () => probeHealth(ctx, health), poisson: ctx.healthRng }) : Promise.resolve(null),
    side ? openLoop({ rate: side.rate, durationSeconds: seconds, fire: () => raise(ctx, side.sends, side.devices), poisson: side.rng }) : Promise.resolve(null),
  ]);
  await drain(ctx, side ? [...sends, ...side.sends] : sends, health, DRAIN_TIMEOUT_MS);
  loop.disable();
  const cpu1 = ctx.server.cpuTimeMs();
  const wall = performance.now() - t0;
  const unanswered = sends.filter((s) => !s.settled || s.timedOut).length;
  const healthUnanswered = health.filter((s) => !s.settled || s.timedOut).length;

  const ok = sends.filter((s) => s.status === 201);
  const paged = ok.filter((s) => !s.held && ctx.sink.pages.has(s.alertId!));
  const firstSent = Math.min(...sends.map((s) => s.sentAt));
  const lastDone = Math.max(...ok.map((s) => s.doneAt));
  return {
    rate, seconds, sends, health,
    achieved: ok.length > 1 ? ok.length / ((lastDone - firstSent) / 1000) : 0,
    postToPage: percentiles(paged.map((s) => ctx.sink.pages.get(s.alertId!)!.firstAt - s.sentAt)),
    postResponse: percentiles(ok.map((s) => s.doneAt - s.sentAt)),
    healthResponse: percentiles(health.filter((s) => s.status === 200).map((s) => s.doneAt - s.sentAt)),
    missing: ok.filter((s) => !s.held).length - paged.length,
    failed: sends.length - ok.length - unanswered,
    unanswered,
    healthFailed: health.length - health.filter((s) => s.status === 200).length - healthUnanswered,
    healthUnanswered,
    serverCpu: cpu0 === null || cpu1 === null ? null : (cpu1 - cpu0) / wall,
    serverCpuPerAlertUs: cpu0 === null || cpu1 === null ? null : ((cpu1 - cpu0) * 1000) / sends.length,
    benchCpu: (ownCpuTimeMs() - own0) / wall,
    benchLoopDelayP99: loop.percentile(99) / 1e6,
    sendLagP99: percentiles(sent.lagMs).p99,
  };
}

interface Verification {
  checked: number;
  wrongQuadrant: number;
  wrongUnits: number;
  duplicates: number;
  examples: string[];
}

/** Each accepted alert's pages: its quadrant, exactly that quadrant's units, each once. */
function verify(sends: readonly Sent[], sink: PageSink, unitsByQuadrant: ReadonlyMap<string, string[]>): Verification {
  const v: Verification = { checked: 0, wrongQuadrant: 0, wrongUnits: 0, duplicates: 0, examples: [] };
  for (const s of sends) {
    if (s.alertId === null) continue;
    const rec = sink.pages.get(s.alertId);
    if (!rec) continue; // counted as missing by its phase
    v.checked++;
    const expected = unitsByQuadrant.get(s.quadrant.id) ?? [];
    if (rec.quadrantId !== s.quadrant.id) {
      v.wrongQuadrant++;
      if (v.examples.length < 3) v.examples.push(`alert ${s.alertId} at ${s.quadrant.id}'s interior point was placed in ${rec.quadrantId}`);
    }
    const same = rec.units.length === expected.length && expected.every((u) => rec.units.includes(u));
    if (!same) {
      v.wrongUnits++;
      if (v.examples.length < 3) v.examples.push(`alert ${s.alertId} in ${s.quadrant.id} paged [${rec.units.join(', ')}], expected [${expected.join(', ')}]`);
    }
    v.duplicates += rec.duplicates;
  }
  return v;
}

function describe(p: PhaseResult): string {
  const f = (x: number) => x.toFixed(2);
  const cpu = p.serverCpu === null ? '' : `, server CPU ${(p.serverCpu * 100).toFixed(0)}% (${p.serverCpuPerAlertUs!.toFixed(0)} µs/alert)`;
  return `  ${String(p.rate).padStart(4)}/s: ${p.sends.length} alerts, ${p.achieved.toFixed(0)}/s done, POST→page p50 ${f(p.postToPage.p50)} p99 ${f(p.postToPage.p99)} max ${f(p.postToPage.max)} ms, `
    + `POST p50 ${f(p.postResponse.p50)} p99 ${f(p.postResponse.p99)} ms, /health p50 ${f(p.healthResponse.p50)} p99 ${f(p.healthResponse.p99)} ms, `
    + `missing ${p.missing}, failed ${p.failed}, unanswered ${p.unanswered}${cpu}, bench CPU ${(p.benchCpu * 100).toFixed(0)}%, bench loop p99 ${f(p.benchLoopDelayP99)} ms`;
}

export async function runAlertsBench(opts: AlertsBenchOptions = {}): Promise<BenchRow[]> {
  const rates = opts.rates ?? envRates() ?? [50, 200, 500];
  const durationSeconds = opts.durationSeconds ?? envNumber('BENCH_ALERTS_DURATION') ?? 6;
  const warmupSeconds = opts.warmupSeconds ?? envNumber('BENCH_ALERTS_WARMUP') ?? 1;
  const unitCount = Math.round(opts.units ?? envNumber('BENCH_ALERTS_UNITS') ?? 1000);
  const healthRate = opts.healthRate ?? envNumber('BENCH_ALERTS_HEALTH_RATE') ?? 50;
  const setupMode = opts.setup ?? envSetup() ?? 'db';
  const isolation = opts.isolation ?? envIsolation() ?? { normal: 100, flood: 300 };
  const seed = opts.seed ?? envNumber('BENCH_SEED') ?? 20_240_601;
  const cpuProfileDir = opts.cpuProfileDir ?? (process.env.BENCH_CPU_PROF ? resolve(process.env.BENCH_CPU_PROF) : undefined);
  const log = opts.log ?? ((line: string) => console.log(line));
  const rng = mulberry32(seed);
  const runId = randomBytes(4).toString('hex');

  const busy = await machineBusy();
  const busyNote = `machine ${(busy * 100).toFixed(0)}% busy before the run`;
  if (busy > 0.2) log(`alerts: note — other processes keep ${(busy * 100).toFixed(0)}% of the cores busy: figures will be high and noisy`);

  const adminPassword = `bench-admin-${randomBytes(12).toString('base64url')}`;
  log(`alerts: starting the server (child process${cpuProfileDir ? `, CPU profile → ${cpuProfileDir}` : ''})…`);
  const server = await startServerProcess({
    env: {
      CUADRANTE_ADMIN_PASSWORD: adminPassword,
      CUADRANTE_ACK_TIMEOUT_S: '3600',
      CUADRANTE_ESCALATE_AFTER_S: '7200',
      CUADRANTE_ALERT_RATE_MAX: String(ALERTS_PER_DEVICE),
      CUADRANTE_ALERT_RATE_WINDOW_S: '3600',
      // This process is the proxy: each device's network comes from X-Forwarded-For (rightmost untrusted hop).
      CUADRANTE_TRUST_PROXY: '127.0.0.1,::1',
      CUADRANTE_ALERTS_PER_NETWORK_MAX: String(ALERTS_PER_NETWORK),
      CUADRANTE_ALERTS_PER_NETWORK_WINDOW_S: '3600',
      LOG_LEVEL: 'warn',
    },
    ...(cpuProfileDir ? { cpuProfileDir } : {}),
  });
  const alertsClient = new JsonClient(server.url, { maxSockets: 64 });
  const healthClient = new JsonClient(server.url, { maxSockets: 4 });
  const sockets: WebSocket[] = [];
  const sink: PageSink = { pages: new Map(), odd: [], closed: [] };
  try {
    log(`alerts: server ready at ${server.url} in ${(server.startupMs / 1000).toFixed(1)} s (pid ${server.pid})`);
    const setupStarted = performance.now();
    const admin = await alertsClient.json<{ token: string }>('POST', '/api/v1/auth/login', 200, { body: { username: 'admin', password: adminPassword } });
    const quadrants = await loadQuadrants(alertsClient);

    // Units over quadrants: a shuffled round so most quadrants get one unit and some two.
    const order = shuffle([...quadrants], rng);
    const plan = Array.from({ length: unitCount }, (_, i) => order[i % order.length]!);
    const units = await createUnits(server, alertsClient, admin.token, plan, setupMode, runId);
    const unitsByQuadrant = new Map<string, string[]>();
    for (const u of units) unitsByQuadrant.set(u.quadrantId, [...(unitsByQuadrant.get(u.quadrantId) ?? []), u.id]);
    const unitsMs = performance.now() - setupStarted;

    const wsUrl = `${server.url.replace(/^http/, 'ws')}/api/v1/ws`;
    await mapLimit(units, 50, async (u) => { u.socket = await connectUnit(wsUrl, u, sink); sockets.push(u.socket); });

    const totalAlerts = Math.ceil(FIRST_WARMUP.rate * FIRST_WARMUP.seconds + rates.reduce((n, r) => n + r * (warmupSeconds + durationSeconds), 0)
      + (isolation.normal > 0 ? isolation.normal * (warmupSeconds + 2 * durationSeconds) : 0)) + 16;
    // One network per device, each carrying far fewer alerts than the network limit.
    const deviceCount = Math.max(64, Math.ceil(totalAlerts / ALERTS_PER_NORMAL_DEVICE));
    const register = (network: string) => alertsClient.json<{ token: string }>('POST', '/api/v1/devices', 201, { headers: { 'x-forwarded-for': network } })
      .then((d): Device => ({ token: d.token, network }));
    const devices = await mapLimit(Array.from({ length: deviceCount }, (_, i) => normalNetwork(i)), 16, register);
    const floodDevices = await mapLimit(Array.from({ length: FLOOD_DEVICES }, (_, i) => `${FLOOD_NETWORK}.${10 + i}`), 4, register);
    const setupMs = performance.now() - setupStarted;
    const twoUnitQuadrants = [...unitsByQuadrant.values()].filter((l) => l.length > 1).length;
    log(`alerts: setup ${(setupMs / 1000).toFixed(1)} s (${setupMode}): ${units.length} units on shift over ${unitsByQuadrant.size} of ${quadrants.length} quadrants `
      + `(${twoUnitQuadrants} with two) in ${(unitsMs / 1000).toFixed(1)} s, ${sockets.length} unit sockets authenticated, ${devices.length} citizen devices`);

    // Alerts only where some unit works (all quadrants with the default 1,000 units): elsewhere ring 2 would page.
    const targets = quadrants.filter((q) => unitsByQuadrant.has(q.id));
    const ctx: Context = { server, alerts: alertsClient, health: healthClient, quadrants: targets, devices, sink, rng, healthRng: mulberry32(seed ^ 0x5bd1e995), runId, seq: 0 };
    const all: Sent[] = [];
    log(`alerts: warm-up ${FIRST_WARMUP.seconds} s at ${FIRST_WARMUP.rate}/s, then per rate ${warmupSeconds} s warm-up + ${durationSeconds} s measured, `
      + `open loop, /health probed at ${healthRate}/s alongside`);
    const warm = await runPhase(ctx, FIRST_WARMUP.rate, FIRST_WARMUP.seconds, 0);
    all.push(...warm.sends);
    // What the server spends with nothing to do (1,000 sockets open, timers): part of every rate's per-alert figure.
    const rest0 = server.cpuTimeMs();
    await sleep(REST_MS);
    const rest1 = server.cpuTimeMs();
    const restCpu = rest0 === null || rest1 === null ? null : (rest1 - rest0) / REST_MS;
    const phases: PhaseResult[] = [];
    for (const rate of rates) {
      if (warmupSeconds > 0) all.push(...(await runPhase(ctx, rate, warmupSeconds, 0)).sends);
      const p = await runPhase(ctx, rate, durationSeconds, healthRate);
      all.push(...p.sends);
      phases.push(p);
      log(describe(p));
      if (p.unanswered + p.healthUnanswered > 0) {
        log(`  overloaded: ${p.unanswered} alerts and ${p.healthUnanswered} /health probes unanswered ${DRAIN_TIMEOUT_MS / 1000} s after the last send; letting the backlog clear…`);
        const cleared = await drain(ctx, p.sends, p.health, SETTLE_TIMEOUT_MS);
        if (!cleared) log(`  the backlog did not clear in ${SETTLE_TIMEOUT_MS / 1000} s more: the next rate starts on a busy server`);
      }
    }

    // Isolation: the other networks' alerts alone, then beside a flood from one network past its limit.
    let iso: { alone: PhaseResult; beside: PhaseResult; prime: Sent[]; flood: Sent[] } | null = null;
    if (isolation.normal > 0) {
      log(`alerts: isolation — ${isolation.normal}/s from ${devices.length} networks, alone and then beside ${isolation.flood}/s from one network (${FLOOD_DEVICES} devices) past its limit of ${ALERTS_PER_NETWORK}/h`);
      if (warmupSeconds > 0) all.push(...(await runPhase(ctx, isolation.normal, warmupSeconds, 0)).sends);
      const alone = await runPhase(ctx, isolation.normal, durationSeconds, healthRate);
      all.push(...alone.sends);
      log(describe(alone));
      // The flooding network's first alerts are within its limit: paged like any other (and verified).
      const prime = (await runPhase({ ...ctx, devices: floodDevices } as Context, 50, ALERTS_PER_NETWORK / 50, 0)).sends;
      ctx.seq += prime.length; // the copy counted its own keys
      all.push(...prime);
      const flood: Sent[] = [];
      const beside = await runPhase(ctx, isolation.normal, durationSeconds, healthRate,
        isolation.flood > 0 ? { rate: isolation.flood, devices: floodDevices, sends: flood, rng: mulberry32(seed ^ 0x2545f491) } : undefined);
      all.push(...beside.sends);
      log(describe(beside));
      await sleep(500); // a page for a held alert, were there one, would have landed by now
      iso = { alone, beside, prime, flood };
      log(`  flood: ${flood.length} sent, ${flood.filter((s) => s.held).length} held, ${flood.filter((s) => s.alertId && sink.pages.has(s.alertId)).length} paged`);
    }
    const v = verify(all, sink, unitsByQuadrant);
    const unpaged = all.filter((s) => s.alertId !== null && !s.held && !sink.pages.has(s.alertId)).length;
    const primeIds = new Set(iso?.prime ?? []);
    // Every normal network stays far below its limit: none of its alerts may wait for a dispatcher.
    const heldNormal = all.filter((s) => s.held && !primeIds.has(s)).length;
    const failedAll = all.filter((s) => s.settled && !s.timedOut && s.status !== 201);

    const rows: BenchRow[] = [];
    for (const p of phases) {
      const at = `@${p.rate}/s`;
      const overload = p.unanswered > 0 ? `OVERLOADED: ${p.unanswered} of ${p.sends.length} unanswered after ${DRAIN_TIMEOUT_MS / 1000} s, left out (understated)` : '';
      const goal = p.rate === GOAL_RATE ? `goal ≤ ${GOAL_P99_MS} ms: ${p.postToPage.p99 <= GOAL_P99_MS && p.unanswered === 0 ? 'met' : 'NOT met'}` : '';
      rows.push(
        { suite: SUITE, name: `${at} alerts/s achieved`, ours: Math.round(p.achieved), theirs: null, unit: 'alerts/s',
          ratio: null, note: `target ${p.rate}/s; ${p.sends.length} alerts in ${p.seconds} s, 201 answers ÷ first send→last answer` },
        row(SUITE, `${at} POST→page p50`, round2(p.postToPage.p50), round2(p.healthResponse.p50), 'ms', '/health: GET latency p50 at the same time'),
        row(SUITE, `${at} POST→page p99`, round2(p.postToPage.p99), round2(p.healthResponse.p99), 'ms', [goal, overload].filter(Boolean).join('; ')),
        row(SUITE, `${at} POST→page max`, round2(p.postToPage.max), round2(p.healthResponse.max), 'ms', ''),
        row(SUITE, `${at} POST answer p50`, round2(p.postResponse.p50), round2(p.healthResponse.p50), 'ms', 'POST /api/v1/alerts → 201 received'),
        row(SUITE, `${at} POST answer p99`, round2(p.postResponse.p99), round2(p.healthResponse.p99), 'ms', ''),
        { suite: SUITE, name: `${at} pages missing`, ours: p.missing, theirs: null, unit: 'count', ratio: null,
          note: `must be 0; POSTs failed ${p.failed}, unanswered ${p.unanswered}; /health failed ${p.healthFailed}, unanswered ${p.healthUnanswered}` },
      );
      if (p.serverCpu !== null) {
        rows.push({ suite: SUITE, name: `${at} diag: server CPU per alert`, ours: Math.round(p.serverCpuPerAlertUs!), theirs: null, unit: 'µs', ratio: null,
          note: `server ${(p.serverCpu * 100).toFixed(0)}% of a core (the /health probes included); steadier than latency on a busy machine` });
      }
      rows.push({ suite: SUITE, name: `${at} diag: bench process`, ours: Math.round(p.benchCpu * 100), theirs: null, unit: '% core', ratio: null,
        note: `its event-loop delay p99 ${p.benchLoopDelayP99.toFixed(1)} ms, send lag behind schedule p99 ${p.sendLagP99.toFixed(1)} ms` });
    }
    if (iso) {
      const { alone, beside, flood } = iso;
      const floodHeld = flood.filter((s) => s.held).length;
      const floodPaged = flood.filter((s) => s.alertId !== null && sink.pages.has(s.alertId)).length;
      const floodAnswer = percentiles(flood.filter((s) => s.status === 201).map((s) => s.doneAt - s.sentAt));
      const what = `${isolation.normal}/s from ${devices.length} other networks, with ÷ without ${isolation.flood}/s from one flooding network`;
      rows.push(
        row(SUITE, 'isolation: others\' POST→page p50', round2(beside.postToPage.p50), round2(alone.postToPage.p50), 'ms', `${what}; theirs here: the same alerts without the flood`),
        row(SUITE, 'isolation: others\' POST→page p99', round2(beside.postToPage.p99), round2(alone.postToPage.p99), 'ms',
          `ratio = with flood ÷ without; missing pages ${beside.missing} (must be 0), held ${beside.sends.filter((s) => s.held).length} (must be 0)`),
        row(SUITE, 'isolation: others\' POST answer p99', round2(beside.postResponse.p99), round2(alone.postResponse.p99), 'ms', ''),
        { suite: SUITE, name: 'isolation: flood alerts held', ours: floodHeld, theirs: null, unit: 'alerts', ratio: null,
          note: `of ${flood.length} sent (all must be: 201, held for a dispatcher); paged ${floodPaged} (must be 0); their POST answer p50 ${round2(floodAnswer.p50)} p99 ${round2(floodAnswer.p99)} ms` },
      );
    }
    if (restCpu !== null) {
      rows.push({ suite: SUITE, name: 'diag: server CPU at rest', ours: Math.round(restCpu * 100), theirs: null, unit: '% core', ratio: null,
        note: `${REST_MS / 1000} s with no requests, the sockets open: counted in each rate's per-alert figure` });
    }
    rows.push(
      { suite: SUITE, name: 'alerts checked (all phases)', ours: v.checked, theirs: null, unit: 'alerts', ratio: null,
        note: 'paged in its own quadrant, exactly that quadrant\'s units (1–2), each once' },
      { suite: SUITE, name: 'wrong or duplicate pages', ours: v.wrongQuadrant + v.wrongUnits + v.duplicates, theirs: null, unit: 'count', ratio: null,
        note: `must be 0 (quadrant ${v.wrongQuadrant}, units ${v.wrongUnits}, duplicates ${v.duplicates})` },
      { suite: SUITE, name: 'unit sockets connected', ours: sockets.length - sink.closed.length, theirs: null, unit: 'sockets', ratio: null,
        note: `${units.length} units over ${unitsByQuadrant.size} quadrants; setup ${(setupMs / 1000).toFixed(1)} s (${setupMode}); ${busyNote}` },
    );

    const problems: string[] = [];
    if (failedAll.length > 0) problems.push(`${failedAll.length} alerts not accepted (first: ${failedAll[0]!.error})`);
    if (unpaged > 0) problems.push(`${unpaged} accepted alerts never paged`);
    if (heldNormal > 0) problems.push(`${heldNormal} alerts from networks within their limit were held`);
    if (iso) {
      const notHeld = iso.flood.filter((s) => s.status !== 201 || !s.held).length;
      const floodPaged = iso.flood.filter((s) => s.alertId !== null && sink.pages.has(s.alertId)).length;
      if (notHeld > 0) problems.push(`${notHeld} flood alerts were not answered 201 and held`);
      if (floodPaged > 0) problems.push(`${floodPaged} flood alerts paged a unit`);
    }
    if (v.wrongQuadrant + v.wrongUnits + v.duplicates > 0) problems.push(`wrong pages: ${v.examples.join('; ')}${v.duplicates ? `; ${v.duplicates} duplicate pages` : ''}`);
    const healthFailed = phases.reduce((n, p) => n + p.healthFailed, 0);
    if (healthFailed > 0) problems.push(`${healthFailed} /health probes failed`);
    if (sink.closed.length > 0) problems.push(`${sink.closed.length} unit sockets closed during the run (first: ${sink.closed[0]})`);
    if (sink.odd.length > 0) problems.push(`${sink.odd.length} unexpected socket messages (first: ${sink.odd[0]})`);
    if (problems.length > 0) throw new BenchInvalidError(`alerts benchmark invalid: ${problems.join('; ')}`, rows);
    return rows;
  } finally {
    for (const s of sockets) s.terminate();
    alertsClient.close();
    healthClient.close();
    await server.stop();
    if (cpuProfileDir) log(`alerts: server CPU profile written to ${cpuProfileDir}`);
  }
}

const title = 'Alerts — ours: POST /api/v1/alerts → the unit\'s WebSocket page (open loop, 1,000 unit sockets) · theirs: GET /health at the same time';

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) void benchMain(runAlertsBench, { title, theirsLabel: '/health' });
