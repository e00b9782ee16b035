// The real server in a child process — the only way to test what survives `kill -9`.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { freePort } from './net.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

export interface ChildServer { url: string; child: ChildProcess; output(): string; kill(signal: NodeJS.Signals): Promise<void> }

export async function spawnServer(env: Record<string, string>, port?: number): Promise<ChildServer> {
  const p = port ?? await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: root, stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, LOG_LEVEL: 'warn', HOST: '127.0.0.1', PORT: String(p), ...env },
  });
  let out = '';
  child.stdout!.on('data', (d) => { out = (out + String(d)).slice(-20_000); });
  child.stderr!.on('data', (d) => { out = (out + String(d)).slice(-20_000); });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const url = `http://127.0.0.1:${p}`;
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited (${child.exitCode}):\n${out}`);
    const ok = await fetch(`${url}/health`).then((r) => r.ok, () => false);
    if (ok) break;
    if (Date.now() > deadline) { child.kill('SIGKILL'); throw new Error(`server not ready in 90 s:\n${out}`); }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url, child, output: () => out,
    async kill(signal) { child.kill(signal); await exited; },
  };
}
