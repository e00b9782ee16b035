// The fleet's typed in-process events: a unit was created, edited or changed shift.
import { EventEmitter } from 'node:events';
import type { Unit } from './model.js';

export interface FleetEventMap {
  'unit.changed': [Unit];
}

export class FleetBus extends EventEmitter<FleetEventMap> {
  constructor() {
    super();
    this.setMaxListeners(0);
  }

  /** Subscribes; the returned function unsubscribes exactly this listener. */
  onUnitChanged(listener: (u: Unit) => void): () => void {
    this.on('unit.changed', listener);
    return () => { this.off('unit.changed', listener); };
  }
}
