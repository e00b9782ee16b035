// Accounts that can be cut off, and guessing that is slow — through HTTP and real WebSockets on a
// real server, on SQLite and PostgreSQL. Networks are told apart by X-Forwarded-For from a trusted
// proxy (127.0.0.1), as behind the city's reverse proxy; time is a manual clock.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { availableEngines } from '../support/engines.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { connect, type TestSocket } from '../support/ws.js';
import { ManualClock, uuidIds } from '../../src/kernel/index.js';
import { openStorage, type Storage } from '../../src/storage/index.js';
import { AccountService } from '../../src/accounts/service.js';
import { AccountStore } from '../../src/accounts/storage.js';
import { SignInThrottle } from '../../src/accounts/throttle.js';
import { hashesComputed } from '../../src/accounts/passwords.js';
import { AuditLog } from '../../src/audit/index.js';
import { RateLimiter } from '../../src/limits/index.js';
import { ephemeralSecrets } from '../../src/config/secrets.js';

const engines = await availableEngines();

interface Api { status: number; body: any; headers: Headers } // eslint-disable-line @typescript-eslint/no-explicit-any

/** Resolves with the close code if the socket closes within `ms`, else rejects. */
function closesWithin(s: TestSocket, ms: number): Promise<number> {
  return Promise.race([s.closed, new Promise<number>((_, reject) => setTimeout(() => reject(new Error(`socket still open after ${ms} ms`)), ms))]);
}

