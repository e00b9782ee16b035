// What the OsmAnd decoding steps hand each other: a decoded report with its device, or a problem.
import type { DeviceReport } from '../report.js';

export type Reason = 'missing_id' | 'malformed' | 'too_many';
export interface Problem { problem: Reason; message: string }
export interface Decoded { deviceId: string; report: DeviceReport }
export interface Batch { deviceId: string; reports: DeviceReport[] }

export interface Settings { localOffsetMinutes: number; maxReports: number }

export const malformed = (message: string): Problem => ({ problem: 'malformed', message });
export const missingId = (message: string): Problem => ({ problem: 'missing_id', message });
export const isProblem = (r: object): r is Problem => 'problem' in r;

/** A problem found inside element `i` of a batch, so the sender can tell which one. */
export const within = (label: string, p: Problem): Problem => ({ ...p, message: `${label}: ${p.message}` });

/** Attribute names are identifiers (rpm, battery_temp, device.model): 1–64 of A–Z a–z 0–9 _ . : -.
 *  Anything else is debris, e.g. the fragments of a JSON body read as a form, and is dropped. */
const ATTRIBUTE_KEY = /^[\w.:-]{1,64}$/;
export const isAttributeKey = (key: string): boolean => ATTRIBUTE_KEY.test(key);

/** A value as it may appear in a message: quoted, escaped, at most 32 characters. */
export function quote(value: string): string {
  return JSON.stringify(value.length > 32 ? `${value.slice(0, 32)}…` : value);
}

/** Half a coordinate pair is no fix: Traccar then keeps the last known location, so do we. */
export function pairCoordinates(report: DeviceReport): void {
  if (report.lat === null || report.lon === null) {
    report.lat = null;
    report.lon = null;
  }
}

/** A device id as sent: text, or an integer-valued JSON number; blank is no id. */
export function deviceIdFrom(value: unknown): string | null {
  if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
  return typeof value === 'string' && value.trim() !== '' ? value : null;
}
