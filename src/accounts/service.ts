// Accounts use-cases: first admin, login, sessions, staff accounts. No HTTP here.
import type { ChangeLog } from '../bus/index.js';
import { EventEmitter } from 'node:events';
import { DomainError, type Clock, type IdGenerator } from '../kernel/index.js';
import type { AuditLog } from '../audit/index.js';
import { DUMMY_HASH, generatePassword, hashPassword, hashToken, needsRehash, newToken, verifyPassword } from './passwords.js';
import type { Role } from './roles.js';
import type { Db } from '../storage/index.js';
import { AccountStore, type Revocations, type UserRow } from './storage.js';
import type { SignInThrottle } from './throttle.js';

export interface Principal {
  userId: string; username: string; role: Role; unitId: string | null;
  /** A citizen device on probation until then (created past its network's limit): dispatch holds its alerts. */
  probationUntil?: number | null;
}
export interface Session { token: string; expiresAt: Date; user: PublicUser; mustChangePassword: boolean }
export interface PublicUser {
  id: string; username: string; role: Role; displayName: string | null; createdAt: string; unitId: string | null;
  disabledAt: string | null; mustChangePassword: boolean;
}
export interface NewUser { username: string; password: string; role: Role; displayName?: string | null; unitId?: string | null; mustChangePassword?: boolean }
/** What a token stands for right now: who, until when, and whether they must first set a new password. */
export interface SessionInfo { principal: Principal; tokenHash: string; expiresAt: number; mustChangePassword: boolean }

/**
 * Sessions ended in this process (logout, "sign out everywhere", a disable, a role or password
 * change): the WebSocket hub closes the matching sockets at once. Another instance's changes reach
 * it through revocationsSince().
 */
/** The subject of ended sessions, to the other instances; payload: SessionsEnded. */
export const SESSIONS_ENDED = 'accounts.sessions.ended';

export interface SessionsEnded {
  userId: string;
  /** Only this token; otherwise every token of the user. */
  tokenHash?: string;
  /** Every token of the user but this one (the session that changed its own password). */
  exceptTokenHash?: string;
  reason: 'logout' | 'signed_out' | 'disabled' | 'role_changed' | 'password_changed';
}

const DEVICE_TOKEN_TTL_MS = 365 * 24 * 3600_000;
/** Staff passwords: at least this long (and at most 256, as every route's schema says). */
export const MIN_PASSWORD_LENGTH = 12;
const MAX_PASSWORD_LENGTH = 256;

export class AccountService {
  private readonly events = new EventEmitter();

  constructor(
    private store: AccountStore,
    private audit: AuditLog,
    private clock: Clock,
    private ids: IdGenerator,
    private tokenTtlMs: number,
    private throttle: SignInThrottle,
    /** With several instances: ended sessions are told to the others, which close their sockets too. */
    private changes: ChangeLog | null = null,
  ) {
    this.events.setMaxListeners(0);
  }

  onSessionsEnded(listener: (e: SessionsEnded) => void): () => void {
    this.events.on('ended', listener);
    return () => { this.events.off('ended', listener); };
  }

  private ended(e: SessionsEnded): void {
    this.events.emit('ended', e);
    // Requests are checked against the database on every instance already; this closes the others'
    // open sockets at once rather than at their next session check. Its own transaction, after the
    // revocation: a crash between the two leaves that to the session check.
    this.changes?.publish(SESSIONS_ENDED, e).catch((err: unknown) => this.onPublishError(err));
  }

  /** Another instance ended these sessions (src/distribution.ts): told to this one's listeners. */
  remoteEnded(e: SessionsEnded): void { this.events.emit('ended', e); }

  /** Set by the composition root (the server's error log). */
  onPublishError: (err: unknown) => void = () => undefined;

  now(): number { return this.clock.now().getTime(); }

  /**
   * Creates the first admin if there is none. Returns the password only when it was generated here;
   * a generated (printed) password must be changed at first sign-in, a configured one was chosen
   * by the operator and need not be.
   */
  async ensureAdmin(username: string, password: string | null): Promise<{ created: boolean; generatedPassword: string | null }> {
    if ((await this.store.countByRole('admin')) > 0) return { created: false, generatedPassword: null };
    const pw = password ?? generatePassword();
    await this.createUser(null, { username, password: pw, role: 'admin', displayName: 'Administrador', mustChangePassword: password === null });
    return { created: true, generatedPassword: password ? null : pw };
  }

