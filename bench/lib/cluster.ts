// What a multi-instance benchmark needs besides the servers: a private nats-server with JetStream
// on a free loopback port (never the machine's shared one: its load would colour the figures and
// our streams would linger there), and a PostgreSQL schema of its own, dropped afterwards.
// (The same spawn as tests/support/nats.ts, kept here: benchmarks do not import the tests' helpers.)
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { freePort } from './server.js';

export const natsServerBinary = process.env.CUADRANTE_NATS_SERVER ?? '/usr/sbin/nats-server';
export const benchPostgresUrl = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** Why a cluster benchmark cannot run here (no nats-server, no PostgreSQL), or null. */
export async function clusterUnavailable(): Promise<string | null> {
  try { accessSync(natsServerBinary, constants.X_OK); } catch { return `${natsServerBinary} not found (apt-get install nats-server, or set CUADRANTE_NATS_SERVER)`; }
  const client = new pg.Client({ connectionString: benchPostgresUrl, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('select 1');
    return null;
  } catch (err) {
    return `PostgreSQL not reachable at ${benchPostgresUrl} (set BENCH_DATABASE_URL): ${(err as Error).message}`;
  } finally {
    await client.end().catch(() => undefined);
  }
}

export interface NatsServerProcess {
  url: string;
  stop(): Promise<void>;
}

export async function startNatsServer(): Promise<NatsServerProcess> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'cuadrante-bench-nats-'));
  const child: ChildProcess = spawn(natsServerBinary, ['-a', '127.0.0.1', '-p', String(port), '-js', '-sd', dir], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d) => { out = (out + String(d)).slice(-8000); });
  child.stderr!.on('data', (d) => { out = (out + String(d)).slice(-8000); });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  // Never left behind, however the benchmark ends.
  const onExit = () => { child.kill('SIGKILL'); rmSync(dir, { recursive: true, force: true }); };
  process.once('exit', onExit);
  const deadline = Date.now() + 10_000;
  while (!/Server is ready/.test(out)) {
    if (child.exitCode !== null) throw new Error(`nats-server exited:\n${out}`);
    if (Date.now() > deadline) { child.kill('SIGKILL'); throw new Error(`nats-server not ready in 10 s:\n${out}`); }
    await new Promise((r) => setTimeout(r, 25));
  }
  return {
    url: `nats://127.0.0.1:${port}`,
    async stop() {
      process.off('exit', onExit);
      if (child.exitCode === null) { child.kill('SIGTERM'); await exited; }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A schema name nobody else uses; dropSchema removes it with everything in it. */
export function benchSchema(what: string): string {
  return `bench_${what}_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
}

export async function dropSchema(schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: benchPostgresUrl });
  await client.connect();
  try { await client.query(`drop schema if exists "${schema}" cascade`); } finally { await client.end(); }
}
