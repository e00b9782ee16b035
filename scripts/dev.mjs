// `npm run dev`: the server from src/ under `tsx watch` (restarts when a file it imports changes)
// and the Vite dev server for the pages (hot reload), which proxies /api — WebSocket included — to it.
// Ctrl-C stops both; if either exits, the other is stopped too.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { ensureInstalled, root } from './ensure.mjs';

ensureInstalled();

const bin = (name) => join(root, 'node_modules', '.bin', name);
const env = { ...process.env, CUADRANTE_MODE: process.env.CUADRANTE_MODE ?? 'development' };
const children = [
  spawn(bin('tsx'), ['watch', '--clear-screen=false', 'src/main.ts', ...process.argv.slice(2)], { cwd: root, stdio: 'inherit', env }),
  spawn(bin('vite'), ['--config', 'web/vite.config.ts'], { cwd: root, stdio: 'inherit', env }),
];
let stopping = false;
const stop = (code) => {
  if (stopping) return;
  stopping = true;
  for (const c of children) if (c.exitCode === null) c.kill('SIGTERM');
  process.exitCode = code;
};
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => stop(0));
for (const c of children) c.on('exit', (code) => stop(code ?? 1));
