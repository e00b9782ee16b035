// Kill things (issue 11 §7): a real 3-node JetStream cluster, 3 app instances in child processes on
// one PostgreSQL schema, units and consoles spread over them, alerts raised round-robin. During the
// burst one app instance is SIGKILLed, then the node leading the stream. Afterwards:
//   - every alert answered 201 reached each unit it paged exactly once — live, or, for a unit whose
//     instance died or sent it away, through the snapshot it gets on reconnecting elsewhere — and
//     no unit it did not page;
//   - no connected client saw an alert's change older than one it had already been shown;
//   - no deadline is left behind: every alert is acknowledged or handed to 911, none with a
//     deadline in the past (the ladder ran on, whichever instance armed it);
//   - a logout on one instance closes that officer's socket on another.
// Skipped, with the reason printed, without nats-server or PostgreSQL (CUADRANTE_REQUIRE_NATS=1 /
// CUADRANTE_REQUIRE_POSTGRES=1 fail instead).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresEngine, postgresUnavailable } from '../support/engines.js';
import { natsSkipReason, startNatsCluster, type NatsCluster } from '../support/nats-cluster.js';
import { uniqueStream } from '../support/nats.js';
import { spawnServer, type ChildServer } from '../support/process.js';
import { liveClient, type LiveClient } from './live-client.js';

const natsReason = natsSkipReason();
const pgReason = await postgresUnavailable();
if (pgReason) {
  if (process.env.CUADRANTE_REQUIRE_POSTGRES === '1') throw new Error(`${pgReason} (required: CUADRANTE_REQUIRE_POSTGRES=1)`);
  console.warn(`⚠ skipping the failover suite: ${pgReason}`);
}
const skip = natsReason ?? pgReason;

/** Alerts raised per second during the burst, and for how long. */
const RATE = 12;
const BURST_MS = 9000;
const ACK_TIMEOUT_S = 2;
const ESCALATE_AFTER_S = 4;
/** The app instance killed mid-burst (its units and console move to the others). */
const VICTIM = 1;

interface Api { status: number; body: any } // eslint-disable-line @typescript-eslint/no-explicit-any
interface Unit { id: string; quadrantId: string; instance: number; username: string; password: string; token: string; client: LiveClient | null }
interface AlertView { id: string; status: string; escalated: boolean; nextDeadlineAt: string | null; acknowledgedAt: string | null; pagedUnits: { id: string }[]; quadrant: { id: string } | null }

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits until `check` holds; the timeout is a bound for a loaded machine, not a measurement. */
async function eventually(what: string, check: () => Promise<boolean> | boolean, timeoutMs = 15_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`${what}: not reached within ${timeoutMs} ms`);
    await sleep(50);
  }
}