  async assertUsernameFree(usernameRaw: string): Promise<void> {
    const username = usernameRaw.trim().toLowerCase();
    if (await this.store.findByUsername(username)) {
      throw new DomainError('VALIDATION_FAILED', { detail: { es: `el usuario "${username}" ya existe`, en: `user "${username}" already exists` } });
    }
  }

  async createUser(actorId: string | null, input: NewUser): Promise<PublicUser> {
    const user = await this.draftUser(input);
    await this.store.insertUser(user);
    return this.userCreated(actorId, user);
  }

  /** A new account, checked (username free) and its password hashed, but not stored: see UnitEnrolment. */
  async draftUser(input: NewUser): Promise<UserRow> {
    const username = input.username.trim().toLowerCase();
    await this.assertUsernameFree(username);
    const now = this.clock.now().getTime();
    return {
      id: this.ids(), username, passwordHash: await hashPassword(input.password), role: input.role,
      displayName: input.displayName ?? null, createdAt: now, disabledAt: null, unitId: input.unitId ?? null,
      mustChangePassword: input.mustChangePassword ?? false, passwordChangedAt: now,
    };
  }

  /** Stores a drafted account in the caller's transaction. */
  async insertUserIn(trx: Db, user: UserRow): Promise<void> {
    await new AccountStore(trx).insertUser(user);
  }

  /** After the account's transaction committed: audited. */
  async userCreated(actorId: string | null, user: UserRow): Promise<PublicUser> {
    await this.audit.record(actorId, 'user.create', user.id, { username: user.username, role: user.role, mustChangePassword: user.mustChangePassword });
    return toPublic(user);
  }

  /**
   * A citizen's phone gets its own credential on first use: no name, no phone number, no
   * password — just a long-lived token the page keeps.
   */
  async registerDevice(opts: { probationUntil?: number | null } = {}): Promise<Session> {
    const now = this.clock.now().getTime();
    const user: UserRow = {
      id: this.ids(), username: `device-${this.ids()}`, passwordHash: '!', role: 'citizen',
      displayName: null, createdAt: now, disabledAt: null, unitId: null, probationUntil: opts.probationUntil ?? null,
    };
    await this.store.insertUser(user);
    return this.issueToken(user, now, DEVICE_TOKEN_TTL_MS);
  }

  private async issueToken(user: UserRow, now: number, ttlMs: number): Promise<Session> {
    const token = newToken();
    const expiresAt = now + ttlMs;
    await this.store.insertToken({ tokenHash: hashToken(token), userId: user.id, createdAt: now, expiresAt });
    return { token, expiresAt: new Date(expiresAt), user: toPublic(user), mustChangePassword: user.mustChangePassword ?? false };
  }

  async listUsers(): Promise<PublicUser[]> {
    return (await this.store.listUsers()).map(toPublic);
  }

  async findUser(usernameRaw: string): Promise<PublicUser> {
    const username = usernameRaw.trim().toLowerCase();
    const user = await this.store.findByUsername(username);
    if (!user) throw new DomainError('USER_NOT_FOUND', { id: username });
    return toPublic(user);
  }

  /**
   * Sign-in. `networkKey` is the keyed hash of the caller's network (req.networkKey): guesses are
   * slowed per account and network before any hashing (see throttle.ts), so a throttled try costs
   * no scrypt. A hash made with older parameters is upgraded now that the password is known.
   */
  async login(usernameRaw: string, password: string, networkKey: string | null): Promise<Session> {
    const username = usernameRaw.trim().toLowerCase();
    const attempt = await this.throttle.begin(username, networkKey);
    let user: UserRow | undefined;
    let stored: string;
    try {
      user = await this.store.findByUsername(username);
      stored = user?.passwordHash.startsWith('scrypt$') ? user.passwordHash : DUMMY_HASH;
      const ok = await verifyPassword(password, stored, attempt.known ? 'first' : 'normal');
      if (!user || !ok || user.disabledAt !== null || stored === DUMMY_HASH) {
        await attempt.failed();
        await this.audit.record(user?.id ?? null, 'auth.login_failed', null, { username: usernameRaw.slice(0, 64) });
        throw new DomainError('INVALID_CREDENTIALS');
      }
      await attempt.succeeded();
    } finally {
      attempt.release();
    }
    if (needsRehash(stored)) {
      // Conditional: a password changed meanwhile is never overwritten with the old one.
      if (await this.store.upgradeHash(user.id, stored, await hashPassword(password))) {
        await this.audit.record(user.id, 'auth.password_rehashed', user.id);
      }
    }
    const session = await this.issueToken(user, this.clock.now().getTime(), this.tokenTtlMs);
    await this.audit.record(user.id, 'auth.login', user.id);
    return session;
  }

