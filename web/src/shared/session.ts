// Credentials kept on this device. A citizen's device token (no name, no phone: just a key to
// follow and cancel their own alerts) and a staff token (unit officer, dispatcher) are kept
// apart, so signing a unit in on a phone never touches the person's own panic-button credential.

const DEVICE_KEY = 'cuadrante.device';
const STAFF_KEY = 'cuadrante.staff';

export interface StoredToken { token: string; expiresAt: string }
export interface DeviceCredential extends StoredToken { userId: string }
export interface StaffSession extends StoredToken {
  user: { id: string; username: string; role: string; unitId: string | null; displayName?: string | null };
}

function read<T extends StoredToken>(key: string): T | null {
  try {
    const raw = localStorage.getItem(key);
    if (!raw) return null;
    const value = JSON.parse(raw) as T;
    if (typeof value.token !== 'string' || Date.parse(value.expiresAt) <= Date.now()) return null;
    return value;
  } catch {
    return null; // storage disabled or corrupt: act as if signed out
  }
}

function write(key: string, value: StoredToken | null): void {
  try {
    if (value) localStorage.setItem(key, JSON.stringify(value));
    else localStorage.removeItem(key);
  } catch {
    // Without storage the credential lives only as long as the page; still usable.
  }
}

export const deviceCredential = (): DeviceCredential | null => read<DeviceCredential>(DEVICE_KEY);
export const saveDeviceCredential = (c: DeviceCredential | null): void => write(DEVICE_KEY, c);

export const staffSession = (): StaffSession | null => read<StaffSession>(STAFF_KEY);
export const saveStaffSession = (s: StaffSession | null): void => write(STAFF_KEY, s);
