// `npm start`: install, build what is stale, then run the server in this process's place.
import { spawn } from 'node:child_process';
import { ensureInstalled, ensureServerBuilt, ensureWebBuilt, root } from './ensure.mjs';

ensureInstalled();
ensureServerBuilt();
ensureWebBuilt();

const child = spawn(process.execPath, ['--enable-source-maps', 'dist/main.js', ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
