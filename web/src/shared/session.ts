// Credentials kept on this device. A citizen's device token (no name, no phone: just a key to
// follow and cancel their own alerts) and a staff token (unit officer, dispatcher) are kept
// apart, so signing a unit in on a phone never touches the person's own panic-button credential.
// The analysts' and dispatchers' pages keep theirs per browser tab instead (see tabSession).

import type { LoginAnswer } from '../../../src/contracts/accounts.js';
import type { DeviceCredential as DeviceAnswer } from '../../../src/contracts/dispatch.js';

const DEVICE_KEY = 'cuadrante.device';
const STAFF_KEY = 'cuadrante.staff';

export interface StoredToken { token: string; expiresAt: string }
/** POST /api/v1/devices. */
export type DeviceCredential = DeviceAnswer;
/** POST /api/v1/auth/login. With mustChangePassword (a new password must be set first) it is never kept. */
export type StaffSession = LoginAnswer;

type Area = () => Storage;
const device: Area = () => localStorage;
const tab: Area = () => sessionStorage;

function read<T extends StoredToken>(key: string, area: Area = device): T | null {
  try {
    const raw = area().getItem(key);
    if (!raw) return null;
    const value = JSON.parse(raw) as T;
    if (typeof value.token !== 'string' || Date.parse(value.expiresAt) <= Date.now()) return null;
    return value;
  } catch {
    return null; // storage disabled or corrupt: act as if signed out
  }
}

function write(key: string, value: StoredToken | null, area: Area = device): void {
  try {
    if (value) area().setItem(key, JSON.stringify(value));
    else area().removeItem(key);
  } catch {
    // Without storage the credential lives only as long as the page; still usable.
  }
}

export const deviceCredential = (): DeviceCredential | null => read<DeviceCredential>(DEVICE_KEY);
export const saveDeviceCredential = (c: DeviceCredential | null): void => write(DEVICE_KEY, c);

export const staffSession = (): StaffSession | null => {
  const s = read<StaffSession>(STAFF_KEY);
  return s && !s.mustChangePassword ? s : null;
};
export const saveStaffSession = (s: StaffSession | null): void => write(STAFF_KEY, s);

/**
 * A staff page's session kept for this browser tab only (sessionStorage): a reload keeps the page
 * open, closing the tab signs this page out. A stored session of a role the page refuses is ignored.
 */
export function tabSession(key: string, allowed: (role: string) => boolean) {
  return {
    load(): StaffSession | null {
      const s = read<StaffSession>(key, tab);
      return s?.token && allowed(s.user?.role) && !s.mustChangePassword ? s : null;
    },
    save(s: StaffSession | null): void { write(key, s, tab); },
  };
}

export type TabSession = ReturnType<typeof tabSession>;
