export * from './types.js';
export * from './clock.js';
export * from './errors.js';
export * from './phone.js';
export * from './network.js';
