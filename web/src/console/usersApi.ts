import { request } from '../shared/api.js';
import type { SessionCall } from '../shared/dispatchApi.js';

// The account calls of the console: everyone's own ("sign out everywhere"; the password change is
// in shared/StaffLogin.ts), and the admins' user management (users:manage on the server).

export type ManagedRole = 'unit' | 'dispatcher' | 'analyst' | 'admin' | 'gateway';

/** A staff account as GET /api/v1/users lists it. */
export interface ManagedUser {
  id: string;
  username: string;
  role: ManagedRole | 'citizen';
  displayName: string | null;
  createdAt: string;
  unitId: string | null;
  disabledAt: string | null;
  mustChangePassword: boolean;
}

export interface NewUser { username: string; password: string; role: ManagedRole; displayName?: string; mustChangePassword: boolean }

export function usersApi(authed: SessionCall) {
  const path = (id: string, action: string) => `/api/v1/users/${encodeURIComponent(id)}/${action}`;
  return {
    signOutEverywhere: () => authed((o) => request<{ revoked: number }>('POST', '/api/v1/auth/sign-out-everywhere', undefined, o)),
    list: (signal?: AbortSignal) => authed((o) => request<ManagedUser[]>('GET', '/api/v1/users', undefined, o), signal),
    create: (user: NewUser) => authed((o) => request<ManagedUser>('POST', '/api/v1/users', user, o)),
    disable: (id: string) => authed((o) => request<ManagedUser>('POST', path(id, 'disable'), undefined, o)),
    enable: (id: string) => authed((o) => request<ManagedUser>('POST', path(id, 'enable'), undefined, o)),
    setRole: (id: string, role: ManagedRole) => authed((o) => request<ManagedUser>('PUT', path(id, 'role'), { role }, o)),
    resetPassword: (id: string, password: string) => authed((o) => request<ManagedUser>('PUT', path(id, 'password'), { password }, o)),
    signOut: (id: string) => authed((o) => request<{ revoked: number }>('POST', path(id, 'sign-out'), undefined, o)),
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
