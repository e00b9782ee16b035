// Persists positions in batches: a flush every `intervalMs` or as soon as `maxBatch` wait,
// whichever comes first. History is the only thing batched — the last known position is in
// memory at once, so dispatch never waits for the disk.
import type { Fix } from './domain/fix.js';

/** Writes one batch. `urgent`: a caller waits for it (flush()), not just the batch's size or age. */
export type WriteBatch = (fixes: readonly Fix[], urgent: boolean) => Promise<void>;

export interface BatchWriterOptions {
  intervalMs: number;
  maxBatch: number;
  onError: (err: unknown) => void;
  /**
   * Hand each batch to `write` at once instead of after the previous one has finished: for a
   * writer that keeps the order itself (the history worker's queue), so a batch is copied out
   * while it is small instead of piling up behind a slow one.
   */
  pipelined?: boolean;
  /** Positions handed to `write` and not yet written past which room() makes ingest wait (default 100,000). */
  maxUnwritten?: number;
}

export class BatchWriter {
  private buffer: Fix[] = [];
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> = Promise.resolve();
  /** Handed to `write`, not yet settled. */
  private unwritten = 0;
  private waitingForRoom: (() => void)[] = [];
  written = 0;

  constructor(
    private write: WriteBatch,
    private opts: BatchWriterOptions,
  ) {}

  push(fix: Fix): void {
    this.buffer.push(fix);
    if (this.buffer.length >= this.opts.maxBatch) void this.handOver(false);
    else if (!this.timer) {
      this.timer = setTimeout(() => { void this.handOver(false); }, this.opts.intervalMs);
      this.timer.unref();
    }
  }

  get pending(): number { return this.buffer.length; }

  /**
   * Resolves once fewer than maxUnwritten positions wait to be written; undefined (nothing to
   * wait for) almost always. A writer that falls behind slows ingest down instead of filling memory.
   */
  room(): Promise<void> | undefined {
    if (this.unwritten < (this.opts.maxUnwritten ?? 100_000)) return undefined;
    return new Promise<void>((ok) => this.waitingForRoom.push(ok));
  }

  /** Writes what is buffered now; resolves once it and every batch before it are written (in order). */
  flush(): Promise<void> {
    return this.handOver(true);
  }

  private handOver(urgent: boolean): Promise<void> {
    if (this.timer) { clearTimeout(this.timer); this.timer = null; }
    // A pipelined writer may still hold earlier batches back (waiting for more rows): a flush asks
    // for them with an empty urgent batch.
    if (this.buffer.length === 0 && !(urgent && this.opts.pipelined && this.unwritten > 0)) return this.flushing;
    const batch = this.buffer;
    this.buffer = [];
    this.unwritten += batch.length;
    const settle = (p: Promise<void>) => p.then(
      () => { this.written += batch.length; },
      (err: unknown) => this.opts.onError(err),
    ).finally(() => {
      this.unwritten -= batch.length;
      if (this.unwritten < (this.opts.maxUnwritten ?? 100_000)) for (const ok of this.waitingForRoom.splice(0)) ok();
    });
    if (this.opts.pipelined) {
      // Started now; its settling is attached at once, so a failure is never an unhandled rejection.
      const done = settle(this.write(batch, urgent));
      this.flushing = Promise.all([this.flushing, done]).then(() => {});
    } else {
      this.flushing = this.flushing.then(() => settle(this.write(batch, urgent)));
    }
    return this.flushing;
  }
}
