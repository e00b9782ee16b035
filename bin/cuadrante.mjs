#!/usr/bin/env node
// The CLI entry: builds the server code first if it is missing or stale, then runs it.
import { ensureInstalled, ensureServerBuilt } from '../scripts/ensure.mjs';

ensureInstalled();
ensureServerBuilt();
const { cli } = await import('../dist/cli/main.js');
await cli(process.argv.slice(2));
