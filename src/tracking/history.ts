// The position-history writer the composition root builds: on the server's SQLite file, batches go
// to a worker thread with its own connection (history-worker.ts), so the inserts never run on the
// event loop; elsewhere (PostgreSQL, whose inserts are async I/O already, an in-memory file, the
// short-lived commands and most tests) they are written on the main connection, as before.
import type { Storage } from '../storage/index.js';
import type { Fix } from './domain/fix.js';
import { HistoryWorkerGone, startHistoryWorker } from './history-worker.js';
import { POSITION_INSERT_SQL, positionValues, type TrackingStore } from './storage.js';
import { BatchWriter } from './writer.js';

export interface HistoryWriterOptions {
  /** Use the worker (default: on SQLite with background workers, i.e. the server's storage). */
  worker?: boolean;
  /** Rows per worker transaction at most (see history-worker.ts). */
  chunkRows?: number;
  /** Rows a batch holds before it is written (default 10,000) or, with the worker, handed over
   * (default 500: each hand-over is copied on the event loop, so a few hundred at most). */
  batchRows?: number;
  /** A batch is written (or handed over) at most this long after its first position (default 1 s; with the worker 250 ms). */
  intervalMs?: number;
}

export function historyWriter(storage: Storage, store: TrackingStore, onError: (err: unknown) => void, opts: HistoryWriterOptions = {}): BatchWriter {
  const file = storage.sqlite;
  const useWorker = opts.worker ?? (file !== undefined && !file.memory && storage.checkpointer !== undefined);
  if (!file || file.memory || !useWorker) {
    return new BatchWriter((fixes) => store.insertPositions(fixes), { intervalMs: opts.intervalMs ?? 1000, maxBatch: opts.batchRows ?? 10_000, onError });
  }
  // Handed over often (each copy is short), committed by the worker in larger chunks (fewer pages rewritten per row).
  const intervalMs = opts.intervalMs ?? 250;
  const worker = startHistoryWorker(file.name, POSITION_INSERT_SQL, {
    walAutocheckpoint: file.pragma('wal_autocheckpoint', { simple: true }) as number,
    ...(opts.chunkRows ? { chunkRows: opts.chunkRows } : {}),
    // The hand-overs come every intervalMs at least: together at most ~1 s from push to the file, as before.
    maxDelayMs: Math.max(0, 1000 - intervalMs),
  });
  let reported = false;
  let closing = false;
  const write = async (fixes: readonly Fix[], urgent: boolean): Promise<void> => {
    try {
      await worker.write(fixes.map(positionValues), urgent);
    } catch (err) {
      if (!(err instanceof HistoryWorkerGone)) throw err;
      // The worker died (or could not open the file): its rows are written here, as before it existed.
      if (!reported && worker.alive === false && !closing) { reported = true; onError(err.cause ?? err); }
      await store.insertPositions(fixes);
    }
  };
  const writer = new BatchWriter(write, { intervalMs, maxBatch: opts.batchRows ?? 500, onError, pipelined: true });
  // The worker's connection closes before the main one (the composition root has flushed by then;
  // flushing again here keeps a caller that only closes the storage from losing rows).
  const close = storage.close;
  storage.close = async () => {
    closing = true;
    await writer.flush();
    await worker.stop();
    // Rows the worker handed back at its stop are written here before the main connection closes.
    await writer.flush();
    await close();
  };
  return writer;
}
