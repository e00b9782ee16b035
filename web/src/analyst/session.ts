import type { AnalystRole, Session } from './types.js';

// The signed-in analyst's token, kept for this browser tab only (sessionStorage), like the
// operations console: a reload keeps the desk open, closing the tab signs this page out.

const KEY = 'cuadrante.analyst.session';

export const isAnalyst = (role: string | undefined): role is AnalystRole => role === 'analyst' || role === 'admin';

export function loadSession(): Session | null {
  try {
    const raw = sessionStorage.getItem(KEY);
    if (!raw) return null;
    const s = JSON.parse(raw) as Session;
    if (!s.token || !isAnalyst(s.user?.role) || Date.parse(s.expiresAt) <= Date.now()) return null;
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
