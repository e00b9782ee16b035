// Login guessing against the panic path's neighbours: GET /api/v1/locate's latency, probed at a
// steady Poisson rate, alone and while 20 parallel attackers hammer POST /api/v1/auth/login with
// wrong passwords (each try would cost a 128 MiB scrypt). Two attacks:
// - "one network": every attacker behind one address, guessing one dispatcher's password — the
//   sign-in throttle answers 429 before hashing after the first few tries;
// - "spray": every try from a new network and for a new username (a botnet) — no per-account or
//   per-network counter can stop it, so only the bounded hashing pool keeps the cost down.
// The server runs in a child process (bench/lib/server.ts: the built dist/, as a city runs it)
// behind a "proxy" at 127.0.0.1, so X-Forwarded-For chooses the attacker's network. Reports only.
//
//   npx tsx bench/login.bench.ts          (or: npm run bench -- login)
//   BENCH_LOGIN_DURATION=10 BENCH_LOGIN_RATE=100 BENCH_LOGIN_ATTACKERS=20 BENCH_SEED=1
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { JsonClient } from './lib/http-client.js';
import { openLoop } from './lib/open-loop.js';
import { mulberry32, uniform } from './lib/prng.js';
import { BenchInvalidError, benchMain, row, type BenchRow } from './lib/report.js';
import { startServerProcess, type ServerProcess } from './lib/server.js';
import { envInt, envNumber } from './lib/env.js';
import { percentiles, round2 } from './lib/stats.js';

const SUITE = 'login';
const ADMIN_PASSWORD = 'bench-admin-password-0001';
const TARGET = 'despacho.bench';
const TARGET_PASSWORD = 'la-contraseña-del-despacho';
/** The operations centre's address: the dispatcher signed in from here before (a known network). */
const OPS = '198.51.100.20';

export interface LoginBenchOptions {
  durationSeconds?: number;
  /** /locate probes per second. */
  rate?: number;
  attackers?: number;
  seed?: number;
  log?: (line: string) => void;
}

type Attack = 'none' | 'one network' | 'spray';

interface Phase {
  attack: Attack;
  locate: ReturnType<typeof percentiles>;
  locateErrors: number;
  /** The dispatcher's own sign-ins from the operations centre meanwhile, ms. */
  legit: ReturnType<typeof percentiles>;
  legitFailures: number;
  tries: number;
  statuses: Record<string, number>;
}

async function phase(server: ServerProcess, attack: Attack, opts: Required<Omit<LoginBenchOptions, 'log'>>): Promise<Phase> {
  const rng = mulberry32(opts.seed);
  const probe = new JsonClient(server.url, { maxSockets: 32 });
  const attackClient = new JsonClient(server.url, { maxSockets: opts.attackers });
  const latencies: number[] = [];
  let locateErrors = 0;
  const statuses: Record<string, number> = {};
  let tries = 0;
  let stop = false;
  let n = 0;

  const attacker = async () => {
    while (!stop) {
      const i = n++;
      const network = attack === 'spray' ? `10.${(i >> 8) & 255}.${i & 255}.7` : '203.0.113.9';
      const username = attack === 'spray' ? `persona-${i}` : TARGET;
      try {
        const r = await attackClient.send('POST', '/api/v1/auth/login', {
          body: { username, password: `adivina-${i}` }, headers: { 'x-forwarded-for': network }, timeoutMs: 30_000,
        });
        statuses[r.status] = (statuses[r.status] ?? 0) + 1;
      } catch {
        statuses.error = (statuses.error ?? 0) + 1;
      }
      tries++;
    }
  };
  const attackers = attack === 'none' ? [] : Array.from({ length: opts.attackers }, attacker);
  // Let the attack reach its steady state (the throttle's first free tries) before measuring.
  if (attack !== 'none') await new Promise((r) => setTimeout(r, 2000));
  tries = 0;
  for (const k of Object.keys(statuses)) delete statuses[k];

  // Meanwhile the dispatcher signs in from the operations centre every half second.
  const legit: number[] = [];
  let legitFailures = 0;
  let measuring = true;
  const dispatcher = (async () => {
    while (measuring) {
      const r = await probe.send('POST', '/api/v1/auth/login', { body: { username: TARGET, password: TARGET_PASSWORD }, headers: { 'x-forwarded-for': OPS }, timeoutMs: 30_000 })
        .catch(() => null);
      if (r?.status === 200) legit.push(r.doneAt - r.sentAt); else legitFailures++;
      await new Promise((ok) => setTimeout(ok, 500));
    }
  })();
  const pending: Promise<void>[] = [];
  await openLoop({
    rate: opts.rate, durationSeconds: opts.durationSeconds, poisson: rng,
    fire: () => {
      const lat = uniform(rng, 19.3, 19.5).toFixed(6);
      const lon = uniform(rng, -99.2, -99.05).toFixed(6);
      pending.push(probe.send('GET', `/api/v1/locate?lat=${lat}&lon=${lon}`).then(
        (r) => { if (r.status === 200) latencies.push(r.doneAt - r.sentAt); else locateErrors++; },
        () => { locateErrors++; },
      ));
    },
  });
  await Promise.all(pending);
  measuring = false;
  await dispatcher;
  const measuredTries = tries;
  stop = true;
  await Promise.all(attackers);
  probe.agent.destroy();
  attackClient.agent.destroy();
  return { attack, locate: percentiles(latencies), locateErrors, legit: percentiles(legit), legitFailures, tries: measuredTries, statuses: { ...statuses } };
}

