// The accounts API as clients see it: sign-in, who am I, and the admins' user management.
import { Type, type Static } from 'typebox';
import { IsoTime, Nullable } from './common.js';

export const Role = Type.Union([Type.Literal('citizen'), Type.Literal('unit'), Type.Literal('dispatcher'), Type.Literal('analyst'), Type.Literal('admin'), Type.Literal('gateway')]);
export type Role = Static<typeof Role>;

// ——— requests ———

export const Password = Type.String({ minLength: 12, maxLength: 256 });

export const LoginBody = Type.Object({ username: Type.String({ minLength: 1, maxLength: 64 }), password: Type.String({ minLength: 1, maxLength: 256 }) }, { additionalProperties: false });
export type LoginBody = Static<typeof LoginBody>;

export const PasswordChangeBody = Type.Object({ currentPassword: Type.String({ minLength: 1, maxLength: 256 }), newPassword: Password }, { additionalProperties: false });
export type PasswordChangeBody = Static<typeof PasswordChangeBody>;

export const NewUserBody = Type.Object({
  username: Type.String({ minLength: 3, maxLength: 64, pattern: '^[A-Za-z0-9._-]+$' }),
  password: Password,
  role: Role,
  displayName: Type.Optional(Type.String({ maxLength: 120 })),
  mustChangePassword: Type.Optional(Type.Boolean({ description: 'The person must set their own password at first sign-in (default false)' })),
}, { additionalProperties: false });
export type NewUserBody = Static<typeof NewUserBody>;

export const RoleBody = Type.Object({ role: Role }, { additionalProperties: false });
export type RoleBody = Static<typeof RoleBody>;

export const PasswordResetBody = Type.Object({ password: Password }, { additionalProperties: false });
export type PasswordResetBody = Static<typeof PasswordResetBody>;

export const UserParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });

// ——— answers ———

/** An account as staff may see it: never its password hash or sessions. */
export const PublicUser = Type.Object({
  id: Type.String(), username: Type.String(), role: Role,
  displayName: Nullable(Type.String()), createdAt: IsoTime(),
  unitId: Nullable(Type.String({ description: 'For unit accounts: the patrol unit it signs in to' })),
  disabledAt: Nullable(IsoTime({ description: 'When the account was disabled (its sessions end at once); null when enabled' })),
  mustChangePassword: Type.Boolean({ description: 'The next sign-in must set a new password first' }),
});
export type PublicUser = Static<typeof PublicUser>;

/** POST /api/v1/auth/login. */
export const LoginAnswer = Type.Object({ token: Type.String(), expiresAt: IsoTime(), user: PublicUser, mustChangePassword: Type.Boolean() });
export type LoginAnswer = Static<typeof LoginAnswer>;

/** GET /api/v1/auth/me. */
export const Me = Type.Object({ userId: Type.String(), username: Type.String(), role: Role, unitId: Nullable(Type.String()), mustChangePassword: Type.Boolean() });
export type Me = Static<typeof Me>;

/** Sign-out everywhere (own or someone's). */
export const Revoked = Type.Object({ revoked: Type.Integer({ description: 'Sessions ended' }) });
export type Revoked = Static<typeof Revoked>;
