import { sql } from 'kysely';
import { DomainError } from '../kernel/index.js';
import type { Db } from '../storage/index.js';
import type { Role } from './roles.js';

export interface UserRow {
  id: string; username: string; passwordHash: string; role: Role; displayName: string | null; createdAt: number; disabledAt: number | null; unitId: string | null;
  /** The next sign-in must set a new password (a printed first-admin password, an admin's reset). */
  mustChangePassword?: boolean;
  passwordChangedAt?: number | null;
  /** Citizen devices created past their network's limit: their alerts wait for a dispatcher until then (dispatch). */
  probationUntil?: number | null;
}

/** A live session: its user and when its token expires. */
export interface SessionRow { user: UserRow; expiresAt: number }

/** Sessions that ended since a moment: revoked tokens and disabled accounts (for the WebSocket hub). */
export interface Revocations { tokens: { tokenHash: string; userId: string }[]; disabledUserIds: string[] }

export class AccountStore {
  constructor(private db: Db) {}

  async findByUsername(username: string): Promise<UserRow | undefined> {
    const r = await this.db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst();
    return r && toUser(r);
  }

  async findById(id: string): Promise<UserRow | undefined> {
    const r = await this.db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
    return r && toUser(r);
  }

  async countByRole(role: Role): Promise<number> {
    const r = await this.db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).where('role', '=', role).executeTakeFirstOrThrow();
    return Number(r.n);
  }

  async insertUser(u: UserRow): Promise<void> {
    await this.db.insertInto('users').values({
      id: u.id, username: u.username, password_hash: u.passwordHash, role: u.role,
      display_name: u.displayName, created_at: u.createdAt, disabled_at: u.disabledAt, unit_id: u.unitId,
      must_change_password: u.mustChangePassword ? 1 : 0, password_changed_at: u.passwordChangedAt ?? u.createdAt, probation_until: u.probationUntil ?? null,
    }).execute();
  }

  /** Staff and machine accounts (citizens' device credentials are not people to manage). */
  async listUsers(): Promise<UserRow[]> {
    const rows = await this.db.selectFrom('users').selectAll().where('role', '!=', 'citizen').orderBy('username').execute();
    return rows.map(toUser);
  }

  async insertToken(t: { tokenHash: string; userId: string; createdAt: number; expiresAt: number }): Promise<void> {
    await this.db.insertInto('auth_tokens').values({
      token_hash: t.tokenHash, user_id: t.userId, created_at: t.createdAt, expires_at: t.expiresAt, revoked_at: null,
    }).execute();
  }

  /** The live session for a token hash, with its user, or undefined. One query: it runs on every request. */
  async findSession(tokenHash: string, now: number): Promise<SessionRow | undefined> {
    const r = await this.db.selectFrom('auth_tokens')
      .innerJoin('users', 'users.id', 'auth_tokens.user_id')
      .selectAll('users')
      .select('auth_tokens.expires_at as token_expires_at')
      .where('auth_tokens.token_hash', '=', tokenHash)
      .where('auth_tokens.revoked_at', 'is', null)
      .where('auth_tokens.expires_at', '>', now)
      .where('users.disabled_at', 'is', null)
      .executeTakeFirst();
    return r && { user: toUser(r), expiresAt: Number(r.token_expires_at) };
  }

  async revokeToken(tokenHash: string, now: number): Promise<boolean> {
    const r = await this.db.updateTable('auth_tokens').set({ revoked_at: now })
      .where('token_hash', '=', tokenHash).where('revoked_at', 'is', null).executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  /** Revokes every live token of a user (but `exceptHash`); answers how many. */
  async revokeAll(userId: string, now: number, exceptHash: string | null = null): Promise<number> {
    let q = this.db.updateTable('auth_tokens').set({ revoked_at: now })
      .where('user_id', '=', userId).where('revoked_at', 'is', null).where('expires_at', '>', now);
    if (exceptHash) q = q.where('token_hash', '!=', exceptHash);
    const r = await q.executeTakeFirst();
    return Number(r.numUpdatedRows);
  }

  /**
   * Sets a new password hash. `expectHash` makes it conditional (a re-hash at sign-in must not
   * undo a change made meanwhile); answers whether the row changed.
   */
  async setPassword(userId: string, hash: string, opts: { mustChange: boolean; now: number; expectHash?: string }): Promise<boolean> {
    let q = this.db.updateTable('users').set({ password_hash: hash, must_change_password: opts.mustChange ? 1 : 0, password_changed_at: opts.now })
      .where('id', '=', userId);
    if (opts.expectHash !== undefined) q = q.where('password_hash', '=', opts.expectHash);
    const r = await q.executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  /** Only the stored hash changes (same password, stronger parameters). */
  async upgradeHash(userId: string, oldHash: string, newHash: string): Promise<boolean> {
    const r = await this.db.updateTable('users').set({ password_hash: newHash })
      .where('id', '=', userId).where('password_hash', '=', oldHash).executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  /**
   * Disables or enables a user, or changes their role, never leaving the city without an enabled
   * admin (LAST_ADMIN). The first statement locks every enabled admin row, so two admins demoting
   * each other at once (on PostgreSQL, or from two instances) are serialised and the second sees
   * the first's change; SQLite serialises write transactions anyway.
   */
  async changeUser(userId: string, change: { disabledAt?: number | null; role?: Role }): Promise<UserRow> {
    return this.db.transaction().execute(async (trx) => {
      await trx.updateTable('users').set({ role: sql`role` }).where('role', '=', 'admin').where('disabled_at', 'is', null).execute();
      const r = await trx.selectFrom('users').selectAll().where('id', '=', userId).executeTakeFirst();
      if (!r) throw new DomainError('USER_NOT_FOUND', { id: userId });
      const before = toUser(r);
      const staysAdmin = (change.role ?? before.role) === 'admin' && (change.disabledAt === undefined ? before.disabledAt : change.disabledAt) === null;
      if (before.role === 'admin' && before.disabledAt === null && !staysAdmin) {
        const others = await trx.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n'))
          .where('role', '=', 'admin').where('disabled_at', 'is', null).where('id', '!=', userId).executeTakeFirstOrThrow();
        if (Number(others.n) === 0) throw new DomainError('LAST_ADMIN');
      }
      const set: { disabled_at?: number | null; role?: string } = {};
      if (change.disabledAt !== undefined) set.disabled_at = change.disabledAt;
      if (change.role !== undefined) set.role = change.role;
      await trx.updateTable('users').set(set).where('id', '=', userId).execute();
      return { ...before, ...(change.disabledAt !== undefined ? { disabledAt: change.disabledAt } : {}), ...(change.role !== undefined ? { role: change.role } : {}) };
    });
  }

  /** Tokens revoked and users disabled at or after `since` (indexes auth_tokens_revoked, users_disabled). */
  async revocationsSince(since: number): Promise<Revocations> {
    const [tokens, users] = await Promise.all([
      this.db.selectFrom('auth_tokens').select(['token_hash', 'user_id']).where('revoked_at', '>=', since).execute(),
      this.db.selectFrom('users').select('id').where('disabled_at', '>=', since).execute(),
    ]);
    return { tokens: tokens.map((t) => ({ tokenHash: t.token_hash, userId: t.user_id })), disabledUserIds: users.map((u) => u.id) };
  }
}

interface UserRecord {
  id: string; username: string; password_hash: string; role: string; display_name: string | null; created_at: number; disabled_at: number | null; unit_id: string | null;
  must_change_password: number; password_changed_at: number | null; probation_until?: number | null;
}

function toUser(r: UserRecord): UserRow {
  return {
    id: r.id, username: r.username, passwordHash: r.password_hash, role: r.role as Role,
    displayName: r.display_name, createdAt: Number(r.created_at), disabledAt: r.disabled_at === null ? null : Number(r.disabled_at),
    unitId: r.unit_id, mustChangePassword: Number(r.must_change_password) === 1,
    passwordChangedAt: r.password_changed_at === null ? null : Number(r.password_changed_at),
    probationUntil: r.probation_until === null || r.probation_until === undefined ? null : Number(r.probation_until),
  };
}
