import type { RaiseBody } from '../../../../src/contracts/dispatch.js';
import type { AlertKind } from '../../shared/alerts.js';

// What the panic button keeps on this device, in localStorage so that it survives a crash,
// a reload or a dead battery: the alert pressed but not yet accepted by the server (with the
// Idempotency-Key it was first sent with, so a retry can never create a second alert), the
// alert being followed, whether PINs are set, and the city's SMS line (known offline too).

export interface PendingAlert {
  /** Generated once per press and kept until the server answers. */
  key: string;
  input: Pick<RaiseBody, 'lat' | 'lon' | 'accuracy'> & { kind: AlertKind };
  pressedAt: number;
}

const OUTBOX = 'cuadrante.alert.outbox';
const ACTIVE = 'cuadrante.alert.active';
const PINS = 'cuadrante.alert.pins';
const CITY_LINE = 'cuadrante.cityLine';

function get(key: string): string | null {
  try { return localStorage.getItem(key); } catch { return null; }
}

function put(key: string, value: string | null): void {
  try {
    if (value === null) localStorage.removeItem(key);
    else localStorage.setItem(key, value);
  } catch {
    // Storage disabled: the alert still goes out now, it just cannot survive a reload.
  }
}

export function loadPending(): PendingAlert | null {
  try {
    const value = JSON.parse(get(OUTBOX) ?? 'null') as PendingAlert | null;
    return value && typeof value.key === 'string' && typeof value.input?.lat === 'number' ? value : null;
  } catch {
    return null;
  }
}
export const savePending = (p: PendingAlert | null): void => put(OUTBOX, p && JSON.stringify(p));

export const activeAlertId = (): string | null => get(ACTIVE);
export const saveActiveAlertId = (id: string | null): void => put(ACTIVE, id);

export const pinsAreSet = (): boolean => get(PINS) === '1';
export const rememberPinsSet = (): void => put(PINS, '1');

export const storedCityLine = (): string | null => get(CITY_LINE);
export const rememberCityLine = (line: string): void => put(CITY_LINE, line);

/** 32 hex characters. crypto.randomUUID exists only in secure contexts; getRandomValues everywhere. */
export function newIdempotencyKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** "AYUDA 19.32928,-99.20907" — the city's SMS line understands this without data. */
export function smsHref(line: string, point: { lat: number; lon: number } | null): string {
  const body = point ? `AYUDA ${point.lat.toFixed(5)},${point.lon.toFixed(5)}` : 'AYUDA';
  return `sms:${line}?body=${encodeURIComponent(body)}`;
}