  /** The session a token stands for (one query), even one that must change its password first. */
  async session(token: string): Promise<SessionInfo> {
    const tokenHash = hashToken(token);
    const found = await this.store.findSession(tokenHash, this.clock.now().getTime());
    if (!found) throw new DomainError('INVALID_TOKEN');
    const { user, expiresAt } = found;
    return { principal: toPrincipal(user), tokenHash, expiresAt, mustChangePassword: user.mustChangePassword ?? false };
  }

  /** Who a token stands for; a session that must change its password first is refused. */
  async authenticate(token: string): Promise<Principal> {
    const s = await this.session(token);
    if (s.mustChangePassword) throw new DomainError('PASSWORD_CHANGE_REQUIRED');
    return s.principal;
  }

  async logout(token: string, actorId: string): Promise<void> {
    const tokenHash = hashToken(token);
    await this.store.revokeToken(tokenHash, this.clock.now().getTime());
    this.ended({ userId: actorId, tokenHash, reason: 'logout' });
    await this.audit.record(actorId, 'auth.logout', actorId);
  }

  /** "Sign out everywhere": revokes every token of the user (their own request, or an admin's). */
  async signOutEverywhere(actorId: string | null, userId: string): Promise<{ revoked: number }> {
    await this.require(userId);
    const revoked = await this.store.revokeAll(userId, this.clock.now().getTime());
    this.ended({ userId, reason: 'signed_out' });
    await this.audit.record(actorId, 'user.sign_out_everywhere', userId, { revoked });
    return { revoked };
  }

  /**
   * A signed-in user sets a new password, proving the current one (guesses throttled like
   * sign-in: a stolen session must not find the password fast). Their other sessions end; this
   * one stays, now free of any forced change.
   */
  async changeOwnPassword(session: SessionInfo, current: string, next: string, networkKey: string | null): Promise<void> {
    const user = await this.require(session.principal.userId);
    const attempt = await this.throttle.begin(user.username, networkKey);
    try {
      if (!user.passwordHash.startsWith('scrypt$') || !(await verifyPassword(current, user.passwordHash))) {
        await attempt.failed();
        await this.audit.record(user.id, 'user.password_change_failed', user.id);
        throw new DomainError('WRONG_PASSWORD');
      }
      await attempt.succeeded();
    } finally {
      attempt.release();
    }
    assertPasswordRule(next);
    if (next.normalize('NFC') === current.normalize('NFC')) throw samePassword();
    const now = this.clock.now().getTime();
    await this.store.setPassword(user.id, await hashPassword(next), { mustChange: false, now });
    const revoked = await this.store.revokeAll(user.id, now, session.tokenHash);
    this.ended({ userId: user.id, exceptTokenHash: session.tokenHash, reason: 'password_changed' });
    await this.audit.record(user.id, 'user.password_change', user.id, { otherSessionsRevoked: revoked });
  }

  /** An admin sets a new password for someone: it must be changed at their next sign-in, and their sessions end. */
  async resetPassword(actorId: string | null, userId: string, next: string): Promise<PublicUser> {
    const user = await this.require(userId);
    if (user.role === 'citizen') throw deviceCredential();
    assertPasswordRule(next);
    if (user.passwordHash.startsWith('scrypt$') && (await verifyPassword(next, user.passwordHash))) throw samePassword();
    const now = this.clock.now().getTime();
    await this.store.setPassword(user.id, await hashPassword(next), { mustChange: true, now });
    const revoked = await this.store.revokeAll(user.id, now);
    this.ended({ userId: user.id, reason: 'password_changed' });
    await this.audit.record(actorId, 'user.password_reset', user.id, { sessionsRevoked: revoked });
    return toPublic({ ...user, mustChangePassword: true, passwordChangedAt: now });
  }