export async function runLoginBench(options: LoginBenchOptions = {}): Promise<BenchRow[]> {
  const opts = {
    durationSeconds: options.durationSeconds ?? envNumber('BENCH_LOGIN_DURATION') ?? 10,
    rate: options.rate ?? envNumber('BENCH_LOGIN_RATE') ?? 100,
    attackers: options.attackers ?? envInt('BENCH_LOGIN_ATTACKERS', 20),
    seed: options.seed ?? envInt('BENCH_SEED', 1),
  };
  const log = options.log ?? ((line: string) => console.log(line));
  const server = await startServerProcess({
    env: { CUADRANTE_ADMIN_PASSWORD: ADMIN_PASSWORD, CUADRANTE_OSMAND_PORT: '0', ...(process.env.BENCH_LOGIN_TRUST_PROXY === '0' ? {} : { CUADRANTE_TRUST_PROXY: '127.0.0.1' }) },
  });
  try {
    const api = new JsonClient(server.url);
    const { token } = await api.json<{ token: string }>('POST', '/api/v1/auth/login', 200, { body: { username: 'admin', password: ADMIN_PASSWORD } });
    await api.json('POST', '/api/v1/users', 201, { token, body: { username: TARGET, password: TARGET_PASSWORD, role: 'dispatcher' } });
    await api.json('POST', '/api/v1/auth/login', 200, { body: { username: TARGET, password: TARGET_PASSWORD }, headers: { 'x-forwarded-for': OPS } });
    api.agent.destroy();
    log(`login: /locate probed at ${opts.rate}/s for ${opts.durationSeconds} s per phase; ${opts.attackers} attackers`);

    const phases: Phase[] = [];
    for (const attack of ['none', 'one network', 'spray'] as const) {
      const p = await phase(server, attack, opts);
      phases.push(p);
      const mix = Object.entries(p.statuses).map(([s, c]) => `${s}×${c}`).join(' ');
      log(`  ${attack.padEnd(12)} locate p50 ${round2(p.locate.p50)} ms  p99 ${round2(p.locate.p99)} ms  max ${round2(p.locate.max)} ms`
        + (attack === 'none' ? '' : `   login tries ${round2(p.tries / opts.durationSeconds)}/s (${mix})`)
        + `   dispatcher sign-in p50 ${round2(p.legit.p50)} ms max ${round2(p.legit.max)} ms${p.legitFailures ? ` (${p.legitFailures} refused)` : ''}`);
    }
    const idle = phases[0]!;
    const rows: BenchRow[] = [row(SUITE, 'locate p99, no attack', round2(idle.locate.p99), null, 'ms', `p50 ${round2(idle.locate.p50)} ms`)];
    for (const p of phases.slice(1)) {
      const mix = Object.entries(p.statuses).map(([s, c]) => `${s}×${c}`).join(' ');
      rows.push(row(SUITE, `locate p99, ${opts.attackers} attackers (${p.attack})`, round2(p.locate.p99), round2(idle.locate.p99), 'ms',
        `p50 ${round2(p.locate.p50)} ms; ${round2(p.tries / opts.durationSeconds)} tries/s: ${mix}`));
    }
    for (const p of phases) {
      rows.push(row(SUITE, `dispatcher sign-in p50, ${p.attack === 'none' ? 'no attack' : `${opts.attackers} attackers (${p.attack})`}`, round2(p.legit.p50),
        round2(idle.legit.p50), 'ms', `max ${round2(p.legit.max)} ms${p.legitFailures ? `; ${p.legitFailures} refused` : ''}`));
    }
    const errors = phases.reduce((s, p) => s + p.locateErrors, 0);
    if (errors > 0) throw new BenchInvalidError(`${errors} /locate probes failed`, rows);
    return rows;
  } finally {
    await server.stop();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  await benchMain(() => runLoginBench(), { title: 'Login guessing beside GET /api/v1/locate', theirsLabel: 'no attack' });
}
