// `npm test`: installs if needed, builds the web pages the browser tests open, type-checks, lints,
// runs every Vitest suite, and ends with one plain summary line ("N passed, N failed, N skipped").
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureInstalled, ensureWebBuilt, root } from './ensure.mjs';

ensureInstalled();
ensureWebBuilt();

const run = (cmd, args) => spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1' } }).status ?? 1;

console.log('• Type-checking…');
if (run('npx', ['tsc', '-p', 'tsconfig.json', '--noEmit']) !== 0 || run('npx', ['tsc', '-p', 'web/tsconfig.json', '--noEmit']) !== 0) {
  console.error('0 passed, 1 failed');
  process.exit(1);
}
// Lint only (correctness rules, .oxlintrc.json); formatting is `npm run format`, run when asked.
console.log('• Linting…');
if (run('npx', ['oxlint']) !== 0) {
  console.error('0 passed, 1 failed');
  process.exit(1);
}

const report = join(mkdtempSync(join(tmpdir(), 'cuadrante-vitest-')), 'report.json');
const status = run('npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...process.argv.slice(2)]);
if (existsSync(report)) {
  const r = JSON.parse(readFileSync(report, 'utf8'));
  const skipped = (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
  console.log(`\n${r.numPassedTests} passed, ${r.numFailedTests} failed, ${skipped} skipped`);
}
process.exit(status);
