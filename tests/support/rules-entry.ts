// Entry of the bundle tests/browser/rules.test.ts loads into Chromium: the shared rules exactly as
// Vite bundles src/rules for the pages (libphonenumber's browser build included), on the page's global.
import * as rules from '../../src/rules/index.js';

(globalThis as { __rules?: typeof rules }).__rules = rules;
