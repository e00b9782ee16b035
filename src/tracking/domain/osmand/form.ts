// The query / form format (Traccar's decodeQuery): one report from key=value pairs. Each known key
// is one small step in a table; any other key becomes an attribute. Pairs are applied in order, so
// a repeated scalar parameter ends with its last value; `cell` and `wifi` (lists in Traccar) keep
// every value, joined by ';'.
import { emptyReport, type DeviceReport } from '../report.js';
import { deviceIdFrom, isAttributeKey, malformed, missingId, pairCoordinates, quote, type Decoded, type Problem } from './common.js';
import { attributeValue, KNOTS_PER_MPS, parseDecimal, parseTimestamp } from './values.js';

export type Pair = readonly [key: string, value: string];

interface Draft { id: string | null; report: DeviceReport; localOffsetMinutes: number }
/** Applies one parameter; returns why the request is malformed, or nothing. */
type Field = (d: Draft, value: string, key: string) => string | undefined;

const setId: Field = (d, value, key) => {
  const id = deviceIdFrom(value);
  if (id === null) return undefined;
  // Two different identities in one request is not a scalar to overwrite: refuse it.
  if (d.id !== null && d.id !== id) return `${key} ${quote(id)} contradicts the id ${quote(d.id)} given before`;
  d.id = id;
  return undefined;
};

const setTime: Field = (d, value) => {
  const at = parseTimestamp(value, d.localOffsetMinutes);
  if (at === null) return `timestamp ${quote(value)} is neither epoch seconds/ms, ISO-8601 with a zone, nor yyyy-MM-dd HH:mm:ss`;
  d.report.at = at;
  return undefined;
};

/** Coordinates are the report itself: one that is not a number makes the request malformed. */
const coordinate = (axis: 'lat' | 'lon'): Field => (d, value, key) => {
  const n = parseDecimal(value);
  if (n === null) return `${key} ${quote(value)} is not a number`;
  d.report[axis] = n;
  return undefined;
};

const setLocation: Field = (d, value) => {
  const [lat = '', lon = ''] = value.split(',', 2);
  const error = coordinate('lat')(d, lat, 'location latitude') ?? coordinate('lon')(d, lon, 'location longitude');
  return error === undefined ? undefined : `location ${quote(value)} is not "lat,lon": ${error}`;
};

type NumericField = 'speedMps' | 'course' | 'altitudeM' | 'accuracyM' | 'batteryPct';
/** Secondary readings: a value that is not a number ("", "NaN") means "unknown" rather than
 *  costing the whole position (Traccar would refuse the request). */
const reading = (field: NumericField, convert: (n: number) => number = (n) => n): Field => (d, value) => {
  const n = parseDecimal(value);
  d.report[field] = n === null ? null : convert(n);
  return undefined;
};

const setCharge: Field = (d, value) => {
  const v = value.trim().toLowerCase();
  d.report.charging = v === 'true' || v === '1' ? true : v === 'false' || v === '0' ? false : null;
  return undefined;
};

const setAlarm: Field = (d, value) => {
  d.report.alarm = value.trim() === '' ? null : value;
  return undefined;
};

// Java's Boolean.parseBoolean ignores case; "1" is Traccar's addition; anything else is invalid.
const setValid: Field = (d, value) => {
  d.report.valid = value.toLowerCase() === 'true' || value === '1';
  return undefined;
};

const setHdop: Field = (d, value) => {
  const n = parseDecimal(value);
  if (n === null) delete d.report.attributes.hdop;
  else d.report.attributes.hdop = n;
  return undefined;
};

/** Identifiers stay text even when they look numeric (an IMEI or a driver card must keep its zeros). */
const text: Field = (d, value, key) => {
  d.report.attributes[key] = value;
  return undefined;
};

const list: Field = (d, value, key) => {
  const before = d.report.attributes[key];
  d.report.attributes[key] = typeof before === 'string' ? `${before};${value}` : value;
  return undefined;
};

const attribute: Field = (d, value, key) => {
  d.report.attributes[key] = attributeValue(value);
  return undefined;
};

// A Map, not an object literal: a key such as "__proto__" or "constructor" must find nothing here.
const FIELDS: ReadonlyMap<string, Field> = new Map<string, Field>([
  ['id', setId], ['deviceid', setId],
  ['valid', setValid],
  ['timestamp', setTime],
  ['lat', coordinate('lat')], ['lon', coordinate('lon')], ['location', setLocation],
  ['speed', reading('speedMps', (knots) => knots / KNOTS_PER_MPS)],
  ['bearing', reading('course')], ['heading', reading('course')],
  ['altitude', reading('altitudeM')],
  ['accuracy', reading('accuracyM')],
  ['batt', reading('batteryPct')],
  ['charge', setCharge],
  ['alarm', setAlarm],
  ['hdop', setHdop],
  ['driverUniqueId', text], ['notificationToken', text], ['imei', text],
  ['cell', list], ['wifi', list],
]);

/** One report from its parameters, in the order they were sent. */
export function decodePairs(pairs: Iterable<Pair>, localOffsetMinutes: number): Decoded | Problem {
  const d: Draft = { id: null, report: emptyReport(), localOffsetMinutes };
  for (const [key, value] of pairs) {
    const step = FIELDS.get(key) ?? (isAttributeKey(key) ? attribute : undefined);
    const error = step?.(d, value, key);
    if (error !== undefined) return malformed(error);
  }
  if (d.id === null) return missingId('no id or deviceid parameter');
  pairCoordinates(d.report);
  return { deviceId: d.id, report: d.report };
}

/** Query parameters first; the body, read as a form, only when the URL has none (as Traccar). */
export function formPairs(query: string, body: string): Pair[] {
  const fromQuery = [...new URLSearchParams(query)];
  return fromQuery.length > 0 ? fromQuery : [...new URLSearchParams(body)];
}
