import { EventEmitter } from 'node:events';
import type { Fix } from './domain/fix.js';
import type { GeofenceEvent } from './domain/geofence.js';

export interface TrackingEventMap {
  'position': [Fix];
  'geofence': [GeofenceEvent];
}

export class TrackingBus extends EventEmitter<TrackingEventMap> {
  constructor() {
    super();
    this.setMaxListeners(0);
  }
}
