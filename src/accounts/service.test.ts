// Accounts on both engines: first admin, login, sessions that expire and can be revoked, accounts
// that can be cut off, old password hashes upgraded at sign-in.
import { randomBytes, scryptSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableEngines } from '../../tests/support/engines.js';
import { openStorage, type Storage } from '../storage/index.js';
import { AuditLog } from '../audit/index.js';
import { ManualClock, DomainError } from '../kernel/index.js';
import { RateLimiter } from '../limits/index.js';
import { ephemeralSecrets } from '../config/secrets.js';
import { AccountService, type SessionsEnded } from './service.js';
import { AccountStore } from './storage.js';
import { SignInThrottle } from './throttle.js';
import { PARAMS, verifyPassword } from './passwords.js';

const engines = await availableEngines();

describe.each(engines)('accounts on $name', (engine) => {
  let storage: Storage;
  let cleanup: () => Promise<void>;
  let accounts: AccountService;
  let audit: AuditLog;
  const clock = new ManualClock(Date.UTC(2026, 10, 22, 3, 0));
  let n = 0;
  const net = 'net-operations-centre';

  beforeAll(async () => {
    const fresh = await engine.fresh();
    cleanup = fresh.cleanup;
    storage = await openStorage({ databaseUrl: fresh.config.databaseUrl, dataDir: fresh.config.dataDir, schema: fresh.config.databaseSchema });
    audit = new AuditLog(storage.db, clock);
    accounts = new AccountService(new AccountStore(storage.db), audit, clock, () => `user-${++n}`, 3600_000,
      new SignInThrottle(new RateLimiter(storage.db, clock), ephemeralSecrets(), clock));
  });
  afterAll(async () => { await storage?.close(); await cleanup?.(); });

  it('creates the first admin once; a generated (printed) password must be changed at first sign-in', async () => {
    const first = await accounts.ensureAdmin('admin', null);
    expect(first.created).toBe(true);
    expect(first.generatedPassword).toMatch(/^[a-z2-9]{5}(-[a-z2-9]{5}){3}$/);
    expect(await accounts.ensureAdmin('admin', null)).toEqual({ created: false, generatedPassword: null });
    const session = await accounts.login('Admin', first.generatedPassword!, net);
    expect(session.user.role).toBe('admin');
    expect(session.mustChangePassword).toBe(true);
    await expect(accounts.authenticate(session.token)).rejects.toMatchObject({ code: 'PASSWORD_CHANGE_REQUIRED' });
    await accounts.changeOwnPassword(await accounts.session(session.token), first.generatedPassword!, 'una-contraseña-nueva', net);
    expect((await accounts.authenticate(session.token)).role).toBe('admin');
    expect((await accounts.login('admin', 'una-contraseña-nueva', net)).mustChangePassword).toBe(false);
  });

  it('does not force a change on a configured first-admin password', async () => {
    const fresh = await engine.fresh();
    const other = await openStorage({ databaseUrl: fresh.config.databaseUrl, dataDir: fresh.config.dataDir, schema: fresh.config.databaseSchema });
    try {
      const svc = new AccountService(new AccountStore(other.db), new AuditLog(other.db, clock), clock, () => `o-${++n}`, 3600_000,
        new SignInThrottle(new RateLimiter(other.db, clock), ephemeralSecrets(), clock));
      expect((await svc.ensureAdmin('admin', 'elegida-por-la-operadora')).generatedPassword).toBeNull();
      expect((await svc.login('admin', 'elegida-por-la-operadora', net)).mustChangePassword).toBe(false);
    } finally {
      await other.close();
      await fresh.cleanup();
    }
  });

  it('stores only password and token hashes', async () => {
    await accounts.createUser(null, { username: 'analista', password: 'secreto-muy-largo', role: 'analyst' });
    const session = await accounts.login('analista', 'secreto-muy-largo', net);
    const users = await storage.db.selectFrom('users').select('password_hash').execute();
    expect(users.every((u) => u.password_hash.startsWith('scrypt$') && !u.password_hash.includes('secreto'))).toBe(true);
    const tokens = await storage.db.selectFrom('auth_tokens').select('token_hash').execute();
    expect(tokens.some((t) => t.token_hash === session.token)).toBe(false);
    expect(tokens.every((t) => /^[0-9a-f]{64}$/.test(t.token_hash))).toBe(true);
  });

  it('refuses wrong passwords and unknown users alike, and audits the attempt', async () => {
    await expect(accounts.login('analista', 'nope', 'net-x')).rejects.toMatchObject({ code: 'INVALID_CREDENTIALS' });
    await expect(accounts.login('nadie', 'nope', 'net-x')).rejects.toMatchObject({ code: 'INVALID_CREDENTIALS' });
    const log = await audit.list({ limit: 20 });
    expect(log.filter((e) => e.action === 'auth.login_failed')).toHaveLength(2);
  });

  it('expires sessions after their lifetime and revokes them on logout', async () => {
    const s1 = await accounts.login('analista', 'secreto-muy-largo', net);
    expect((await accounts.authenticate(s1.token)).role).toBe('analyst');
    clock.advance(3600_000 + 1);
    await expect(accounts.authenticate(s1.token)).rejects.toBeInstanceOf(DomainError);
    const s2 = await accounts.login('analista', 'secreto-muy-largo', net);
    await accounts.logout(s2.token, 'x');
    await expect(accounts.authenticate(s2.token)).rejects.toMatchObject({ code: 'INVALID_TOKEN' });
  });

  it('refuses a duplicate username', async () => {
    await expect(accounts.createUser(null, { username: 'ANALISTA', password: 'otro-secreto-largo', role: 'unit' })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  });

  it('upgrades a hash made with older scrypt parameters at sign-in, and the password still works', async () => {
    const user = await accounts.createUser(null, { username: 'veterano', password: 'contraseña-de-2024', role: 'dispatcher' });
    const salt = randomBytes(16);
    const oldKey = scryptSync('contraseña-de-2024'.normalize('NFC'), salt, 32, { N: 2 ** 14, r: 8, p: 1 });
    const oldHash = ['scrypt', 2 ** 14, 8, 1, salt.toString('base64url'), oldKey.toString('base64url')].join('$');
    await storage.db.updateTable('users').set({ password_hash: oldHash }).where('id', '=', user.id).execute();

    expect((await accounts.login('veterano', 'contraseña-de-2024', net)).user.id).toBe(user.id);
    const stored = (await storage.db.selectFrom('users').select('password_hash').where('id', '=', user.id).executeTakeFirstOrThrow()).password_hash;
    expect(stored.startsWith(`scrypt$${PARAMS.N}$${PARAMS.r}$${PARAMS.p}$`)).toBe(true);
    expect(await verifyPassword('contraseña-de-2024', stored)).toBe(true);
    expect((await accounts.login('veterano', 'contraseña-de-2024', net)).user.id).toBe(user.id);
    expect((await audit.list({ limit: 50 })).filter((e) => e.action === 'auth.password_rehashed' && e.target === user.id)).toHaveLength(1);
  });

  it('cuts an account off: disabling ends its sessions and refuses sign-in until enabled', async () => {
    const ended: SessionsEnded[] = [];
    const off = accounts.onSessionsEnded((e) => ended.push(e));
    const u = await accounts.createUser(null, { username: 'despacho-1', password: 'contraseña-despacho', role: 'dispatcher' });
    const s = await accounts.login('despacho-1', 'contraseña-despacho', net);
    expect((await accounts.disable('admin-id', u.id)).disabledAt).not.toBeNull();
    await expect(accounts.authenticate(s.token)).rejects.toMatchObject({ code: 'INVALID_TOKEN' });
    await expect(accounts.login('despacho-1', 'contraseña-despacho', net)).rejects.toMatchObject({ code: 'INVALID_CREDENTIALS' });
    expect(ended).toContainEqual({ userId: u.id, reason: 'disabled' });
    await accounts.enable('admin-id', u.id);
    const again = await accounts.login('despacho-1', 'contraseña-despacho', net);
    await expect(accounts.authenticate(s.token)).rejects.toMatchObject({ code: 'INVALID_TOKEN' }); // the old session stays ended
    expect((await accounts.authenticate(again.token)).role).toBe('dispatcher');
    off();
    const actions = (await audit.list({ limit: 50 })).filter((e) => e.target === u.id).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['user.disable', 'user.enable']));
  });

  it('never leaves the city without an enabled admin, even when two admins demote each other at once', async () => {
    const admins = (await accounts.listUsers()).filter((x) => x.role === 'admin' && !x.disabledAt);
    expect(admins).toHaveLength(1);
    await expect(accounts.disable(null, admins[0]!.id)).rejects.toMatchObject({ code: 'LAST_ADMIN' });
    await expect(accounts.changeRole(null, admins[0]!.id, 'dispatcher')).rejects.toMatchObject({ code: 'LAST_ADMIN' });
    const second = await accounts.createUser(null, { username: 'admin-2', password: 'contraseña-admin-2', role: 'admin' });
    const results = await Promise.allSettled([accounts.disable(second.id, admins[0]!.id), accounts.changeRole(admins[0]!.id, second.id, 'analyst')]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(results.find((r) => r.status === 'rejected')).toMatchObject({ reason: { code: 'LAST_ADMIN' } });
    expect((await accounts.listUsers()).filter((x) => x.role === 'admin' && !x.disabledAt)).toHaveLength(1);
  });

  it('has an admin reset force a change at next sign-in, refusing the current password and short ones', async () => {
    const u = await accounts.createUser(null, { username: 'analista-2', password: 'contraseña-vieja', role: 'analyst' });
    await expect(accounts.resetPassword(null, u.id, 'contraseña-vieja')).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    await expect(accounts.resetPassword(null, u.id, 'corta')).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    expect((await accounts.resetPassword(null, u.id, 'temporal-del-admin')).mustChangePassword).toBe(true);
    const s = await accounts.login('analista-2', 'temporal-del-admin', net);
    expect(s.mustChangePassword).toBe(true);
    const info = await accounts.session(s.token);
    await expect(accounts.changeOwnPassword(info, 'equivocada', 'la-mía-propia-ya', net)).rejects.toMatchObject({ code: 'WRONG_PASSWORD' });
    await expect(accounts.changeOwnPassword(info, 'temporal-del-admin', 'temporal-del-admin', net)).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    await accounts.changeOwnPassword(info, 'temporal-del-admin', 'la-mía-propia-ya', net);
    expect((await accounts.authenticate(s.token)).username).toBe('analista-2');
    await expect(accounts.resetPassword(null, 'no-such-id', 'temporal-del-admin')).rejects.toMatchObject({ code: 'USER_NOT_FOUND' });
  });
});
