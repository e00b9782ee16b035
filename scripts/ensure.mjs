// Install and build only what is missing or stale, so `npm start` works on a fresh clone and a
// second start is quick. Plain Node: this runs before any dependency is installed.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const p = (...parts) => join(root, ...parts);

function newestMtime(paths) {
  let newest = 0;
  const visit = (path) => {
    if (!existsSync(path)) return;
    const st = statSync(path);
    if (st.isDirectory()) {
      for (const entry of readdirSync(path)) if (entry !== 'dist' && entry !== 'node_modules') visit(join(path, entry));
    } else newest = Math.max(newest, st.mtimeMs);
  };
  paths.forEach(visit);
  return newest;
}

function stale(stamp, inputs) {
  return !existsSync(stamp) || statSync(stamp).mtimeMs < newestMtime(inputs);
}

function run(cmd, args) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1' } });
  if (r.status !== 0) {
    console.error(`\n✗ ${cmd} ${args.join(' ')} failed (exit ${r.status})`);
    process.exit(r.status ?? 1);
  }
}

function touch(stamp) {
  mkdirSync(dirname(stamp), { recursive: true });
  writeFileSync(stamp, new Date().toISOString());
}

export function ensureInstalled() {
  const marker = p('node_modules', '.package-lock.json');
  if (!existsSync(marker) || statSync(marker).mtimeMs < statSync(p('package-lock.json')).mtimeMs) {
    console.log('• Installing dependencies (first run; compiling the SQLite driver takes a minute)…');
    run('npm', ['install', '--no-audit', '--no-fund']);
  }
}

export function ensureServerBuilt() {
  const stamp = p('dist', '.build-stamp');
  if (stale(stamp, [p('src'), p('tsconfig.json'), p('tsconfig.build.json'), p('package-lock.json')])) {
    console.log('• Building the server…');
    run('npm', ['run', '--silent', 'build:server']);
    touch(stamp);
  }
}

export function ensureWebBuilt() {
  const stamp = p('web', 'dist', '.build-stamp');
  if (stale(stamp, [p('web'), p('package-lock.json')])) {
    console.log('• Building the web pages…');
    run('npm', ['run', '--silent', 'build:web']);
    touch(stamp);
  }
}
