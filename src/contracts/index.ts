// The API contract, one file per context: a TypeBox schema (and its type, of the same name) for
// every response body and WebSocket message, beside the request schemas. Routes declare these as
// their response schemas, so Fastify's serializer sends only what is listed; the pages import the
// types (type-only: nothing here reaches a bundle). Files here import nothing but typebox.
export * from './common.js';
export * from './accounts.js';
export * from './audit.js';
export * from './dispatch.js';
export * from './extortion.js';
export * from './family.js';
export * from './health.js';
export * from './quadrants.js';
export * from './realtime.js';
export * from './tracking.js';
