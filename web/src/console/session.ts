import type { Session, StaffRole } from './types.js';

// The signed-in dispatcher's token, kept for this browser tab only (sessionStorage): a reload
// keeps the console open, closing the tab signs the workstation out of this page.

const KEY = 'cuadrante.console.session';

export const isStaff = (role: string): role is StaffRole => role === 'dispatcher' || role === 'admin';

export function loadSession(): Session | null {
  try {
    const raw = sessionStorage.getItem(KEY);
    if (!raw) return null;
    const s = JSON.parse(raw) as Session;
    if (!s.token || !isStaff(s.user?.role) || Date.parse(s.expiresAt) <= Date.now()) return null;
    return s;
  } catch {
    return null;
  }
}

export function saveSession(s: Session | null): void {
  try {
    if (s) sessionStorage.setItem(KEY, JSON.stringify(s));
    else sessionStorage.removeItem(KEY);
  } catch {
    // Storage disabled: the session lasts until the page is reloaded.
  }
}
