import type { Db } from '../storage/index.js';
import type { Role } from './roles.js';

export interface UserRow { id: string; username: string; passwordHash: string; role: Role; displayName: string | null; createdAt: number; disabledAt: number | null; unitId: string | null }

export class AccountStore {
  constructor(private db: Db) {}

  async findByUsername(username: string): Promise<UserRow | undefined> {
    const r = await this.db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst();
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
      must_change_password: 0, password_changed_at: u.createdAt, probation_until: null,
    }).execute();
  }

  async listUsers(): Promise<UserRow[]> {
    const rows = await this.db.selectFrom('users').selectAll().orderBy('username').execute();
    return rows.map(toUser);
  }

  async insertToken(t: { tokenHash: string; userId: string; createdAt: number; expiresAt: number }): Promise<void> {
    await this.db.insertInto('auth_tokens').values({
      token_hash: t.tokenHash, user_id: t.userId, created_at: t.createdAt, expires_at: t.expiresAt, revoked_at: null,
    }).execute();
  }

  /** The live session for a token hash, with its user, or undefined. */
  async findSession(tokenHash: string, now: number): Promise<UserRow | undefined> {
    const r = await this.db.selectFrom('auth_tokens')
      .innerJoin('users', 'users.id', 'auth_tokens.user_id')
      .selectAll('users')
      .where('auth_tokens.token_hash', '=', tokenHash)
      .where('auth_tokens.revoked_at', 'is', null)
      .where('auth_tokens.expires_at', '>', now)
      .where('users.disabled_at', 'is', null)
      .executeTakeFirst();
    return r && toUser(r);
  }

  async revokeToken(tokenHash: string, now: number): Promise<boolean> {
    const r = await this.db.updateTable('auth_tokens').set({ revoked_at: now })
      .where('token_hash', '=', tokenHash).where('revoked_at', 'is', null).executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }
}

function toUser(r: { id: string; username: string; password_hash: string; role: string; display_name: string | null; created_at: number; disabled_at: number | null; unit_id: string | null }): UserRow {
  return {
    id: r.id, username: r.username, passwordHash: r.password_hash, role: r.role as Role,
    displayName: r.display_name, createdAt: Number(r.created_at), disabledAt: r.disabled_at === null ? null : Number(r.disabled_at),
    unitId: r.unit_id,
  };
}
