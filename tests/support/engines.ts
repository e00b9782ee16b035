// The storage engines every storage and HTTP suite runs against. SQLite always; PostgreSQL when
// reachable (each run in its own schema, dropped afterwards). Without PostgreSQL the suite is
// skipped with a printed reason — unless CUADRANTE_REQUIRE_POSTGRES=1 (CI), where it fails.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { defaultConfig, type Config } from '../../src/config/index.js';

export const postgresUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface EngineCase {
  name: 'sqlite' | 'postgres';
  /** A fresh, isolated database: config overrides plus a cleanup. */
  fresh(): Promise<{ config: Config; cleanup(): Promise<void> }>;
}

let pgAvailability: Promise<string | null> | null = null;

/** null when PostgreSQL answers; otherwise the reason it cannot be used. */
export function postgresUnavailable(): Promise<string | null> {
  pgAvailability ??= (async () => {
    const client = new pg.Client({ connectionString: postgresUrl, connectionTimeoutMillis: 3000 });
    try {
      await client.connect();
      await client.query('select 1');
      return null;
    } catch (err) {
      return `PostgreSQL not reachable at ${postgresUrl}: ${(err as Error).message}`;
    } finally {
      await client.end().catch(() => undefined);
    }
  })();
  return pgAvailability;
}

const baseConfig = (dataDir: string): Config => ({
  ...defaultConfig, dataDir, port: 0, osmandPort: 0, logLevel: 'silent', adminPassword: 'test-admin-password', syncIntervalMs: 200,
});

export const sqliteEngine: EngineCase = {
  name: 'sqlite',
  async fresh() {
    const dir = mkdtempSync(join(tmpdir(), 'cuadrante-test-'));
    return { config: baseConfig(dir), cleanup: async () => rmSync(dir, { recursive: true, force: true }) };
  },
};

export const postgresEngine: EngineCase = {
  name: 'postgres',
  async fresh() {
    const dir = mkdtempSync(join(tmpdir(), 'cuadrante-test-'));
    const schema = `t_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
    return {
      config: { ...baseConfig(dir), databaseUrl: postgresUrl, databaseSchema: schema },
      async cleanup() {
        const client = new pg.Client({ connectionString: postgresUrl });
        await client.connect();
        try { await client.query(`drop schema if exists "${schema}" cascade`); } finally { await client.end(); }
        rmSync(dir, { recursive: true, force: true });
      },
    };
  },
};

/**
 * Engines to run now. Call at the top of a test file (top-level await).
 * Prints why PostgreSQL is skipped; throws when CI requires it.
 */
export async function availableEngines(): Promise<EngineCase[]> {
  const reason = await postgresUnavailable();
  if (!reason) return [sqliteEngine, postgresEngine];
  if (process.env.CUADRANTE_REQUIRE_POSTGRES === '1') throw new Error(`${reason} (required: CUADRANTE_REQUIRE_POSTGRES=1)`);
  console.warn(`⚠ skipping the PostgreSQL variant: ${reason}`);
  return [sqliteEngine];
}
