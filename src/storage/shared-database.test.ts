// Several Cuadrante schemas in one PostgreSQL database (two cities, or parallel test runs): one
// starting up must not fail because another is dropped at the same moment. Kysely's own
// introspector read every schema and failed with `relation "<other>.sectors" does not exist`.
import { afterAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openStorage } from './database.js';
import { postgresUnavailable, postgresUrl } from '../../tests/support/engines.js';

const reason = await postgresUnavailable();
if (reason) {
  if (process.env.CUADRANTE_REQUIRE_POSTGRES === '1') throw new Error(reason);
  console.warn(`⚠ skipping the shared-database test: ${reason}`);
}

const name = () => `t_shared_${randomBytes(5).toString('hex')}`;
const created: string[] = [];

async function dropAll(names: string[]): Promise<void> {
  const client = new pg.Client({ connectionString: postgresUrl });
  await client.connect();
  try {
    for (const n of names) await client.query(`drop schema if exists "${n}" cascade`);
  } finally {
    await client.end();
  }
}

afterAll(() => dropAll(created));

describe.skipIf(reason !== null)('one PostgreSQL database, several schemas', () => {
  it('opens and migrates a schema while other schemas are being created and dropped', async () => {
    // The churn: full Cuadrante schemas created and dropped in a loop, as a parallel test run does.
    let churning = true;
    const churnOnce = async () => {
      while (churning) {
        const other = name();
        created.push(other);
        const s = await openStorage({ databaseUrl: postgresUrl, dataDir: '/nonexistent', schema: other });
        await s.close();
        await dropAll([other]);
      }
    };
    const churn = [churnOnce(), churnOnce()];
    const failures: string[] = [];
    try {
      for (let i = 0; i < 12; i++) {
        const ours = name();
        created.push(ours);
        try {
          const s = await openStorage({ databaseUrl: postgresUrl, dataDir: '/nonexistent', schema: ours });
          // Migrated: the tables exist and answer.
          expect(await s.db.selectFrom('sectors').selectAll().execute()).toEqual([]);
          await s.close();
        } catch (err) {
          failures.push((err as Error).message);
        }
      }
    } finally {
      churning = false;
      await Promise.all(churn);
    }
    expect(failures).toEqual([]);
  }, 120_000);
});
