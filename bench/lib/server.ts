// Starts the real server in a child process, so the load generator does not share its event
// loop: a free port, a fresh temp data dir (the CDMX quadrants are loaded on first run), ready
// once /health answers. stop() sends SIGTERM, waits, and removes the temp dir.
// The server is what `npm start` runs — dist/main.js, rebuilt first if src/ changed since —
// because that is what a city runs (tsx's on-the-fly build measured ~10 % slower per request).
// BENCH_SERVER_ENTRY=src runs src/main.ts through tsx instead. For diagnosing a run:
// BENCH_SERVER_NODE_ARGS="--trace-gc" passes flags to the server's node, BENCH_SERVER_LOG=file
// appends its output to a file.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { freePort, projectRoot } from '../../tests/support/net.js';

// One definition of each, shared with the tests (tests/support/net.ts).
export { freePort, projectRoot };

export interface ServerProcessOptions {
  /** Extra environment for the server (LOG_LEVEL, CUADRANTE_SEED…). */
  env?: Record<string, string>;
  /** Write a V8 CPU profile of the server to this directory when it stops (node --cpu-prof). */
  cpuProfileDir?: string;
  /** How long to wait for /health (first run imports the CDMX data). Default 90 s. */
  readyTimeoutMs?: number;
  /** Pass the server's stdout/stderr through instead of keeping it for error reports. */
  inheritOutput?: boolean;
  /**
   * PostgreSQL instead of the embedded SQLite file (several instances on one schema, as with
   * NATS): the URL and schema given here, never the caller's shell's DATABASE_URL.
   */
  postgres?: { url: string; schema: string };
}

export interface ServerProcess {
  url: string;
  port: number;
  pid: number;
  dataDir: string;
  /** Milliseconds from spawn to the first good /health. */
  startupMs: number;
  /** CPU time (user + system) the server process has used so far, in ms; null where /proc is missing. */
  cpuTimeMs(): number | null;
  /** Recent server output, for error messages. */
  output(): string;
  stop(): Promise<void>;
}

let built = false;
/** The same check `npm start` makes (scripts/ensure.mjs): build dist/ when src/ is newer. */
function ensureServerBuilt(): void {
  if (built) return;
  const r = spawnSync(process.execPath, ['-e', "import('./scripts/ensure.mjs').then((m) => m.ensureServerBuilt())"], { cwd: projectRoot, stdio: 'inherit' });
  if (r.status !== 0) throw new Error('building the server (dist/) for the benchmark failed');
  built = true;
}

/** Servers started and not yet stopped, with their temp dirs. */
const running = new Map<ChildProcess, string>();
let exitHookInstalled = false;
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // If the benchmark dies or is interrupted, leave neither a server nor a temp dir behind.
  process.once('exit', () => {
    for (const [child, dir] of running) {
      child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => process.exit(signal === 'SIGINT' ? 130 : 143));
  }
}

export async function startServerProcess(opts: ServerProcessOptions = {}): Promise<ServerProcess> {
  const host = '127.0.0.1';
  const port = await freePort(host);
  const dataDir = mkdtempSync(join(tmpdir(), 'cuadrante-bench-'));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    HOST: host,
    PORT: String(port),
    CUADRANTE_DATA_DIR: dataDir,
    CUADRANTE_SEED: 'cdmx',
    // A set password keeps the "first admin" box out of the output.
    CUADRANTE_ADMIN_PASSWORD: randomBytes(18).toString('base64url'),
    LOG_LEVEL: 'warn',
    CUADRANTE_LOG_REQUESTS: 'false',
    ...opts.env,
  };
  // The embedded SQLite file in the temp dir unless PostgreSQL is asked for, whatever the caller's shell points at.
  delete env.DATABASE_URL;
  delete env.CUADRANTE_DB_SCHEMA;
  if (opts.postgres) {
    env.DATABASE_URL = opts.postgres.url;
    env.CUADRANTE_DB_SCHEMA = opts.postgres.schema;
  }

  const fromSource = process.env.BENCH_SERVER_ENTRY === 'src';
  if (!fromSource) ensureServerBuilt();
  const nodeArgs = fromSource ? ['--import', 'tsx'] : ['--enable-source-maps'];
  // Extra V8/Node flags for the server only (e.g. --trace-gc), for diagnosing a benchmark.
  if (process.env.BENCH_SERVER_NODE_ARGS?.trim()) nodeArgs.push(...process.env.BENCH_SERVER_NODE_ARGS.trim().split(/\s+/));
  if (opts.cpuProfileDir) {
    mkdirSync(opts.cpuProfileDir, { recursive: true });
    nodeArgs.push('--cpu-prof', `--cpu-prof-dir=${opts.cpuProfileDir}`);
  }
  const started = performance.now();
  const child = spawn(process.execPath, [...nodeArgs, fromSource ? 'src/main.ts' : 'dist/main.js'], {
    cwd: projectRoot, env, stdio: opts.inheritOutput ? 'inherit' : ['ignore', 'pipe', 'pipe'],
  });
  installExitHook();
  running.set(child, dataDir);

  let log = '';
  const keep = (chunk: Buffer) => { log = (log + chunk.toString()).slice(-8000); if (process.env.BENCH_SERVER_LOG) appendFileSync(process.env.BENCH_SERVER_LOG, chunk); };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((ok) => {
    child.once('exit', (code, signal) => { running.delete(child); ok({ code, signal }); });
  });
  let hasExited = false;
  void exited.then(() => { hasExited = true; });

  const cleanup = () => rmSync(dataDir, { recursive: true, force: true, maxRetries: 3 });
  const url = `http://${host}:${port}`;
  const readyTimeoutMs = opts.readyTimeoutMs ?? 90_000;
  try {
    for (;;) {
      if (hasExited) throw new Error(`server exited before it was ready:\n${log}`);
      if (performance.now() - started > readyTimeoutMs) throw new Error(`server not ready after ${readyTimeoutMs} ms:\n${log}`);
      try {
        const res = await fetch(`${url}/health`, { signal: AbortSignal.timeout(2000) });
        if (res.ok) {
          const body = (await res.json()) as { quadrants?: number };
          if ((body.quadrants ?? 0) > 0 || env.CUADRANTE_SEED === 'none') break;
        } else {
          await res.arrayBuffer();
        }
      } catch { /* not listening yet */ }
      await new Promise((r) => setTimeout(r, 150));
    }
  } catch (err) {
    child.kill('SIGKILL');
    await exited;
    cleanup();
    throw err;
  }
  const startupMs = performance.now() - started;
  const pid = child.pid!;

  let stopping: Promise<void> | null = null;
  return {
    url, port, pid, dataDir, startupMs,
    cpuTimeMs: () => procCpuTimeMs(pid),
    output: () => log,
    stop: () => (stopping ??= (async () => {
      if (!hasExited) {
        child.kill('SIGTERM');
        // A CPU profile is written on exit; give it time, then insist.
        const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
        await exited;
        clearTimeout(timer);
      }
      cleanup();
    })()),
  };
}

/** USER_HZ: 100 on every Linux that Node supports. */
const CLOCK_TICKS_PER_SECOND = 100;

/** utime + stime of a process from /proc/<pid>/stat, in ms (Linux only). */
function procCpuTimeMs(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the ")" closing the command name; utime and stime are fields 14 and 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    return Number.isFinite(ticks) ? (ticks * 1000) / CLOCK_TICKS_PER_SECOND : null;
  } catch {
    return null;
  }
}
