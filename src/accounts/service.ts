// Accounts use-cases: first admin, login, sessions, staff accounts. No HTTP here.
import { DomainError, type Clock, type IdGenerator } from '../kernel/index.js';
import type { AuditLog } from '../audit/index.js';
import { generatePassword, hashPassword, hashToken, newToken, verifyPassword } from './passwords.js';
import type { Role } from './roles.js';
import type { AccountStore, UserRow } from './storage.js';

export interface Principal { userId: string; username: string; role: Role; unitId: string | null }
export interface Session { token: string; expiresAt: Date; user: PublicUser }
export interface PublicUser { id: string; username: string; role: Role; displayName: string | null; createdAt: string; unitId: string | null }

// A fixed hash to compare against when the user does not exist, so timing does not reveal usernames.
const DEVICE_TOKEN_TTL_MS = 365 * 24 * 3600_000;
const DUMMY_HASH = 'scrypt$131072$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';

export class AccountService {
  constructor(
    private store: AccountStore,
    private audit: AuditLog,
    private clock: Clock,
    private ids: IdGenerator,
    private tokenTtlMs: number,
  ) {}

  /** Creates the first admin if there is none. Returns the password only when it was generated here. */
  async ensureAdmin(username: string, password: string | null): Promise<{ created: boolean; generatedPassword: string | null }> {
    if ((await this.store.countByRole('admin')) > 0) return { created: false, generatedPassword: null };
    const pw = password ?? generatePassword();
    await this.createUser(null, { username, password: pw, role: 'admin', displayName: 'Administrador' });
    return { created: true, generatedPassword: password ? null : pw };
  }

  async assertUsernameFree(usernameRaw: string): Promise<void> {
    const username = usernameRaw.trim().toLowerCase();
    if (await this.store.findByUsername(username)) {
      throw new DomainError('VALIDATION_FAILED', { detail: { es: `el usuario "${username}" ya existe`, en: `user "${username}" already exists` } });
    }
  }

  async createUser(actorId: string | null, input: { username: string; password: string; role: Role; displayName?: string | null; unitId?: string | null }): Promise<PublicUser> {
    const username = input.username.trim().toLowerCase();
    await this.assertUsernameFree(username);
    const user: UserRow = {
      id: this.ids(), username, passwordHash: await hashPassword(input.password), role: input.role,
      displayName: input.displayName ?? null, createdAt: this.clock.now().getTime(), disabledAt: null, unitId: input.unitId ?? null,
    };
    await this.store.insertUser(user);
    await this.audit.record(actorId, 'user.create', user.id, { username, role: user.role });
    return toPublic(user);
  }

  /**
   * A citizen's phone gets its own credential on first use: no name, no phone number, no
   * password — just a long-lived token the page keeps.
   */
  async registerDevice(): Promise<Session> {
    const now = this.clock.now().getTime();
    const user: UserRow = {
      id: this.ids(), username: `device-${this.ids()}`, passwordHash: '!', role: 'citizen',
      displayName: null, createdAt: now, disabledAt: null, unitId: null,
    };
    await this.store.insertUser(user);
    return this.issueToken(user, now, DEVICE_TOKEN_TTL_MS);
  }

  private async issueToken(user: UserRow, now: number, ttlMs: number): Promise<Session> {
    const token = newToken();
    const expiresAt = now + ttlMs;
    await this.store.insertToken({ tokenHash: hashToken(token), userId: user.id, createdAt: now, expiresAt });
    return { token, expiresAt: new Date(expiresAt), user: toPublic(user) };
  }

  async listUsers(): Promise<PublicUser[]> {
    return (await this.store.listUsers()).map(toPublic);
  }

  async login(usernameRaw: string, password: string): Promise<Session> {
    const user = await this.store.findByUsername(usernameRaw.trim().toLowerCase());
    const ok = await verifyPassword(password, user?.passwordHash ?? DUMMY_HASH);
    if (!user || !ok || user.disabledAt !== null) {
      await this.audit.record(user?.id ?? null, 'auth.login_failed', null, { username: usernameRaw.slice(0, 64) });
      throw new DomainError('INVALID_CREDENTIALS');
    }
    const session = await this.issueToken(user, this.clock.now().getTime(), this.tokenTtlMs);
    await this.audit.record(user.id, 'auth.login', user.id);
    return session;
  }

  async authenticate(token: string): Promise<Principal> {
    const user = await this.store.findSession(hashToken(token), this.clock.now().getTime());
    if (!user) throw new DomainError('INVALID_TOKEN');
    return { userId: user.id, username: user.username, role: user.role, unitId: user.unitId };
  }

  async logout(token: string, actorId: string): Promise<void> {
    await this.store.revokeToken(hashToken(token), this.clock.now().getTime());
    await this.audit.record(actorId, 'auth.logout', actorId);
  }
}

function toPublic(u: UserRow): PublicUser {
  return { id: u.id, username: u.username, role: u.role, displayName: u.displayName, createdAt: new Date(u.createdAt).toISOString(), unitId: u.unitId };
}
