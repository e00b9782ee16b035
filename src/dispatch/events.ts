// Typed in-process events of the dispatch context. The domain emits; the WebSocket hub (and,
// at scale, a NATS adapter) fans them out to whoever may see them.
import { EventEmitter } from 'node:events';
import type { Alert, AlertEvent } from './model.js';

export interface AlertChanged {
  alert: Alert;
  events: AlertEvent[];
  /** Units that were paged by this change (each appears at most once per alert, ever). */
  pagedUnitIds: string[];
}

export interface DispatchEventMap {
  'alert.changed': [AlertChanged];
}

export class DispatchBus extends EventEmitter<DispatchEventMap> {
  constructor() {
    super();
    this.setMaxListeners(0); // one listener per connected socket is expected
  }

  /** Subscribes; the returned function removes exactly this listener (never anyone else's). */
  onAlertChanged(listener: (c: AlertChanged) => void): () => void {
    this.on('alert.changed', listener);
    return () => { this.off('alert.changed', listener); };
  }
}
