// Business rules the server and the pages share, one implementation each (issue 10 §2). Pure and
// browser-safe: nothing here imports Node, a framework or a driver, and nothing runs at import time,
// so a page that needs one rule does not carry the others (libphonenumber's metadata included).
export * from './phone.js';
export * from './phone-format.js';
export * from './alert-status.js';
export * from './roles.js';
export * from './duress.js';
export * from './lifecycle.js';
