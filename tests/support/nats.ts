// NATS for the bus suites: the machine's JetStream server (127.0.0.1:4222, or TEST_NATS_URL), unique
// stream names per test, and private nats-server processes a test can kill and restart.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { connect } from '@nats-io/transport-node';
import { freePort } from './net.js';

export const natsUrl = process.env.TEST_NATS_URL ?? 'nats://127.0.0.1:4222';
export const natsServerBin = process.env.NATS_SERVER_BIN ?? '/usr/sbin/nats-server';

let availability: Promise<string | null> | null = null;

/** null when the shared NATS server answers; otherwise why the suite is skipped. */
export function natsUnavailable(): Promise<string | null> {
  availability ??= (async () => {
    try {
      const nc = await connect({ servers: natsUrl, timeout: 2000, reconnect: false });
      await nc.close();
      return null;
    } catch (err) {
      return `NATS not reachable at ${natsUrl}: ${(err as Error).message}`;
    }
  })();
  return availability;
}

/** A stream name and subject prefix nobody else uses (tests run in parallel on one server). */
export function uniqueStream(): { stream: string; subjectPrefix: string } {
  const tag = `${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  return { stream: `TEST_${tag}`, subjectPrefix: `t_${tag}` };
}

export interface OwnNatsServer {
  url: string;
  port: number;
  /** Ends the process (SIGKILL by default) and waits for it. */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** SIGSTOP / SIGCONT: a server that stops answering with its connections still open. */
  pause(): void;
  resume(): void;
  /** Starts it again on the same port and store. */
  start(): Promise<void>;
  /** Kills it and removes its store. */
  dispose(): Promise<void>;
}

/** A private JetStream server on a free loopback port, its store in a temporary directory. */
export async function startOwnNatsServer(): Promise<OwnNatsServer> {
  if (!existsSync(natsServerBin)) throw new Error(`nats-server not found at ${natsServerBin}`);
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'cuadrante-nats-'));
  let child: ChildProcess | null = null;
  let out = '';
  const start = async () => {
    out = '';
    const c = spawn(natsServerBin, ['-a', '127.0.0.1', '-p', String(port), '-js', '-sd', dir], { stdio: ['ignore', 'pipe', 'pipe'] });
    c.stdout!.on('data', (d) => { out += String(d); });
    c.stderr!.on('data', (d) => { out += String(d); });
    child = c;
    const deadline = Date.now() + 10_000;
    while (!/Server is ready/.test(out)) {
      if (c.exitCode !== null) throw new Error(`nats-server exited:\n${out}`);
      if (Date.now() > deadline) throw new Error(`nats-server not ready:\n${out}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  };
  const kill = async (signal: NodeJS.Signals = 'SIGKILL') => {
    const c = child;
    if (!c || c.exitCode !== null || (c.signalCode !== null && c.signalCode !== 'SIGSTOP' && c.signalCode !== 'SIGCONT')) return;
    const exited = new Promise<void>((r) => c.once('exit', () => r()));
    c.kill(signal);
    await exited;
    child = null;
  };
  await start();
  return {
    url: `nats://127.0.0.1:${port}`, port, kill, start,
    pause: () => { child?.kill('SIGSTOP'); },
    resume: () => { child?.kill('SIGCONT'); },
    async dispose() { await kill(); rmSync(dir, { recursive: true, force: true }); },
  };
}
