// A real 3-node JetStream cluster of nats-server on loopback ports, for the suites that kill
// things (issue 11 §7). Each node has its own config file and store directory in one temp dir.
// The binary is Debian's nats-server (2.9.10 here; .ci/run installs it). Where it is missing the
// suites are skipped with a printed reason — unless CUADRANTE_REQUIRE_NATS=1 (CI), where they fail.
//
// Nothing is left behind: stop() kills every node and removes the temp dir; an exit handler does the
// same if a suite forgets or throws; and a watchdog shell (one per cluster) kills the nodes and
// removes the dir should the test process itself be SIGKILLed.
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './net.js';

export const natsServerBinary = process.env.CUADRANTE_NATS_SERVER ?? '/usr/sbin/nats-server';

/** null when nats-server can be run here; otherwise why the NATS suites cannot run. */
export const natsUnavailable: string | null = (() => {
  try {
    accessSync(natsServerBinary, constants.X_OK);
    return null;
  } catch {
    return `${natsServerBinary} not found (Debian: apt-get install nats-server; or set CUADRANTE_NATS_SERVER)`;
  }
})();

/**
 * The reason to skip a NATS suite, printed once per file, or null to run it. Throws when CI requires
 * NATS (CUADRANTE_REQUIRE_NATS=1). Use: `describe.skipIf(natsSkipReason())(…)`.
 */
export function natsSkipReason(): string | null {
  if (!natsUnavailable) return null;
  if (process.env.CUADRANTE_REQUIRE_NATS === '1') throw new Error(`${natsUnavailable} (required: CUADRANTE_REQUIRE_NATS=1)`);
  console.warn(`⚠ skipping the NATS cluster suite: ${natsUnavailable}`);
  return natsUnavailable;
}

export interface NatsNode {
  /** server_name: n1, n2, n3 — what stream info's cluster.leader reports. */
  name: string;
  /** nats://127.0.0.1:<client port> */
  url: string;
  port: number;
  clusterPort: number;
  monitorPort: number;
  /** False between kill() and restart(). */
  running: boolean;
}

export interface NatsCluster {
  /** Every node's client URL, comma-separated (what CUADRANTE_NATS_URL takes). */
  urls: string;
  nodes: NatsNode[];
  /** The temp dir with the config files and stores (removed by stop()). */
  dir: string;
  /** Process ids of the running nodes. */
  pids(): number[];
  /** Sends a signal to a node (by index or name) and waits for it to exit. */
  kill(node: number | string, signal?: NodeJS.Signals): Promise<void>;
  /** Starts a killed node again on the same ports and store, and waits until it is back in the meta group. */
  restart(node: number | string): Promise<void>;
  /** The node leading a stream's raft group now (its server_name), or null while there is none. */
  streamLeader(stream: string): Promise<string | null>;
  /** Waits for a stream leader (other than `not`, when given) and returns it. */
  waitForStreamLeader(stream: string, opts?: { not?: string; timeoutMs?: number }): Promise<string>;
  /** The node's log so far (stdout and stderr), for failure messages. */
  log(node: number | string): string;
  /** Kills every node and removes the temp dir. Safe to call twice. */
  stop(): Promise<void>;
}

const live = new Set<ChildProcess>();
let exitHookInstalled = false;
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // Synchronous: all an 'exit' handler may do. stop() is the normal path; this is for a suite that
  // threw before its afterAll registered, or forgot it.
  process.once('exit', () => { for (const c of live) c.kill('SIGKILL'); });
}

interface Proc { child: ChildProcess; exited: Promise<void>; out: string }