  /** Cuts an account off at once: its tokens are revoked and refused (open sockets close within a second). */
  async disable(actorId: string | null, userId: string): Promise<PublicUser> {
    const user = await this.require(userId);
    const now = this.clock.now().getTime();
    const changed = user.disabledAt === null ? await this.store.changeUser(userId, { disabledAt: now }) : user;
    const revoked = await this.store.revokeAll(userId, now);
    this.ended({ userId, reason: 'disabled' });
    if (user.disabledAt === null) await this.audit.record(actorId, 'user.disable', userId, { sessionsRevoked: revoked });
    return toPublic(changed);
  }

  async enable(actorId: string | null, userId: string): Promise<PublicUser> {
    const user = await this.require(userId);
    if (user.disabledAt === null) return toPublic(user);
    const changed = await this.store.changeUser(userId, { disabledAt: null });
    await this.audit.record(actorId, 'user.enable', userId);
    return toPublic(changed);
  }

  /** A new role takes effect at the next sign-in: the user's sessions end now. */
  async changeRole(actorId: string | null, userId: string, role: Role): Promise<PublicUser> {
    const user = await this.require(userId);
    if (user.role === 'citizen' || role === 'citizen') throw deviceCredential();
    if (role === 'unit' && !user.unitId) {
      throw new DomainError('VALIDATION_FAILED', { detail: {
        es: 'una cuenta de unidad se crea con su unidad (panel de unidades)', en: 'a unit account is created with its unit (units panel)' } });
    }
    if (user.role === role) return toPublic(user);
    const changed = await this.store.changeUser(userId, { role });
    const revoked = await this.store.revokeAll(userId, this.clock.now().getTime());
    this.ended({ userId, reason: 'role_changed' });
    await this.audit.record(actorId, 'user.role_change', userId, { from: user.role, to: role, sessionsRevoked: revoked });
    return toPublic(changed);
  }

  /** Tokens revoked and users disabled since `since` (by any instance), for the WebSocket hub. */
  revocationsSince(since: number): Promise<Revocations> {
    return this.store.revocationsSince(since);
  }

  private async require(userId: string): Promise<UserRow> {
    const user = await this.store.findById(userId);
    if (!user) throw new DomainError('USER_NOT_FOUND', { id: userId.slice(0, 64) });
    return user;
  }
}

export function assertPasswordRule(password: string): void {
  if (password.length < MIN_PASSWORD_LENGTH || password.length > MAX_PASSWORD_LENGTH) {
    throw new DomainError('VALIDATION_FAILED', { detail: {
      es: `la contraseña debe tener de ${MIN_PASSWORD_LENGTH} a ${MAX_PASSWORD_LENGTH} caracteres`,
      en: `the password must have ${MIN_PASSWORD_LENGTH} to ${MAX_PASSWORD_LENGTH} characters`,
    } });
  }
}

const samePassword = () => new DomainError('VALIDATION_FAILED', { detail: {
  es: 'la nueva contraseña debe ser distinta de la actual', en: 'the new password must differ from the current one' } });

const deviceCredential = () => new DomainError('VALIDATION_FAILED', { detail: {
  es: 'una credencial de dispositivo no tiene contraseña ni rol que cambiar', en: 'a device credential has no password or role to change' } });

function toPrincipal(u: UserRow): Principal {
  return { userId: u.id, username: u.username, role: u.role, unitId: u.unitId, probationUntil: u.probationUntil ?? null };
}

function toPublic(u: UserRow): PublicUser {
  return {
    id: u.id, username: u.username, role: u.role, displayName: u.displayName, createdAt: new Date(u.createdAt).toISOString(), unitId: u.unitId,
    disabledAt: u.disabledAt === null ? null : new Date(u.disabledAt).toISOString(), mustChangePassword: u.mustChangePassword ?? false,
  };
}
