// Public face of the tracking context.
export { TrackingService, type IngestResult, type RaiseOfficerAlarm, type TrackingOptions } from './service.js';
export { TrackingStore, type Tracker } from './storage.js';
export { BatchWriter } from './writer.js';
export { historyWriter, type HistoryWriterOptions } from './history.js';
export { DEFAULT_PIPELINE } from './domain/pipeline.js';
export { TrackingBus } from './events.js';
export { createOsmAndServer, type OsmAndServer } from './osmand-http.js';
export { TrackerSweepGuard, sweepRecorder, type SweepNotice } from './sweeps.js';
export type { Fix } from './domain/fix.js';
export type { GeofenceEvent } from './domain/geofence.js';
export { TrackingRetention } from './retention.js';
