// Composition root, part 2: the running process as an ordered list of parts. Each part starts
// after the ones before it and stops before them; a failed start stops what had started, so a
// refused port (EADDRINUSE) leaves no timer or connection behind.
//
// The server's order (src/server.ts):
//   start: data-directory lock → storage → event bus (the others' changes, position relay) → bus watch
//          → data (seed, quadrants, units, trackers, reputations, keys) → deadline scheduler
//          → 911 sender → SMS sender → retention → data sync → realtime hub → OsmAnd port → HTTP
//   stop:  HTTP (stop accepting, answer what is in flight, close sockets) → OsmAnd port → hub →
//          sync → retention → SMS sender → 911 sender → scheduler → bus watch → event bus (last
//          positions, relay) → flush buffered writes → storage → lock

export interface Part {
  name: string;
  start?: () => void | Promise<void>;
  stop?: () => void | Promise<void>;
}

export class Lifecycle {
  private started: Part[] = [];
  private stopping: Promise<void> | null = null;

  constructor(private parts: readonly Part[], private onStopError: (part: string, err: unknown) => void = () => undefined) {}

  /** Starts every part in order; on a failure, stops those already started (in reverse) and rethrows. */
  async start(): Promise<void> {
    for (const part of this.parts) {
      try {
        await part.start?.();
      } catch (err) {
        await this.stop();
        throw err;
      }
      this.started.push(part);
    }
  }

  /** Stops the started parts in reverse order; one part's failure never keeps the next from stopping. */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      for (const part of this.started.splice(0).reverse()) {
        try { await part.stop?.(); } catch (err) { this.onStopError(part.name, err); }
      }
    })();
    return this.stopping;
  }

  /** Names in the order they started (for tests and the log). */
  get running(): string[] { return this.started.map((p) => p.name); }
}
