import type { NewUserBody, PublicUser, Revoked, Role } from '../../../src/contracts/accounts.js';
import { request } from '../shared/api.js';
import type { SessionCall } from '../shared/dispatchApi.js';

// The account calls of the console: everyone's own ("sign out everywhere"; the password change is
// in shared/StaffLogin.ts), and the admins' user management (users:manage on the server).

/** The roles an admin gives (citizens' device credentials are not managed here). */
export type ManagedRole = Exclude<Role, 'citizen'>;

/** A staff account as GET /api/v1/users lists it. */
export type ManagedUser = PublicUser;

/** The form always says whether the person must change the password (the API defaults it to false). */
export type NewUser = NewUserBody & { role: ManagedRole; mustChangePassword: boolean };

export function usersApi(authed: SessionCall) {
  const path = (id: string, action: string) => `/api/v1/users/${encodeURIComponent(id)}/${action}`;
  return {
    signOutEverywhere: () => authed((o) => request<Revoked>('POST', '/api/v1/auth/sign-out-everywhere', undefined, o)),
    list: (signal?: AbortSignal) => authed((o) => request<ManagedUser[]>('GET', '/api/v1/users', undefined, o), signal),
    create: (user: NewUser) => authed((o) => request<ManagedUser>('POST', '/api/v1/users', user, o)),
    disable: (id: string) => authed((o) => request<ManagedUser>('POST', path(id, 'disable'), undefined, o)),
    enable: (id: string) => authed((o) => request<ManagedUser>('POST', path(id, 'enable'), undefined, o)),
    setRole: (id: string, role: ManagedRole) => authed((o) => request<ManagedUser>('PUT', path(id, 'role'), { role }, o)),
    resetPassword: (id: string, password: string) => authed((o) => request<ManagedUser>('PUT', path(id, 'password'), { password }, o)),
    signOut: (id: string) => authed((o) => request<Revoked>('POST', path(id, 'sign-out'), undefined, o)),
  };
}

export type UsersApi = ReturnType<typeof usersApi>;

/** A password an admin can read out once: 4 groups of 5 characters without look-alikes (as the server's). */
export function temporaryPassword(): string {
  const alphabet = 'abcdefghjkmnpqrstuvwxyz23456789';
  const bytes = crypto.getRandomValues(new Uint8Array(20));
  const chars = Array.from(bytes, (b) => alphabet[b % alphabet.length]);
  return [0, 5, 10, 15].map((i) => chars.slice(i, i + 5).join('')).join('-');
}
