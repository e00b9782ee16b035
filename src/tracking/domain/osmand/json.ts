// The JSON bodies: Traccar Client 9's transistorsoft object ({location, device_id}, Traccar's
// decodeJson) and Traccar Client 10's `uploadJson` array of flat objects with the form's keys.
import { emptyReport, type AttributeValue, type DeviceReport } from '../report.js';
import {
  deviceIdFrom, isAttributeKey, isProblem, malformed, missingId, pairCoordinates, quote, within,
  type Batch, type Problem, type Settings,
} from './common.js';
import { decodePairs, type Pair } from './form.js';
import { parseDecimal, parseTimestamp } from './values.js';

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
/** Own members only: nothing inherited from Object.prototype can pass for a field. */
const own = (o: Json, key: string): unknown => (Object.hasOwn(o, key) ? o[key] : undefined);

export function decodeJsonBody(body: string, settings: Settings): Batch | Problem {
  let root: unknown;
  try {
    root = JSON.parse(body);
  } catch {
    return malformed('the body is not valid JSON');
  }
  if (Array.isArray(root)) return decodeFlat(root, settings);
  if (!isObject(root)) return malformed('the JSON body is neither an object nor an array');
  // A single flat object is read like a one-element uploadJson array.
  return Object.hasOwn(root, 'location') || Object.hasOwn(root, 'device_id') ? decodeTransistorsoft(root, settings) : decodeFlat([root], settings);
}

const tooMany = (n: number, max: number): Problem => ({ problem: 'too_many', message: `${n} positions in one request; at most ${max} are accepted` });

// ---- Traccar Client 10: [{id, lat, lon, timestamp, speed (knots), ...}, ...] -------------------

function decodeFlat(items: unknown[], settings: Settings): Batch | Problem {
  if (items.length > settings.maxReports) return tooMany(items.length, settings.maxReports);
  if (items.length === 0) return missingId('the array is empty, so there is no device id');
  const reports: DeviceReport[] = [];
  let deviceId: string | null = null;
  for (const [i, item] of items.entries()) {
    if (!isObject(item)) return malformed(`element ${i} is not an object`);
    const r = decodePairs(flatPairs(item), settings.localOffsetMinutes);
    if (isProblem(r)) return within(`element ${i}`, r);
    if (deviceId !== null && r.deviceId !== deviceId) {
      return malformed(`element ${i} is for device ${quote(r.deviceId)}, element 0 for ${quote(deviceId)}; one device per request`);
    }
    deviceId = r.deviceId;
    reports.push(r.report);
  }
  return { deviceId: deviceId as string, reports };
}

/** The flat object as form pairs; nested objects, arrays and nulls carry nothing the form knows. */
function flatPairs(item: Json): Pair[] {
  const pairs: Pair[] = [];
  for (const [key, value] of Object.entries(item)) {
    if (typeof value === 'string') pairs.push([key, value]);
    else if (typeof value === 'number' || typeof value === 'boolean') pairs.push([key, String(value)]);
  }
  return pairs;
}

// ---- Traccar Client 9: {location: {...} | [{...}], device_id} ----------------------------------

function decodeTransistorsoft(root: Json, settings: Settings): Batch | Problem {
  const deviceId = deviceIdFrom(own(root, 'device_id'));
  if (deviceId === null) return missingId('no device_id member');
  const location = own(root, 'location');
  // An array is transistorsoft's batchSync; Traccar Client 9 itself sends one object.
  const items = Array.isArray(location) ? location : [location];
  if (items.length > settings.maxReports) return tooMany(items.length, settings.maxReports);
  if (items.length === 0) return malformed('location is an empty array');
  const reports: DeviceReport[] = [];
  for (const [i, item] of items.entries()) {
    const label = Array.isArray(location) ? `location[${i}]` : 'location';
    if (!isObject(item)) return malformed(`${label} is not an object`);
    const r = decodeLocation(item, settings.localOffsetMinutes);
    if (isProblem(r)) return within(label, r);
    reports.push(r);
  }
  return { deviceId, reports };
}

