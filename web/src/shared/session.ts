// Credentials kept on this device. A citizen's device token (no name, no phone: just a key to
// follow and cancel their own alerts) and a staff token (unit officer, dispatcher) are kept
// apart, so signing a unit in on a phone never touches the person's own panic-button credential.
// The analysts' and dispatchers' pages keep theirs per browser tab instead (see tabSession).

const DEVICE_KEY = 'cuadrante.device';
const STAFF_KEY = 'cuadrante.staff';

export interface StoredToken { token: string; expiresAt: string }
export interface DeviceCredential extends StoredToken { userId: string }
export interface StaffSession extends StoredToken {
  user: { id: string; username: string; role: string; unitId: string | null; displayName?: string | null };
  /** The sign-in answered that a new password must be set first: such a session is never kept. */
  mustChangePassword?: boolean;
}

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