export async function startNatsCluster(opts: { size?: number; clusterName?: string; timeoutMs?: number } = {}): Promise<NatsCluster> {
  if (natsUnavailable) throw new Error(natsUnavailable);
  installExitHook();
  const size = opts.size ?? 3;
  const dir = mkdtempSync(join(tmpdir(), 'cuadrante-nats-'));
  const nodes: NatsNode[] = [];
  for (let i = 1; i <= size; i++) {
    const [port, clusterPort, monitorPort] = [await freePort(), await freePort(), await freePort()];
    nodes.push({ name: `n${i}`, url: `nats://127.0.0.1:${port}`, port, clusterPort, monitorPort, running: false });
  }
  const procs = new Map<string, Proc>();
  /** Nodes down because a test killed them (any other exit is a failure to report). */
  const killed = new Set<string>();
  const logs = new Map<string, string>();
  for (const node of nodes) {
    const store = join(dir, node.name);
    mkdirSync(store);
    const routes = nodes.filter((n) => n !== node).map((n) => `nats-route://127.0.0.1:${n.clusterPort}`);
    writeFileSync(join(dir, `${node.name}.conf`), [
      `server_name: ${node.name}`,
      `listen: 127.0.0.1:${node.port}`,
      `http: 127.0.0.1:${node.monitorPort}`,
      // Small limits: a test cluster must not reserve the machine's memory and disk.
      `jetstream { store_dir: "${store}", max_memory_store: 64MB, max_file_store: 1GB }`,
      `cluster { name: ${opts.clusterName ?? 'cuadrante-test'}, listen: 127.0.0.1:${node.clusterPort}, routes: [${routes.join(', ')}] }`,
      '',
    ].join('\n'));
  }
  const watchdog = startWatchdog(dir);

  const nodeOf = (ref: number | string): NatsNode => {
    const node = typeof ref === 'number' ? nodes[ref] : nodes.find((n) => n.name === ref);
    if (!node) throw new Error(`no NATS node ${String(ref)}`);
    return node;
  };

  const launch = (node: NatsNode) => {
    const child = spawn(natsServerBinary, ['-c', join(dir, `${node.name}.conf`)], { stdio: ['ignore', 'pipe', 'pipe'] });
    const proc: Proc = { child, out: '', exited: new Promise((r) => child.once('exit', () => r())) };
    const keep = (d: Buffer) => {
      proc.out = (proc.out + String(d)).slice(-40_000);
      logs.set(node.name, proc.out);
    };
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
    live.add(child);
    const pidFile = join(dir, `${node.name}.pid`);
    writeFileSync(pidFile, String(child.pid));
    void proc.exited.then(() => {
      live.delete(child);
      node.running = false;
      // The watchdog must never kill a pid this node no longer has (it may be reused).
      rmSync(pidFile, { force: true });
    });
    procs.set(node.name, proc);
    node.running = true;
  };

  const jsz = async (node: NatsNode, query = ''): Promise<Jsz | null> => {
    try {
      const res = await fetch(`http://127.0.0.1:${node.monitorPort}/jsz${query}`, { signal: AbortSignal.timeout(1000) });
      return res.ok ? (await res.json()) as Jsz : null;
    } catch { return null; }
  };

  /** Every running node sees the same meta leader, and the group has all its peers (and the given ones current). */
  const formed = async (): Promise<boolean> => {
    const running = nodes.filter((n) => n.running);
    const views = await Promise.all(running.map((n) => jsz(n)));
    if (views.some((v) => !v?.meta_cluster?.leader)) return false;
    const leaders = new Set(views.map((v) => v!.meta_cluster!.leader));
    if (leaders.size !== 1) return false;
    const leaderView = views.find((v, i) => running[i]!.name === [...leaders][0]);
    if (!leaderView) return false;
    const current = new Set((leaderView.meta_cluster!.replicas ?? []).filter((r) => r.current && !r.offline).map((r) => r.name));
    return running.every((n) => n.name === leaderView.meta_cluster!.leader || current.has(n.name));
  };

  const waitFor = async (what: string, ok: () => Promise<boolean>, timeoutMs: number) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (await ok()) return;
      const dead = nodes.find((n) => !n.running && !killed.has(n.name));
      if (dead) throw new Error(`nats-server ${dead.name} exited while waiting for ${what}:\n${logs.get(dead.name) ?? ''}`);
      if (Date.now() > deadline) throw new Error(`NATS cluster: ${what} not reached in ${timeoutMs} ms:\n${nodes.map((n) => `--- ${n.name}\n${(logs.get(n.name) ?? '').slice(-3000)}`).join('\n')}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };

  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await Promise.all([...procs.values()].map(async (p) => {
      if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
      await p.exited;
    }));
    watchdog.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  };

  try {
    for (const node of nodes) launch(node);
    await waitFor('a formed cluster with a JetStream meta leader', formed, opts.timeoutMs ?? 20_000);
  } catch (err) {
    await stop();
    throw err;
  }

  const streamLeader = async (stream: string): Promise<string | null> => {
    // Any running node's monitoring port reports the stream's raft group as its meta layer knows it.
    for (const node of nodes.filter((n) => n.running)) {
      const view = await jsz(node, '?accounts=true&streams=true');
      if (!view) continue;
      for (const account of view.account_details ?? []) {
        for (const s of account.stream_detail ?? []) if (s.name === stream && s.cluster?.leader) return s.cluster.leader;
      }
    }
    return null;
  };

  return {
    urls: nodes.map((n) => n.url).join(','),
    nodes, dir,
    pids: () => nodes.filter((n) => n.running).map((n) => procs.get(n.name)!.child.pid!),
    async kill(ref, signal = 'SIGTERM') {
      const node = nodeOf(ref);
      const proc = procs.get(node.name);
      if (!proc || !node.running) return;
      killed.add(node.name);
      proc.child.kill(signal);
      await proc.exited;
    },
    async restart(ref) {
      const node = nodeOf(ref);
      if (node.running) throw new Error(`NATS node ${node.name} is running; kill it first`);
      killed.delete(node.name);
      launch(node);
      await waitFor(`${node.name} back in the meta group`, formed, opts.timeoutMs ?? 20_000);
    },
    streamLeader,
    async waitForStreamLeader(stream, { not, timeoutMs = 15_000 } = {}) {
      let leader: string | null = null;
      // A killed leader lingers in the others' view until they notice; only a running node counts.
      await waitFor(`a leader for stream ${stream}${not ? ` other than ${not}` : ''}`, async () => {
        leader = await streamLeader(stream);
        return leader !== null && leader !== not && nodes.some((n) => n.name === leader && n.running);
      }, timeoutMs);
      return leader!;
    },
    log: (ref) => logs.get(nodeOf(ref).name) ?? '',
    stop,
  };
}

/** Kills the nodes (pids in <dir>/*.pid) and removes the dir once this process is gone, however it went. */
function startWatchdog(dir: string): ChildProcess {
  const script = `while kill -0 ${process.pid} 2>/dev/null && [ -d "$1" ]; do sleep 1; done; `
    + 'for f in "$1"/*.pid; do [ -f "$f" ] && kill -9 "$(cat "$f")" 2>/dev/null; done; rm -rf "$1"';
  const child = spawn('sh', ['-c', script, 'nats-watchdog', dir], { detached: true, stdio: 'ignore' });
  child.unref();
  return child;
}

interface Jsz {
  meta_cluster?: { name?: string; leader?: string; cluster_size?: number; replicas?: { name: string; current: boolean; offline?: boolean; active: number }[] };
  account_details?: { name: string; stream_detail?: { name: string; cluster?: { leader?: string; replicas?: { name: string; current: boolean }[] } }[] }[];
}
