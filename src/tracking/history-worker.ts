// Position history written by a worker thread with its own connection to the SQLite file, so the
// inserts never run on the event loop: on the main connection a 10,000-row flush (~5 µs a row)
// stalled every request of the process (OsmAnd p99 20–60 ms against 5–18 ms for /health).
//
// The event loop hands rows over as arrays of column values (structured clone, a few hundred at a
// time, so no copy is long). The worker commits them in chunks of at most `chunkRows`: when that
// many wait, when the oldest has waited `maxDelayMs`, or at once when a flush() waits for them.
// Chunks are large because with many units nearly every row of a small chunk dirties another index
// page (500-row commits cost ~2× the CPU per row of 10,000-row ones). The thread runs at a lower
// priority (nice 10), so on a busy machine the event loop gets the core first.
//
// Two writing connections share SQLite's one write lock. A main-thread write that finds a chunk in
// progress waits for it in busy_timeout (a blocking wait, a few ms); with a backlog the worker
// pauses between chunks so such a write finds the lock free. The main connection begins every
// transaction IMMEDIATE (src/storage/database.ts), so none fails with SQLITE_BUSY_SNAPSHOT for
// having read before the worker's commit. The worker never gives rows up for a busy lock: it waits
// and tries again. Should it die, the rows it had not confirmed are handed back (HistoryWorkerGone)
// and written on the main connection, as before this worker existed.
import { Worker } from 'node:worker_threads';
import { createRequire } from 'node:module';