describe.skipIf(skip !== null)('three instances, a 3-node JetStream cluster, and things killed during a burst', () => {
  let cluster: NatsCluster;
  let cleanupDb: (() => Promise<void>) | undefined;
  const servers: (ChildServer | null)[] = [];
  const dirs: string[] = [];
  const alive = new Set<number>();
  const stream = uniqueStream();
  const adminPassword = 'failover-admin-password';
  let admin = '';
  const units: Unit[] = [];
  const consoles: LiveClient[] = [];

  const url = (i: number) => servers[i]!.url;
  const liveInstances = () => [...alive].sort();
  const call = async (on: number, method: string, path: string, token?: string, body?: unknown, headers: Record<string, string> = {}): Promise<Api> => {
    const res = await fetch(`${url(on)}${path}`, {
      method, body: body === undefined ? undefined : JSON.stringify(body), signal: AbortSignal.timeout(10_000),
      headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null };
  };

  beforeAll(async () => {
    cluster = await startNatsCluster();
    const db = await postgresEngine.fresh();
    cleanupDb = db.cleanup;
    const env = (i: number): Record<string, string> => {
      const dataDir = mkdtempSync(join(tmpdir(), `cuadrante-failover-${i}-`));
      dirs.push(dataDir);
      return {
        DATABASE_URL: db.config.databaseUrl!, CUADRANTE_DB_SCHEMA: db.config.databaseSchema!, CUADRANTE_DATA_DIR: dataDir,
        CUADRANTE_NATS_URL: cluster.urls, CUADRANTE_NATS_REPLICAS: '3',
        CUADRANTE_NATS_STREAM: stream.stream, CUADRANTE_NATS_SUBJECT_PREFIX: stream.subjectPrefix,
        // One deployment: one secret (sessions and network keys are valid on every instance).
        CUADRANTE_SECRET_KEY: 'c'.repeat(64), CUADRANTE_ADMIN_PASSWORD: adminPassword, CUADRANTE_SEED: 'cdmx',
        CUADRANTE_ACK_TIMEOUT_S: String(ACK_TIMEOUT_S), CUADRANTE_ESCALATE_AFTER_S: String(ESCALATE_AFTER_S),
        // Every request comes from 127.0.0.1: the flood limits must not hold the burst for review.
        CUADRANTE_ALERT_RATE_MAX: '1000', CUADRANTE_ALERTS_PER_NETWORK_MAX: '1000000',
        CUADRANTE_OSMAND_PORT: '0', LOG_LEVEL: 'error',
      };
    };
    // The first instance migrates and seeds the schema; the others then start on it together.
    servers[0] = await spawnServer(env(0));
    const rest = await Promise.all([1, 2].map((i) => spawnServer(env(i))));
    servers[1] = rest[0]!;
    servers[2] = rest[1]!;
    for (const i of [0, 1, 2]) alive.add(i);
    await eventually('every instance ready (database and bus)', async () => (await Promise.all([0, 1, 2].map((i) => call(i, 'GET', '/health/ready')))).every((r) => r.status === 200), 30_000);
    admin = (await call(0, 'POST', '/api/v1/auth/login', undefined, { username: 'admin', password: adminPassword })).body.token;

    // Four quadrants far apart, two units each, the two on different instances: the victim holds two
    // units, and each of them has a partner in its quadrant on an instance that stays up.
    const ids = ((await call(0, 'GET', '/api/v1/quadrants?simplify=1000')).body.features as { properties: { id: string } }[]).map((f) => f.properties.id).sort();
    const picked = [0, 0.25, 0.5, 0.75].map((f) => ids[Math.floor(f * ids.length)]!);
    const placement = [[0, 1], [1, 2], [2, 0], [0, 2]];
    for (const [q, quadrantId] of picked.entries()) {
      for (const [k, instance] of placement[q]!.entries()) {
        const username = `fo-${q}-${k}`;
        const password = `clave-${username}-segura`;
        const created = await call(q % 3, 'POST', '/api/v1/units', admin, { callsign: `FO${q}${k}`, type: 'car', quadrantIds: [quadrantId], username, password });
        expect(created.status).toBe(201);
        const token = (await call(instance, 'POST', '/api/v1/auth/login', undefined, { username, password })).body.token as string;
        expect((await call(instance, 'PUT', `/api/v1/units/${created.body.id}/shift`, token, { state: 'available' })).status).toBe(200);
        units.push({ id: created.body.id, quadrantId, instance, username, password, token, client: null });
      }
    }
    // Every instance's ladder knows every unit on shift (learned through the bus) before the first alert.
    await eventually('every unit on shift on every instance', async () => {
      for (const i of [0, 1, 2]) {
        const list = (await call(i, 'GET', '/api/v1/units', admin)).body as { id: string; shiftState: string }[];
        if (!units.every((u) => list.some((x) => x.id === u.id && x.shiftState === 'available'))) return false;
      }
      return true;
    });
  }, 150_000);

  afterAll(async () => {
    for (const c of [...consoles, ...units.map((u) => u.client)]) c?.close();
    await Promise.all(servers.map((s) => s?.kill('SIGKILL')));
    await cluster?.stop();
    await cleanupDb?.();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  // ——— the burst (once, for the checks below) ———
  const accepted = new Map<string, string>(); // alert id → quadrant
  const final = new Map<string, AlertView>();
  let oldLeader = '';
  let settled: Error | null = null;
  let sent = 0;
  const pagedTo = (u: Unit) => [...final.values()].filter((a) => a.pagedUnits.some((p) => p.id === u.id)).map((a) => a.id);

  beforeAll(async () => {
    for (const u of units) u.client = liveClient(`unit ${u.id.slice(0, 8)} (${u.quadrantId})`, u.token, servers.map((s) => s!.url), u.instance, liveInstances);
    for (const i of [0, 1, 2]) consoles.push(liveClient(`console on #${i}`, admin, servers.map((s) => s!.url), i, liveInstances));
    await Promise.all([...units.map((u) => u.client!.ready()), ...consoles.map((c) => c.ready())]);

    const points = new Map<string, { lat: number; lon: number }>();
    for (const q of new Set(units.map((u) => u.quadrantId))) points.set(q, (await call(0, 'GET', `/api/v1/quadrants/${q}`)).body.properties.interiorPoint);
    const quadrants = [...points.keys()];
    const devices: string[] = [];
    for (let d = 0; d < 6; d++) devices.push((await call(0, 'POST', '/api/v1/devices')).body.token);

    const inFlight: Promise<void>[] = [];
    const acks: Promise<void>[] = [];
    // A dispatcher takes every third alert as soon as their console shows it; the rest climb the ladder to 911.
    const acknowledgeWhenSeen = async (id: string) => {
      const until = Date.now() + 10_000;
      while (Date.now() < until) {
        const c = consoles.find((x) => x.live && x.known.has(id));
        if (c) {
          const r = await call(c.instance, 'POST', `/api/v1/alerts/${id}/actions`, admin, { action: 'acknowledge' }).catch(() => null);
          if (r?.status === 200 || r?.status === 409) return;
        }
        await sleep(50);
      }
    };
    // Round-robin over the instances a load balancer still sends to.
    const raise = (n: number) => {
      const pool = liveInstances();
      const on = pool[n % pool.length]!;
      const quadrant = quadrants[n % quadrants.length]!;
      inFlight.push(call(on, 'POST', '/api/v1/alerts', devices[n % devices.length], { ...points.get(quadrant)!, accuracy: 10, kind: 'robbery' }, { 'idempotency-key': `failover-${n}` })
        .then((r) => {
          if (r.status !== 201) return;
          accepted.set(r.body.id, quadrant);
          if (n % 3 === 0) acks.push(acknowledgeWhenSeen(r.body.id));
        }, () => { /* the instance died under the request: no 201, no promise made */ }));
    };

    const started = Date.now();
    let killedApp = false;
    while (Date.now() - started < BURST_MS) {
      const due = Math.floor(((Date.now() - started) / 1000) * RATE);
      while (sent < due) raise(sent++);
      const t = Date.now() - started;
      if (!killedApp && t > BURST_MS / 4) {
        killedApp = true;
        alive.delete(VICTIM);
        void servers[VICTIM]!.kill('SIGKILL');
      }
      if (!oldLeader && t > BURST_MS / 2) {
        oldLeader = (await cluster.streamLeader(stream.stream)) ?? '';
        if (!oldLeader) throw new Error(`no leader for stream ${stream.stream}`);
        void cluster.kill(oldLeader, 'SIGKILL');
      }
      await sleep(10);
    }
    await Promise.all(inFlight);
    await cluster.waitForStreamLeader(stream.stream, { not: oldLeader });
    await Promise.all(acks);

    // Settled: every alert acknowledged or handed to 911 and no deadline in the past (a failure is the third check's).
    await eventually('every alert acknowledged or escalated, no deadline past', async () => {
      const on = liveInstances()[0]!;
      for (const id of accepted.keys()) {
        const r = await call(on, 'GET', `/api/v1/alerts/${id}`, admin);
        if (r.status !== 200) return false;
        final.set(id, r.body as AlertView);
      }
      const now = Date.now();
      return [...final.values()].every((a) => (a.acknowledgedAt !== null || a.escalated) && (a.nextDeadlineAt === null || Date.parse(a.nextDeadlineAt) > now));
    }, 30_000).catch((err: Error) => { settled = err; });
    // The last pages may still be travelling; a unit missing one is reported by the check below.
    await eventually('every unit knows every alert it was paged to', () => units.every((u) => u.client!.live && pagedTo(u).every((id) => u.client!.known.has(id))), 15_000)
      .catch(() => undefined);
    const clients = [...units.map((u) => u.client!), ...consoles];
    const byCode = new Map<number, number>();
    for (const c of clients) for (const code of c.closes) byCode.set(code, (byCode.get(code) ?? 0) + 1);
    const viaSnapshot = units.reduce((n, u) => n + [...u.client!.known.values()].filter((how) => how === 'snapshot').length, 0);
    console.log(`failover burst: ${sent} alerts sent, ${accepted.size} answered 201; killed app #${VICTIM} and NATS ${oldLeader}; `
      + `socket closes by code ${JSON.stringify(Object.fromEntries(byCode))}; ${viaSnapshot} unit pages caught up through a snapshot`);
  }, 120_000);

  it('accepted the burst on the instances still up, and moved the killed instance\'s clients to the others', () => {
    expect(accepted.size).toBeGreaterThan(RATE * BURST_MS / 1000 * 0.7);
    const moved = units.filter((u) => u.instance === VICTIM).map((u) => u.client!);
    expect(moved.length).toBeGreaterThan(0);
    for (const c of moved) expect(c.connections.slice(1).some((i) => i !== VICTIM)).toBe(true);
    for (const c of [...units.map((u) => u.client!), ...consoles]) expect(c.live).toBe(true);
  });

  it('paged every 201-answered alert to its quadrant\'s units, and each paged unit exactly once (live or in its snapshot after moving)', () => {
    const problems: string[] = [];
    for (const [id, a] of final) {
      const quadrant = accepted.get(id)!;
      for (const u of units.filter((x) => x.quadrantId === quadrant)) {
        if (!a.pagedUnits.some((p) => p.id === u.id)) problems.push(`alert ${id} in ${quadrant} did not page its quadrant's unit ${u.id}`);
      }
    }
    for (const u of units) {
      const c = u.client!;
      const should = new Set(pagedTo(u));
      for (const id of should) if (!c.known.has(id)) problems.push(`${c.name} never learned of alert ${id} (connections on #${c.connections.join(', #')}; closes ${c.closes.join(', ')})`);
      for (const id of c.known.keys()) if (accepted.has(id) && !should.has(id)) problems.push(`${c.name} was told of alert ${id} it was not paged to`);
      for (const [id, n] of c.pages) if (n > 1) problems.push(`${c.name}: ${n} pages for alert ${id}`);
      // …nor a page for an alert it was already showing (from a snapshot or an update).
      problems.push(...c.duplicates);
    }
    // Every console saw every accepted alert (live or in its snapshot).
    for (const c of consoles) for (const id of accepted.keys()) if (!c.known.has(id)) problems.push(`${c.name} never saw alert ${id}`);
    expect(problems).toEqual([]);
    // Pages really flowed across instances and past the kills: every unit got live pages.
    expect(units.every((u) => [...u.client!.known.values()].includes('page'))).toBe(true);
  });

  it('showed no client an alert\'s change older than one it had already shown', () => {
    expect([...units.map((u) => u.client!), ...consoles].flatMap((c) => c.outOfOrder)).toEqual([]);
  });

  it('left nothing stuck: every alert acknowledged or handed to 911, no deadline in the past', () => {
    expect(settled).toBeNull();
    expect(final.size).toBe(accepted.size);
  });

  it('closes, on another instance, the socket of an officer who logged out on one', async () => {
    const unit = units.find((u) => u.instance !== VICTIM)!;
    const [here, there] = liveInstances();
    const login = (await call(here!, 'POST', '/api/v1/auth/login', undefined, { username: unit.username, password: unit.password })).body.token as string;
    const socket = liveClient('officer second session', login, servers.map((s) => s?.url ?? ''), there!, liveInstances);
    await socket.ready();
    expect((await call(here!, 'POST', '/api/v1/auth/logout', login)).status).toBe(204);
    const code = await Promise.race([socket.sessionEnded, sleep(3000).then(() => -1)]);
    expect(code).toBe(4401);
    // The officer's other session (the unit's own socket) is untouched.
    expect(unit.client!.live).toBe(true);
  }, 30_000);
});