/** A JSON number or numeric text; null when absent; NaN when present but not a number. */
function readNumber(v: unknown): number | null {
  if (v === undefined || v === null) return null;
  if (typeof v === 'number') return Number.isFinite(v) ? v : Number.NaN;
  return typeof v === 'string' ? parseDecimal(v) ?? Number.NaN : Number.NaN;
}

/** The SDK reports -1 for "unknown" speed, heading, accuracy and battery. */
const nonNegative = (v: unknown): number | null => {
  const n = readNumber(v);
  return n !== null && n >= 0 ? n : null;
};

const primitive = (v: unknown): AttributeValue | null =>
  typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v)) ? v : null;

function decodeLocation(loc: Json, localOffsetMinutes: number): DeviceReport | Problem {
  const report = emptyReport();
  const error = readTime(report, own(loc, 'timestamp'), localOffsetMinutes) ?? readCoords(report, own(loc, 'coords'));
  if (error !== undefined) return malformed(error);
  readBattery(report, own(loc, 'battery'));
  readAttributes(report, loc);
  return report;
}

function readTime(report: DeviceReport, v: unknown, localOffsetMinutes: number): string | undefined {
  if (v === undefined || v === null) return undefined;
  const raw = typeof v === 'string' || typeof v === 'number' ? String(v) : '';
  report.at = parseTimestamp(raw, localOffsetMinutes);
  return report.at === null ? `timestamp ${quote(raw || typeof v)} is not a time` : undefined;
}

function readCoords(report: DeviceReport, coords: unknown): string | undefined {
  if (!isObject(coords)) return undefined; // no coords: Traccar keeps the last known location
  const lat = readNumber(own(coords, 'latitude'));
  const lon = readNumber(own(coords, 'longitude'));
  if (Number.isNaN(lat)) return 'coords.latitude is not a number';
  if (Number.isNaN(lon)) return 'coords.longitude is not a number';
  report.lat = lat;
  report.lon = lon;
  pairCoordinates(report);
  // Traccar keeps accuracy only from osmand.minAccuracy (10 m) up; we keep any real value (≥ 0).
  report.accuracyM = nonNegative(own(coords, 'accuracy'));
  report.speedMps = nonNegative(own(coords, 'speed'));
  report.course = nonNegative(own(coords, 'heading'));
  const altitude = readNumber(own(coords, 'altitude'));
  report.altitudeM = Number.isNaN(altitude) ? null : altitude;
  return undefined;
}

function readBattery(report: DeviceReport, battery: unknown): void {
  if (!isObject(battery)) return;
  const level = nonNegative(own(battery, 'level'));
  // Rounded, not truncated as Traccar does: 0.29 × 100 is 28.999…, and the phone said 29 %.
  report.batteryPct = level === null ? null : Math.round(level * 100);
  const charging = own(battery, 'is_charging');
  report.charging = typeof charging === 'boolean' ? charging : null;
}

function readAttributes(report: DeviceReport, loc: Json): void {
  const activity = own(loc, 'activity');
  const named: [string, unknown][] = [
    ['motion', own(loc, 'is_moving')], ['odometer', own(loc, 'odometer')], ['event', own(loc, 'event')],
    ['activity', isObject(activity) ? own(activity, 'type') : undefined], ['mock', own(loc, 'mock')],
  ];
  const extras = own(loc, 'extras');
  // Extras come last, so a device's own key wins; `alarm` there is how Client 9's SOS is sent.
  for (const [key, value] of [...named, ...(isObject(extras) ? Object.entries(extras) : [])]) {
    const v = primitive(value);
    if (v === null || !isAttributeKey(key)) continue;
    if (key === 'alarm') report.alarm = String(v);
    else report.attributes[key] = v;
  }
  const alarm = primitive(own(loc, 'alarm'));
  if (alarm !== null) report.alarm = String(alarm);
  if (report.alarm !== null && report.alarm.trim() === '') report.alarm = null;
}