/** What the worker runs (plain CommonJS, like the WAL checkpointer: no TypeScript loader in the thread). */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const SQLite = require(workerData.driver);
// When the event loop and this thread both want a core, the event loop comes first: history can
// wait, a request cannot. Linux lets a thread lower its own priority (nice) by its thread id.
try {
  const tid = Number(require('node:fs').readlinkSync('/proc/thread-self').split('/').pop());
  if (tid > 0) require('node:os').setPriority(tid, workerData.nice);
} catch { /* elsewhere: the default priority */ }
const db = new SQLite(workerData.file);
db.pragma('busy_timeout = ' + workerData.busyTimeoutMs);
// Per connection, not per file: the same durability and checkpoint policy as the main connection.
db.pragma('synchronous = NORMAL');
db.pragma('wal_autocheckpoint = ' + workerData.walAutocheckpoint);
// The rows of ~1,000 units land on ~1,000 different index pages: keep them all in cache (16 MB).
db.pragma('cache_size = -16384');
const insert = db.prepare(workerData.sql);
const insertAll = db.transaction((rows) => { for (const r of rows) insert.run(r); });
/** Hand-overs not yet committed, in order: { id, rows, done (rows of it committed), at (arrival) }. */
const queue = [];
let queued = 0;
/** Hand-overs up to this id are wanted now (a flush() waits for them). */
let urgentId = 0;
let timer = null;
let timerAt = Infinity;
function schedule(delayMs) {
  const at = performance.now() + delayMs;
  if (timer !== null && timerAt <= at) return;
  if (timer !== null) clearTimeout(timer);
  timerAt = at;
  timer = setTimeout(() => { timer = null; timerAt = Infinity; drain(); }, delayMs);
}
/** A commit is due: a chunk's worth is waiting, someone waits for the rows, or the oldest waited long enough. */
function due() {
  if (queue.length === 0) return false;
  return queued >= workerData.chunkRows || urgentId >= queue[0].id || performance.now() - queue[0].at >= workerData.maxDelayMs;
}
/** One transaction of up to chunkRows rows from the head of the queue. Returns false when the lock stayed busy. */
function commitChunk() {
  const chunk = [];
  const spans = [];
  for (const h of queue) {
    const take = Math.min(h.rows.length - h.done, workerData.chunkRows - chunk.length);
    for (let i = h.done; i < h.done + take; i++) chunk.push(h.rows[i]);
    spans.push([h, take]);
    if (chunk.length >= workerData.chunkRows) break;
  }
  try {
    if (chunk.length > 0) insertAll.immediate(chunk);
  } catch (err) {
    if (err && (err.code === 'SQLITE_BUSY' || err.code === 'SQLITE_LOCKED')) return false;
    // Not the lock: these rows cannot be written (as on the main connection, the hand-overs in
    // this transaction are lost and reported).
    const failed = new Set(spans.map(([h]) => h));
    for (const h of failed) { queued -= h.rows.length - h.done; queue.splice(queue.indexOf(h), 1); }
    parentPort.postMessage({ type: 'failed', ids: [...failed].map((h) => h.id), message: String(err && err.message || err) });
    return true;
  }
  queued -= chunk.length;
  const ids = [];
  for (const [h, take] of spans) h.done += take;
  while (queue.length > 0 && queue[0].done === queue[0].rows.length) ids.push(queue.shift().id);
  if (ids.length > 0) parentPort.postMessage({ type: 'written', ids });
  return true;
}
function drain() {
  if (!due()) { if (queue.length > 0) schedule(queue[0].at + workerData.maxDelayMs - performance.now()); return; }
  const started = performance.now();
  // Busy past busy_timeout (a long main-thread transaction): keep the rows, try again.
  if (!commitChunk()) { schedule(100); return; }
  // More due at once (a backlog): pause half as long as the chunk took, so the worker holds the
  // lock two thirds of the time at most and a main-thread write waiting in busy_timeout (retries
  // after 1, 3, 8, 18 ms…) finds it free within about one chunk.
  if (due()) schedule(Math.max(1, Math.round((performance.now() - started) / 2)));
  else if (queue.length > 0) schedule(queue[0].at + workerData.maxDelayMs - performance.now());
}
parentPort.on('message', (msg) => {
  if (msg.type === 'rows') {
    queue.push({ id: msg.id, rows: msg.rows, done: 0, at: performance.now() });
    queued += msg.rows.length;
    if (msg.urgent) urgentId = msg.id;
    if (due()) schedule(0);
    else schedule(workerData.maxDelayMs);
  } else if (msg.type === 'stop') {
    if (timer !== null) clearTimeout(timer);
    // Everything handed over before stop is written before the connection closes.
    while (queue.length > 0) if (!commitChunk()) break;
    const left = queue.map((h) => h.id);
    try { db.close(); } finally { parentPort.postMessage({ type: 'stopped', left }); }
  }
});
parentPort.postMessage({ type: 'ready' });
`;

export type HistoryRow = readonly unknown[];

/** The worker is gone (it crashed, could not open the file, or stopped with rows unwritten): the
 * rows of this write were not committed by it, and are the caller's to write. */
export class HistoryWorkerGone extends Error {
  constructor(message: string, options?: { cause?: unknown }) { super(message, options); this.name = 'HistoryWorkerGone'; }
}

export interface HistoryWorkerOptions {
  /** Rows per worker transaction at most (default 2,000: ~10 ms of holding the write lock). */
  chunkRows?: number;
  /** A commit waits at most this long for a chunk's worth of rows (default 750 ms; a flush does not wait). */
  maxDelayMs?: number;
  /** How long the worker's connection waits for the lock before it tries again later (ms). */
  busyTimeoutMs?: number;
  /** The main connection's wal_autocheckpoint, which the worker's connection keeps too. */
  walAutocheckpoint?: number;
}

export interface HistoryWorker {
  /** Resolves once the worker has opened the file; rejects if it could not. */
  readonly ready: Promise<void>;
  /**
   * Hands rows over (copied now); resolves once they are committed — at once if `urgent` (these and
   * every row before them), else when a chunk's worth is waiting or after maxDelayMs. Rejects with
   * HistoryWorkerGone when the worker will not commit them, or with the error that made the
   * transaction fail (as a failed insert on the main connection would).
   */
  write(rows: HistoryRow[], urgent?: boolean): Promise<void>;
  /** Whether write() still goes to the worker (false once it died or stopped). */
  readonly alive: boolean;
  /** Writes what was handed over, then closes the worker's connection. */
  stop(): Promise<void>;
}

interface Pending { ok: () => void; fail: (err: unknown) => void }

export function startHistoryWorker(file: string, sql: string, opts: HistoryWorkerOptions = {}): HistoryWorker {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: { file, driver, sql, chunkRows: opts.chunkRows ?? 2000, maxDelayMs: opts.maxDelayMs ?? 750, nice: 10, busyTimeoutMs: opts.busyTimeoutMs ?? 10_000, walAutocheckpoint: opts.walAutocheckpoint ?? 1000 },
  });
  // A background helper must never keep the process alive on its own.
  worker.unref();
  const pending = new Map<number, Pending>();
  let nextId = 1;
  let alive = true;
  let readyOk!: () => void;
  let readyFail!: (err: Error) => void;
  const ready = new Promise<void>((ok, fail) => { readyOk = ok; readyFail = fail; });
  ready.catch(() => {}); // also reported through write()
  let onStopped: ((left: number[]) => void) | null = null;

  /** The worker is gone: whatever it had not confirmed goes back to the callers. */
  const lose = (cause: unknown) => {
    if (!alive) return;
    alive = false;
    readyFail(cause instanceof Error ? cause : new Error(String(cause)));
    const gone = new HistoryWorkerGone('position history worker is gone', { cause });
    for (const p of pending.values()) p.fail(gone);
    pending.clear();
  };

  worker.on('message', (msg: { type: string; ids?: number[]; left?: number[]; message?: string }) => {
    if (msg.type === 'ready') readyOk();
    else if (msg.type === 'written') for (const id of msg.ids!) { pending.get(id)?.ok(); pending.delete(id); }
    else if (msg.type === 'failed') {
      for (const id of msg.ids!) { pending.get(id)?.fail(new Error(`position history: ${msg.message}`)); pending.delete(id); }
    } else if (msg.type === 'stopped') onStopped?.(msg.left ?? []);
  });
  worker.on('error', (err) => lose(err));
  worker.on('exit', (code) => lose(new Error(`position history worker exited (code ${code})`)));

  let stopping: Promise<void> | null = null;
  return {
    ready,
    get alive() { return alive; },
    write(rows, urgent = false) {
      if (rows.length === 0 && !urgent) return Promise.resolve();
      if (!alive) return Promise.reject(new HistoryWorkerGone('position history worker is not running'));
      const id = nextId++;
      return new Promise<void>((ok, fail) => {
        pending.set(id, { ok, fail });
        worker.postMessage({ type: 'rows', id, rows, urgent });
      });
    },
    stop: () => (stopping ??= new Promise<void>((done) => {
      if (!alive) { done(); return; }
      // A worker stuck (a lock never released) still goes; what it had not confirmed is handed back.
      const timer = setTimeout(() => {
        onStopped = null;
        lose(new Error('position history worker did not stop in time'));
        void worker.terminate().finally(done);
      }, 15_000);
      timer.unref();
      onStopped = (left) => {
        clearTimeout(timer);
        // Rows the worker could not write before closing (the lock stayed busy) are handed back.
        const gone = new HistoryWorkerGone('position history worker stopped with rows unwritten');
        for (const id of left) { pending.get(id)?.fail(gone); pending.delete(id); }
        lose(new Error('position history worker stopped'));
        void worker.terminate().finally(done);
      };
      worker.postMessage({ type: 'stop' });
    })),
  };
}