describe.each(engines)('accounts over HTTP and WebSocket on $name', (engine) => {
  let server: TestServer;
  const clock = new ManualClock(Date.now());
  let admin: string;
  let seq = 0;

  const call = async (method: string, path: string, token?: string | null, body?: unknown, network = '10.9.9.9'): Promise<Api> => {
    const res = await fetch(`${server.url}${path}`, {
      method, body: body === undefined ? undefined : JSON.stringify(body),
      headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...(token ? { authorization: `Bearer ${token}` } : {}), 'x-forwarded-for': network },
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null, headers: res.headers };
  };
  const login = (username: string, password: string, network = '10.9.9.9') => call('POST', '/api/v1/auth/login', null, { username, password }, network);
  const signIn = async (username: string, password: string, network = '10.9.9.9') => {
    const r = await login(username, password, network);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    return r.body.token as string;
  };
  /** A fresh staff account: its id, name and password. */
  const newUser = async (role: string, extra: Record<string, unknown> = {}) => {
    const username = `persona-${++seq}`;
    const password = `contraseña-de-${username}`;
    const r = await call('POST', '/api/v1/users', admin, { username, password, role, ...extra });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    return { id: r.body.id as string, username, password };
  };
  const socketFor = async (token: string) => {
    const s = await connect(server.url, token);
    await s.next((m) => m.type === 'snapshot');
    return s;
  };
  const auditActions = async (target: string) =>
    ((await call('GET', '/api/v1/audit?limit=500', admin)).body as { action: string; target: string | null; actorId: string | null }[])
      .filter((e) => e.target === target).map((e) => e.action);

  beforeAll(async () => {
    server = await startTestServer({ engine, webDir: null, clock, config: { trustProxy: ['127.0.0.1'] } });
    admin = await signIn(server.config.adminUsername, server.config.adminPassword!);
  }, 120_000);
  afterAll(async () => { await server?.close(); });

  describe('a session that must change its password', () => {
    it('is told so at sign-in and may only change the password, read who it is, or log out', async () => {
      const u = await newUser('dispatcher', { mustChangePassword: true });
      const r = await login(u.username, u.password);
      expect(r.status).toBe(200);
      expect(r.body.mustChangePassword).toBe(true);
      const token = r.body.token as string;

      for (const [method, path] of [['GET', '/api/v1/units'], ['GET', '/api/v1/alerts'], ['POST', '/api/v1/auth/sign-out-everywhere']] as const) {
        const refused = await call(method, path, token);
        expect(refused.status, path).toBe(403);
        expect(refused.body.error.code).toBe('PASSWORD_CHANGE_REQUIRED');
      }
      expect((await call('GET', '/api/v1/auth/me', token)).body).toMatchObject({ username: u.username, mustChangePassword: true });
      // No live alerts (citizens' locations) for it either.
      const s = await connect(server.url, token);
      expect(await closesWithin(s, 2000)).toBe(4403);

      expect((await call('POST', '/api/v1/auth/password', token, { currentPassword: 'no-es-esta-para-nada', newPassword: 'mi-propia-contraseña' })).body.error.code).toBe('WRONG_PASSWORD');
      expect((await call('POST', '/api/v1/auth/password', token, { currentPassword: u.password, newPassword: u.password })).status).toBe(400);
      expect((await call('POST', '/api/v1/auth/password', token, { currentPassword: u.password, newPassword: 'corta' })).status).toBe(400);
      expect((await call('POST', '/api/v1/auth/password', token, { currentPassword: u.password, newPassword: 'mi-propia-contraseña' })).status).toBe(204);

      expect((await call('GET', '/api/v1/units', token)).status).toBe(200);
      expect((await call('GET', '/api/v1/auth/me', token)).body.mustChangePassword).toBe(false);
      expect((await login(u.username, u.password)).status).toBe(401);
      expect((await login(u.username, 'mi-propia-contraseña')).body.mustChangePassword).toBe(false);
      expect(await auditActions(u.id)).toContain('user.password_change');
    });

    it('ends the other sessions of someone who changes their own password, and keeps this one', async () => {
      const u = await newUser('analyst');
      const here = await signIn(u.username, u.password);
      const elsewhere = await signIn(u.username, u.password);
      const hereSocket = await socketFor(here);
      const elsewhereSocket = await socketFor(elsewhere);
      expect((await call('POST', '/api/v1/auth/password', here, { currentPassword: u.password, newPassword: 'otra-contraseña-larga' })).status).toBe(204);
      expect(await closesWithin(elsewhereSocket, 1000)).toBe(4401);
      expect((await call('GET', '/api/v1/auth/me', elsewhere)).status).toBe(401);
      expect((await call('GET', '/api/v1/auth/me', here)).status).toBe(200);
      await expect(closesWithin(hereSocket, 700)).rejects.toThrow(/still open/);
      hereSocket.close();
    });
  });

  describe('an admin', () => {
    it('disables an account: its token stops working and its socket closes within a second; enabling lets it sign in again', async () => {
      const u = await newUser('dispatcher');
      const token = await signIn(u.username, u.password);
      const s = await socketFor(token);
      const t0 = performance.now();
      const r = await call('POST', `/api/v1/users/${u.id}/disable`, admin);
      expect(r.status).toBe(200);
      expect(r.body.disabledAt).toEqual(expect.any(String));
      expect(await closesWithin(s, 1000)).toBe(4401);
      expect(performance.now() - t0).toBeLessThan(1000);
      expect((await call('GET', '/api/v1/units', token)).status).toBe(401);
      expect((await login(u.username, u.password)).status).toBe(401);
      expect(((await call('GET', '/api/v1/users', admin)).body as { id: string; disabledAt: string | null }[]).find((x) => x.id === u.id)?.disabledAt).not.toBeNull();

      expect((await call('POST', `/api/v1/users/${u.id}/enable`, admin)).body.disabledAt).toBeNull();
      expect((await call('GET', '/api/v1/units', token)).status).toBe(401); // the old session stays ended
      await signIn(u.username, u.password);
      expect(await auditActions(u.id)).toEqual(expect.arrayContaining(['user.disable', 'user.enable']));
    });

    it('changes a role: the sessions end and the next sign-in has the new role', async () => {
      const u = await newUser('dispatcher');
      const token = await signIn(u.username, u.password);
      const s = await socketFor(token);
      const r = await call('PUT', `/api/v1/users/${u.id}/role`, admin, { role: 'analyst' });
      expect(r.body.role).toBe('analyst');
      expect(await closesWithin(s, 1000)).toBe(4401);
      expect((await call('GET', '/api/v1/auth/me', token)).status).toBe(401);
      const again = await signIn(u.username, u.password);
      expect((await call('GET', '/api/v1/auth/me', again)).body.role).toBe('analyst');
      expect((await call('GET', '/api/v1/alerts', again)).status).toBe(403);
      expect((await call('PUT', `/api/v1/users/${u.id}/role`, admin, { role: 'root' })).status).toBe(400);
      expect((await call('PUT', `/api/v1/users/${u.id}/role`, admin, { role: 'unit' })).status).toBe(400);
      expect(await auditActions(u.id)).toContain('user.role_change');
    });

    it('resets a password: sessions end, and the new one must be changed at the next sign-in', async () => {
      const u = await newUser('analyst');
      const token = await signIn(u.username, u.password);
      const s = await socketFor(token);
      const r = await call('PUT', `/api/v1/users/${u.id}/password`, admin, { password: 'temporal-del-administrador' });
      expect(r.body.mustChangePassword).toBe(true);
      expect(await closesWithin(s, 1000)).toBe(4401);
      expect((await call('GET', '/api/v1/auth/me', token)).status).toBe(401);
      expect((await login(u.username, u.password)).status).toBe(401);
      expect((await login(u.username, 'temporal-del-administrador')).body.mustChangePassword).toBe(true);
      expect((await call('PUT', `/api/v1/users/${u.id}/password`, admin, { password: 'temporal-del-administrador' })).status).toBe(400);
      expect(await auditActions(u.id)).toContain('user.password_reset');
    });

    it('signs someone out everywhere, and anyone can sign themselves out everywhere', async () => {
      const u = await newUser('dispatcher');
      const [a, b] = [await signIn(u.username, u.password), await signIn(u.username, u.password)];
      const [sa, sb] = [await socketFor(a), await socketFor(b)];
      expect((await call('POST', `/api/v1/users/${u.id}/sign-out`, admin)).body).toEqual({ revoked: 2 });
      expect(await closesWithin(sa, 1000)).toBe(4401);
      expect(await closesWithin(sb, 1000)).toBe(4401);
      expect((await call('GET', '/api/v1/auth/me', a)).status).toBe(401);

      const [c, d] = [await signIn(u.username, u.password), await signIn(u.username, u.password)];
      const sd = await socketFor(d);
      expect((await call('POST', '/api/v1/auth/sign-out-everywhere', c)).body).toEqual({ revoked: 2 });
      expect(await closesWithin(sd, 1000)).toBe(4401);
      expect((await call('GET', '/api/v1/auth/me', c)).status).toBe(401);
      expect((await auditActions(u.id)).filter((x) => x === 'user.sign_out_everywhere')).toHaveLength(2);
    });

    it('can neither disable nor demote the last admin; others may not manage accounts at all', async () => {
      const me = (await call('GET', '/api/v1/auth/me', admin)).body.userId as string;
      const disable = await call('POST', `/api/v1/users/${me}/disable`, admin);
      expect(disable.status).toBe(409);
      expect(disable.body.error.code).toBe('LAST_ADMIN');
      expect((await call('PUT', `/api/v1/users/${me}/role`, admin, { role: 'dispatcher' })).body.error.code).toBe('LAST_ADMIN');
      expect((await call('GET', '/api/v1/auth/me', admin)).status).toBe(200);

      const u = await newUser('dispatcher');
      const token = await signIn(u.username, u.password);
      for (const [method, path, body] of [['POST', `/api/v1/users/${me}/disable`], ['PUT', `/api/v1/users/${me}/password`, { password: 'me-la-quedo-yo-ahora' }],
        ['PUT', `/api/v1/users/${u.id}/role`, { role: 'admin' }], ['POST', `/api/v1/users/${me}/sign-out`], ['GET', '/api/v1/users']] as const) {
        expect((await call(method, path, token, body)).status, path).toBe(403);
      }
      expect((await call('GET', '/api/v1/auth/me', admin)).status).toBe(200);
      const missing = await call('POST', '/api/v1/users/no-existe/disable', admin);
      expect(missing.status).toBe(404);
      expect(missing.body.error.code).toBe('USER_NOT_FOUND');
    });

    it('cuts a socket off from another instance sharing the database within a second', async () => {
      const other: Storage = await openStorage({ databaseUrl: server.config.databaseUrl, dataDir: server.config.dataDir, schema: server.config.databaseSchema });
      try {
        const elsewhere = new AccountService(new AccountStore(other.db), new AuditLog(other.db, clock), clock, uuidIds, 3600_000,
          new SignInThrottle(new RateLimiter(other.db, clock), ephemeralSecrets(), clock));
        const u = await newUser('dispatcher');
        const s1 = await socketFor(await signIn(u.username, u.password));
        const logoutToken = await signIn(u.username, u.password);
        const s2 = await socketFor(logoutToken);
        await elsewhere.logout(logoutToken, u.id);
        expect(await closesWithin(s2, 1000)).toBe(4401);
        await expect(closesWithin(s1, 300)).rejects.toThrow(/still open/);
        await elsewhere.disable(null, u.id);
        expect(await closesWithin(s1, 1000)).toBe(4401);
      } finally {
        await other.close();
      }
    });
  });

  describe('sockets', () => {
    it('close on logout within a second', async () => {
      const u = await newUser('dispatcher');
      const token = await signIn(u.username, u.password);
      const s = await socketFor(token);
      expect((await call('POST', '/api/v1/auth/logout', token)).status).toBe(204);
      expect(await closesWithin(s, 1000)).toBe(4401);
    });

    it('close a socket that never authenticates at 5 s', async () => {
      const ws = new WebSocket(`${server.url.replace(/^http/, 'ws')}/api/v1/ws`);
      const opened = await new Promise<number>((resolve) => ws.once('open', () => resolve(performance.now())));
      const [code, at] = await new Promise<[number, number]>((resolve) => ws.once('close', (c) => resolve([c, performance.now()])));
      expect(code).toBe(4401);
      expect(at - opened).toBeGreaterThan(4500);
      expect(at - opened).toBeLessThan(6000);
    }, 10_000);

    it('close on a message over 4 KiB, before and after authenticating', async () => {
      const url = `${server.url.replace(/^http/, 'ws')}/api/v1/ws`;
      const before = new WebSocket(url);
      await new Promise((r) => before.once('open', r));
      before.send(JSON.stringify({ type: 'auth', token: 'x'.repeat(5000) }));
      expect(await new Promise((r) => before.once('close', r))).toBe(1009);

      const u = await newUser('dispatcher');
      const token = await signIn(u.username, u.password);
      const after = new WebSocket(url);
      const messages: string[] = [];
      after.on('message', (d) => messages.push(String(d)));
      await new Promise((r) => after.once('open', r));
      after.send(JSON.stringify({ type: 'auth', token }));
      await expect.poll(() => messages.some((m) => m.includes('"snapshot"')), { timeout: 3000 }).toBe(true);
      after.send(JSON.stringify({ type: 'ping', pad: 'x'.repeat(5000) }));
      expect(await new Promise((r) => after.once('close', r))).toBe(1009);
      expect((await fetch(`${server.url}/health`)).status).toBe(200);
    });
  });

  describe('guessing', () => {
    const OPS = '198.51.100.20'; // the operations centre
    const ATTACKER = '203.0.113.9';

    it('slows a guesser per account and network before hashing, answering 429 with Retry-After; the dispatcher at the centre is not delayed', async () => {
      const u = await newUser('dispatcher');
      await signIn(u.username, u.password, OPS); // the centre: a network this account signs in from

      for (let i = 0; i < 6; i++) expect((await login(u.username, `intento-${i}`, ATTACKER)).status).toBe(401);
      const hashes = hashesComputed();
      const throttled = await login(u.username, u.password, ATTACKER); // even the right password waits
      expect(throttled.status).toBe(429);
      expect(throttled.body.error.code).toBe('RATE_LIMITED');
      expect(throttled.headers.get('retry-after')).toBe('1');
      expect(hashesComputed()).toBe(hashes); // a throttled try costs no scrypt

      // Growing delays: 1 s, 2 s, 4 s … (bounded: see LOGIN_PAIR_POLICY).
      for (let i = 6, wait = 1; i < 11; i++, wait *= 2) {
        clock.advance(wait * 1000);
        expect((await login(u.username, `intento-${i}`, ATTACKER)).status).toBe(401);
        expect((await login(u.username, `intento-${i}b`, ATTACKER)).headers.get('retry-after')).toBe(String(wait * 2));
      }

      // The dispatcher at the centre signs in at once, whatever the attacker did.
      expect((await login(u.username, u.password, OPS)).status).toBe(200);
      // From a network the account never used, the account-wide (loose, ≤ 1 min) counter applies.
      const fresh = await login(u.username, u.password, '192.0.2.44');
      expect(fresh.status).toBe(429);
      const wait = Number(fresh.headers.get('retry-after'));
      expect(wait).toBeGreaterThan(0);
      expect(wait).toBeLessThanOrEqual(60);
      clock.advance(wait * 1000);
      expect((await login(u.username, u.password, '192.0.2.44')).status).toBe(200);
    }, 60_000);

    it('lets 20 parallel tries at one account from one network cost one hash, not twenty', async () => {
      const u = await newUser('dispatcher');
      const hashes = hashesComputed();
      const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => login(u.username, `paralelo-${i}`, '198.19.5.5')));
      expect(answers.filter((a) => a.status === 401)).toHaveLength(1);
      expect(answers.filter((a) => a.status === 429)).toHaveLength(19);
      expect(hashesComputed() - hashes).toBe(1);
    });

    it('slows a sweep of many accounts from one network', async () => {
      const SWEEP = '198.18.7.77';
      for (let i = 0; i < 21; i++) expect((await login(`victima-${i}`, 'Password123!', SWEEP)).status).toBe(401);
      const r = await login('victima-99', 'Password123!', SWEEP);
      expect(r.status).toBe(429);
      expect(Number(r.headers.get('retry-after'))).toBeGreaterThan(0);
      expect((await login('victima-99', 'Password123!', '198.18.8.77')).status).toBe(401); // another network is not slowed
    }, 60_000);
  });

  // Last: moving the clock past the token lifetime ends every session, the admin's too.
  it('closes a socket when its session expires (injected clock), within a second', async () => {
    const u = await newUser('dispatcher');
    const s = await socketFor(await signIn(u.username, u.password));
    await expect(closesWithin(s, 600)).rejects.toThrow(/still open/);
    clock.advance(server.config.tokenTtlHours * 3600_000 + 1);
    expect(await closesWithin(s, 1000)).toBe(4401);
  });
});
