// Public face of the extortion context.
export { ExtortionService, type ReportInput, type ReporterContext } from './service.js';
export { ExtortionStore, NUMBER_CHANGED } from './storage.js';
export { ApiKeyService, API_KEYS_CHANGED } from './api-keys.js';
export { ExtortionRetention } from './retention.js';
