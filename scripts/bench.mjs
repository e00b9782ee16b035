// `npm run bench [-- <filter>…]`: runs each benchmark file through tsx, one after another, each
// in its own process so one's JIT state and memory do not colour the next. A filter keeps the
// benchmarks whose name contains it (`npm run bench -- http`). Benchmarks report, they do not
// assert: a slow figure never fails the run, a crash (non-zero exit) does.
// Plain Node on purpose: no TypeScript here.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

const BENCHES = [
  { name: 'geo', file: 'bench/geo.bench.ts', about: 'point → quadrant index against the alternatives' },
  { name: 'http', file: 'bench/http.bench.ts', about: 'GET /api/v1/locate against GET /health on a real server' },
  { name: 'alerts', file: 'bench/alerts.bench.ts', about: 'POST /api/v1/alerts → unit WebSocket page, 1,000 sockets, beside GET /health' },
  { name: 'nearest', file: 'bench/nearest.bench.ts', about: 'k nearest available units: UnitPositionIndex against the linear scan, 5,000 units; upsert moves/s' },
  { name: 'tracking', file: 'bench/tracking.bench.ts', about: 'positions/s through POST /api/v1/positions/batch and one-position OsmAnd requests (persisted), beside GET /health' },
  { name: 'numbers', file: 'bench/numbers.bench.ts', about: 'phone normalisation of messy pasted inputs against libphonenumber-js called directly; sha256Prefix/s' },
  { name: 'reputation', file: 'bench/reputation.bench.ts', about: 'recomputeAll over 1 M seeded reports on ~100k numbers; ReputationIndex.get against a plain Map; range() against a hash scan' },
  { name: 'lookup', file: 'bench/lookup.bench.ts', about: 'GET /api/v1/numbers and the k-anonymous range query over HTTP against GET /health' },
  { name: 'handoff', file: 'bench/handoff.bench.ts', about: 'escalation → 911/C5 receiver at 40/s (healthy, slow, 5 % silent) against the old one-at-a-time sender' },
  { name: 'login', file: 'bench/login.bench.ts', about: 'GET /api/v1/locate p99 and a dispatcher\'s sign-in while 20 attackers guess passwords (one network; a spray from everywhere)' },
  { name: 'cluster', file: 'bench/cluster.bench.ts', about: 'two instances on PostgreSQL + NATS: alert on A → page on B at 200/s beside within A; SIGKILL failover; alerts/s 1 vs 2 instances; relay vs bare publish' },
];

const args = process.argv.slice(2);
if (args.includes('--help') || args.includes('-h') || args.includes('--list')) {
  console.log('Usage: npm run bench [-- <filter>…]\n\nBenchmarks:');
  for (const b of BENCHES) console.log(`  ${b.name.padEnd(6)} ${b.file.padEnd(22)} ${b.about}`);
  process.exit(0);
}
const filters = args.filter((a) => !a.startsWith('-')).map((a) => a.toLowerCase());
const selected = filters.length === 0 ? BENCHES : BENCHES.filter((b) => filters.some((f) => b.name.includes(f) || b.file.includes(f)));
if (selected.length === 0) {
  console.error(`No benchmark matches ${filters.map((f) => `"${f}"`).join(', ')}. Available: ${BENCHES.map((b) => b.name).join(', ')}.`);
  process.exit(2);
}

const results = [];
for (const bench of selected) {
  const path = join(root, bench.file);
  if (!existsSync(path)) {
    console.log(`\n• ${bench.name}: skipped — ${bench.file} does not exist yet`);
    results.push({ bench, status: 'skipped' });
    continue;
  }
  console.log(`\n• ${bench.name}: ${bench.file}`);
  const started = Date.now();
  const r = spawnSync(process.execPath, ['--import', 'tsx', bench.file], { cwd: root, stdio: 'inherit' });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (r.error) results.push({ bench, status: 'failed', detail: r.error.message, seconds });
  else if (r.status !== 0) results.push({ bench, status: 'failed', detail: r.signal ? `killed by ${r.signal}` : `exit code ${r.status}`, seconds });
  else results.push({ bench, status: 'ok', seconds });
  if (r.signal === 'SIGINT') break;
}

console.log('\nBenchmarks:');
for (const { bench, status, detail, seconds } of results) {
  const mark = status === 'ok' ? '✓' : status === 'skipped' ? '–' : '✗';
  console.log(`  ${mark} ${bench.name.padEnd(6)} ${status}${seconds ? ` in ${seconds} s` : ''}${detail ? ` (${detail})` : ''}`);
}
process.exit(results.some((r) => r.status === 'failed') ? 1 : 0);
