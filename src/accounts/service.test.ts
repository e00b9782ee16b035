// Accounts on both engines: first admin, login, sessions that expire and can be revoked.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableEngines } from '../../tests/support/engines.js';
import { openStorage, type Storage } from '../storage/index.js';
import { AuditLog } from '../audit/index.js';
import { ManualClock, DomainError } from '../kernel/index.js';
import { AccountService } from './service.js';
import { AccountStore } from './storage.js';

const engines = await availableEngines();

describe.each(engines)('accounts on $name', (engine) => {
  let storage: Storage;
  let cleanup: () => Promise<void>;
  let accounts: AccountService;
  let audit: AuditLog;
  const clock = new ManualClock(Date.UTC(2026, 10, 22, 3, 0));
  let n = 0;

  beforeAll(async () => {
    const fresh = await engine.fresh();
    cleanup = fresh.cleanup;
    storage = await openStorage({ databaseUrl: fresh.config.databaseUrl, dataDir: fresh.config.dataDir, schema: fresh.config.databaseSchema });
    audit = new AuditLog(storage.db, clock);
    accounts = new AccountService(new AccountStore(storage.db), audit, clock, () => `user-${++n}`, 3600_000);
  });
  afterAll(async () => { await storage?.close(); await cleanup?.(); });

  it('creates the first admin once, generating a password when none is configured', async () => {
    const first = await accounts.ensureAdmin('admin', null);
    expect(first.created).toBe(true);
    expect(first.generatedPassword).toMatch(/^[a-z2-9]{5}(-[a-z2-9]{5}){3}$/);
    expect(await accounts.ensureAdmin('admin', null)).toEqual({ created: false, generatedPassword: null });
    const session = await accounts.login('Admin', first.generatedPassword!);
    expect(session.user.role).toBe('admin');
  });

  it('stores only password and token hashes', async () => {
    await accounts.createUser(null, { username: 'analista', password: 'secreto-muy-largo', role: 'analyst' });
    const session = await accounts.login('analista', 'secreto-muy-largo');
    const users = await storage.db.selectFrom('users').select('password_hash').execute();
    expect(users.every((u) => u.password_hash.startsWith('scrypt$') && !u.password_hash.includes('secreto'))).toBe(true);
    const tokens = await storage.db.selectFrom('auth_tokens').select('token_hash').execute();
    expect(tokens.some((t) => t.token_hash === session.token)).toBe(false);
    expect(tokens.every((t) => /^[0-9a-f]{64}$/.test(t.token_hash))).toBe(true);
  });

  it('refuses wrong passwords and unknown users alike, and audits the attempt', async () => {
    await expect(accounts.login('analista', 'nope')).rejects.toMatchObject({ code: 'INVALID_CREDENTIALS' });
    await expect(accounts.login('nadie', 'nope')).rejects.toMatchObject({ code: 'INVALID_CREDENTIALS' });
    const log = await audit.list({ limit: 10 });
    expect(log.filter((e) => e.action === 'auth.login_failed')).toHaveLength(2);
  });

  it('expires sessions after their lifetime and revokes them on logout', async () => {
    const s1 = await accounts.login('analista', 'secreto-muy-largo');
    expect((await accounts.authenticate(s1.token)).role).toBe('analyst');
    clock.advance(3600_000 + 1);
    await expect(accounts.authenticate(s1.token)).rejects.toBeInstanceOf(DomainError);
    const s2 = await accounts.login('analista', 'secreto-muy-largo');
    await accounts.logout(s2.token, 'x');
    await expect(accounts.authenticate(s2.token)).rejects.toMatchObject({ code: 'INVALID_TOKEN' });
  });

  it('refuses a duplicate username', async () => {
    await expect(accounts.createUser(null, { username: 'ANALISTA', password: 'otro-secreto-largo', role: 'unit' })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  });
});
