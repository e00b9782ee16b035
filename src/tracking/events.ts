import { EventEmitter } from 'node:events';
import type { Fix } from './domain/fix.js';
import type { GeofenceEvent } from './domain/geofence.js';
import type { SweepNotice } from './sweeps.js';

export interface TrackingEventMap {
  'position': [Fix];
  'geofence': [GeofenceEvent];
  /** A source network swept tracker ids and is now throttled. */
  'sweep': [SweepNotice];
}

export class TrackingBus extends EventEmitter<TrackingEventMap> {
  constructor() {
    super();
    this.setMaxListeners(0);
  }

  /** Subscribes; the returned function removes exactly this listener (never anyone else's). */
  subscribe<K extends keyof TrackingEventMap>(event: K, listener: (...args: TrackingEventMap[K]) => void): () => void {
    this.on(event, listener as never);
    return () => { this.off(event, listener as never); };
  }
}
