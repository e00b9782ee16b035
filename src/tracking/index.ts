// Public face of the tracking context.
export { TrackingService, type UnitPositionView, type IngestResult } from './service.js';
export { TrackingStore, type Tracker } from './storage.js';
export { BatchWriter } from './writer.js';
export { TrackingBus } from './events.js';
export { createOsmAndServer, type OsmAndServer } from './osmand-http.js';
export { TrackerSweepGuard, type SweepNotice } from './sweeps.js';
export { osrmRouter, etaSeconds } from './domain/eta.js';
export type { Fix } from './domain/fix.js';
export type { GeofenceEvent } from './domain/geofence.js';
