// Shared benchmark helpers: rows and the table, a seeded PRNG, the server in a child process,
// HTTP load through raw-load.ts (node:net).
export * from './report.js';
export * from './prng.js';
export * from './server.js';
export * from './load.js';
