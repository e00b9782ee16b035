import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // web/src tests run in Node too: the pages' stores and realtime controller need no browser.
    include: ['src/**/*.test.ts', 'tests/**/*.test.ts', 'web/src/**/*.test.ts'],
    environment: 'node',
    testTimeout: 20_000,
    hookTimeout: 60_000,
    // Two cores: the browser and PostgreSQL suites are heavy, so keep parallelism modest.
    maxWorkers: 2,
  },
});
