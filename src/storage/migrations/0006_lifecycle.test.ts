// Migration 0006 on both engines: rows written before it (where status, stage and escalated_at could
// disagree about an escalation) come out with escalated_at the one record of it, `ring` for how far
// paging got, `last_seq` from the event log and frozen citizen views carrying version and seq.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Migrator, type Kysely } from 'kysely';
import { availableEngines } from '../../../tests/support/engines.js';
import { openStorage, type Storage } from '../index.js';
import { migrationProvider } from './index.js';
import { DispatchStore } from '../../dispatch/storage.js';

const engines = await availableEngines();

const T = Date.UTC(2026, 5, 1);
const row = (id: string, over: Record<string, unknown>) => ({
  id, owner_id: `owner-${id}`, source: 'citizen', kind: 'robbery', lat: 19.4, lon: -99.1, status: 'paging', stage: 1,
  duress: 0, created_at: T, updated_at: T + 5000, version: 3, ...over,
});
const event = (alertId: string, seq: number, type: string, at: number) => ({
  alert_id: alertId, seq, at, type, from_status: null, to_status: null, actor_id: null, actor_role: 'system', unit_id: null, details: '{}',
});

describe.each(engines)('migration 0006 (lifecycle) on $name', (engine) => {
  let storage: Storage;
  let cleanup: () => Promise<void>;
  let migrator: Migrator;
  let db: Kysely<any>;

  beforeAll(async () => {
    const fresh = await engine.fresh();
    cleanup = fresh.cleanup;
    storage = await openStorage({ databaseUrl: fresh.config.databaseUrl, dataDir: fresh.config.dataDir, schema: fresh.config.databaseSchema });
    db = storage.db as unknown as Kysely<any>;
    const schema = fresh.config.databaseUrl ? fresh.config.databaseSchema ?? null : null;
    migrator = new Migrator({ db, provider: migrationProvider, ...(schema ? { migrationTableSchema: schema } : {}) });
    // Back to the schema as it was before 0006 (its down runs too), with the rows it must fold.
    const down = await migrator.migrateTo('0005_trust');
    expect(down.error).toBeUndefined();
    await db.insertInto('alerts').values([
      row('a-status-only', { status: 'escalated', stage: 3 }),
      row('b-time-only', { status: 'paging', stage: 1, escalated_at: T + 90_000, next_deadline_at: T + 120_000 }),
      row('c-taken-after', { status: 'acknowledged', stage: 3, escalated_at: T + 90_000 }),
      row('d-plain', { status: 'paging', stage: 2, next_deadline_at: T + 90_000 }),
      row('e-duress', { status: 'paging', stage: 1, duress: 1, version: 4, duress_view: JSON.stringify({ id: 'e-duress', status: 'cancelled' }) }),
    ]).execute();
    await db.insertInto('alert_events').values([
      event('a-status-only', 1, 'created', T), event('a-status-only', 2, 'escalate', T + 90_001),
      event('d-plain', 1, 'created', T), event('d-plain', 2, 'page', T), event('d-plain', 3, 'paged', T + 30_000),
      event('e-duress', 1, 'created', T), event('e-duress', 2, 'duress_cancel', T + 1000), event('e-duress', 3, 'acknowledge', T + 2000),
    ]).execute();
    await db.insertInto('alert_pages').values([
      { alert_id: 'c-taken-after', unit_id: 'u1', ring: 1, paged_at: T }, { alert_id: 'c-taken-after', unit_id: 'u2', ring: 2, paged_at: T + 30_000 },
      { alert_id: 'c-taken-after', unit_id: 'u3', ring: 0, paged_at: T + 95_000 },
    ]).execute();
    const up = await migrator.migrateToLatest();
    expect(up.error).toBeUndefined();
  });
  afterAll(async () => { await storage?.close(); await cleanup?.(); });

  const alert = async (id: string) => (await new DispatchStore(storage.db).findAlert(id))!;

  it('makes escalated_at the one record: every alert any column called escalated has it, and one handed to 911 and unanswered is `escalated`', async () => {
    expect(await alert('a-status-only')).toMatchObject({ status: 'escalated', escalatedAt: T + 90_001, ring: 0 });
    expect(await alert('b-time-only')).toMatchObject({ status: 'escalated', escalatedAt: T + 90_000, nextDeadlineAt: null, ring: 1 });
    expect(await alert('c-taken-after')).toMatchObject({ status: 'acknowledged', escalatedAt: T + 90_000, ring: 2 });
    expect(await alert('d-plain')).toMatchObject({ status: 'paging', escalatedAt: null, ring: 2, nextDeadlineAt: T + 90_000 });
    const cols = (await db.selectFrom('alerts').selectAll().where('id', '=', 'd-plain').executeTakeFirstOrThrow()) as Record<string, unknown>;
    expect('stage' in cols).toBe(false);
  });

  it('keeps the seq of each alert\'s latest event with the row', async () => {
    expect((await alert('a-status-only')).seq).toBe(2);
    expect((await alert('d-plain')).seq).toBe(3);
    expect((await alert('b-time-only')).seq).toBe(0);
  });

  it('gives a frozen citizen view the version and seq it froze at, and leaves the rest of it as it was', async () => {
    const e = await alert('e-duress');
    expect(JSON.parse(e.duressView!)).toEqual({ id: 'e-duress', status: 'cancelled', version: 4, seq: 2 });
    expect(e).toMatchObject({ version: 4, seq: 3, duress: true });
  });
});
