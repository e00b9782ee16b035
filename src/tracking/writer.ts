// Persists positions in batches: a flush every `intervalMs` or as soon as `maxBatch` wait,
// whichever comes first. History is the only thing batched — the last known position is in
// memory at once, so dispatch never waits for the disk.
import type { Fix } from './domain/fix.js';

export class BatchWriter {
  private buffer: Fix[] = [];
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> = Promise.resolve();
  written = 0;

  constructor(
    private write: (fixes: readonly Fix[]) => Promise<void>,
    private opts: { intervalMs: number; maxBatch: number; onError: (err: unknown) => void },
  ) {}

  push(fix: Fix): void {
    this.buffer.push(fix);
    if (this.buffer.length >= this.opts.maxBatch) void this.flush();
    else if (!this.timer) {
      this.timer = setTimeout(() => { void this.flush(); }, this.opts.intervalMs);
      this.timer.unref();
    }
  }

  get pending(): number { return this.buffer.length; }

  /** Writes what is buffered now; batches are written one after another, in order. */
  flush(): Promise<void> {
    if (this.timer) { clearTimeout(this.timer); this.timer = null; }
    if (this.buffer.length === 0) return this.flushing;
    const batch = this.buffer;
    this.buffer = [];
    this.flushing = this.flushing.then(() => this.write(batch)).then(
      () => { this.written += batch.length; },
      (err: unknown) => this.opts.onError(err),
    );
    return this.flushing;
  }
}
