// WAL checkpoints off the event loop. better-sqlite3 is synchronous: when a commit crosses
// wal_autocheckpoint, that commit copies the WAL into the database file and fsyncs it on the
// main thread — measured here at 50–100 ms, during which no alert is accepted and no page is sent.
// Instead the main connection never checkpoints by itself (autocheckpoint only as a far-off safety
// net) and a worker thread with its own connection to the same file runs PASSIVE checkpoints
// every interval. PASSIVE never waits for, nor blocks, the main connection's readers and writers;
// once a checkpoint has copied the whole WAL, the next commit starts the WAL from its beginning,
// so the file stays small.
import { Worker } from 'node:worker_threads';
import { createRequire } from 'node:module';

/** What the worker runs (plain CommonJS: no TypeScript loader needed in tests or in dist). */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const SQLite = require(workerData.driver);
const db = new SQLite(workerData.file);
db.pragma('busy_timeout = 1000');
// Synchronous: a 'now' message is only read once the running checkpoint has returned.
function checkpoint(mode, asked) {
  try {
    const r = db.pragma('wal_checkpoint(' + mode + ')')[0];
    // Only an asked-for result goes back: the main thread has no use for the timed ones.
    if (asked) parentPort.postMessage({ type: 'checkpoint', mode, busy: r.busy, log: r.log, checkpointed: r.checkpointed });
  } catch (err) {
    parentPort.postMessage({ type: 'error', asked, message: String(err && err.message || err) });
  }
}
const timer = setInterval(() => checkpoint('PASSIVE', false), workerData.intervalMs);
parentPort.on('message', (msg) => {
  if (msg === 'now') checkpoint('PASSIVE', true);
  else if (msg === 'stop') { clearInterval(timer); try { db.close(); } finally { parentPort.postMessage({ type: 'stopped' }); } }
});
parentPort.postMessage({ type: 'ready' });
`;

export interface CheckpointResult { mode: string; busy: number; log: number; checkpointed: number }

export interface WalCheckpointer {
  /** Resolves once the worker has opened the file. */
  ready: Promise<void>;
  /** Asks for a checkpoint now; resolves with its result. */
  checkpointNow(): Promise<CheckpointResult>;
  stop(): Promise<void>;
}

export interface CheckpointerOptions {
  intervalMs?: number;
  onError?: (message: string) => void;
}

export function startWalCheckpointer(file: string, opts: CheckpointerOptions = {}): WalCheckpointer {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { file, driver, intervalMs: opts.intervalMs ?? 1000 } });
  // A background helper must never keep the process alive on its own.
  worker.unref();
  /** checkpointNow() calls not yet answered, in the order asked (the worker answers in order). */
  const waiting: { ok: (r: CheckpointResult) => void; fail: (err: Error) => void }[] = [];
  let onStopped: (() => void) | null = null;
  let readyOk!: () => void;
  let readyFail!: (err: Error) => void;
  const ready = new Promise<void>((ok, fail) => { readyOk = ok; readyFail = fail; });
  worker.on('message', (msg: { type: string; asked?: boolean; message?: string } & CheckpointResult) => {
    if (msg.type === 'ready') readyOk();
    else if (msg.type === 'checkpoint') waiting.shift()?.ok({ mode: msg.mode, busy: msg.busy, log: msg.log, checkpointed: msg.checkpointed });
    else if (msg.type === 'error') {
      const message = msg.message ?? 'checkpoint failed';
      if (msg.asked) waiting.shift()?.fail(new Error(message));
      opts.onError?.(message);
    }
    else if (msg.type === 'stopped') onStopped?.();
  });
  worker.on('error', (err) => { readyFail(err); opts.onError?.(String(err)); });
  let stopping: Promise<void> | null = null;
  return {
    ready,
    checkpointNow: () => new Promise<CheckpointResult>((ok, fail) => { waiting.push({ ok, fail }); worker.postMessage('now'); }),
    stop: () => (stopping ??= new Promise<void>((ok) => {
      const done = () => { void worker.terminate().then(() => ok(), () => ok()); };
      onStopped = done;
      worker.once('exit', () => ok());
      worker.postMessage('stop');
      // A worker stuck in a checkpoint still goes: terminate after a grace period.
      setTimeout(done, 2000).unref();
    })),
  };
}
