// The OsmAnd decoder on a table of payloads, one row per variant (as Traccar's
// OsmAndProtocolDecoderTest), written from /work/shared/standards/traccar-osmand.md:
// S2 = Traccar server test vectors, S5 = old Android client, S6 = Client 9 JSON, S7 = Client 10.
// Then a seeded fuzz run: no input may throw, yield NaN or touch Object.prototype.
import { describe, expect, it } from 'vitest';
import { decodeOsmAnd, UNEXPECTED_FAILURE, type OsmAndDecoded, type OsmAndInput, type OsmAndOptions } from './osmand.js';
import type { DeviceReport } from './report.js';
import { mulberry32 as prng } from '../../../tests/support/prng.js';

const CDMX: OsmAndOptions = { localOffsetMinutes: -360 };
const KN = 1.943844;
const FORM = 'application/x-www-form-urlencoded';
const JSON_CT = 'application/json';

/** A report with everything "not given", overridden by the fields a row cares about. */
const r = (over: Partial<DeviceReport> = {}): DeviceReport => ({
  at: null, lat: null, lon: null, speedMps: null, course: null, altitudeM: null, accuracyM: null,
  batteryPct: null, charging: null, valid: true, alarm: null, attributes: {}, ...over,
});
const ok = (format: 'form' | 'json', deviceId: string, ...reports: DeviceReport[]) => ({ ok: true, format, deviceId, reports }) as const;
const fail = (format: 'form' | 'json', reason: 'missing_id' | 'malformed' | 'too_many') => ({ ok: false, format, status: 400, reason }) as const;
type Expected = ReturnType<typeof ok> | ReturnType<typeof fail>;

const q = (query: string): OsmAndInput => ({ query, body: '', contentType: undefined });
const form = (body: string): OsmAndInput => ({ query: '', body, contentType: FORM });
const json = (body: unknown): OsmAndInput => ({ query: '', body: typeof body === 'string' ? body : JSON.stringify(body), contentType: JSON_CT });
const kn = (knots: number) => expect.closeTo(knots / KN, 9);
const S_1377177267 = 1377177267_000;

interface Row { name: string; input: OsmAndInput; expected: Expected; opts?: Partial<OsmAndOptions> }

// ---- Traccar Client 9 (S6): the transistorsoft template, and Traccar's own JSON test vectors (S2) ----
const v9 = (location: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({ location, device_id: '48241179', ...extra });
const v9Template = {
  timestamp: '2025-06-15T13:45:12.862Z',
  coords: { latitude: 37.4219983, longitude: -122.084, accuracy: 5, speed: 0, heading: -1, altitude: 5 },
  is_moving: false, odometer: 0, event: 'motionchange', battery: { level: 1, is_charging: false }, activity: { type: 'still' },
  extras: {}, _: '&id=48241179&lat=37.4219983&lon=-122.084&timestamp=2025-06-15T13:45:12.862Z&',
};
const v9Attrs = { motion: false, odometer: 0, event: 'motionchange', activity: 'still' };
const v9Report = r({
  at: Date.UTC(2025, 5, 15, 13, 45, 12, 862), lat: 37.4219983, lon: -122.084, accuracyM: 5, speedMps: 0, course: null, altitudeM: 5,
  batteryPct: 100, charging: false, attributes: v9Attrs,
});

// ---- Traccar Client 10 (S7): what HttpUploader sends, as a form and as the uploadJson array ----
const v10Form = 'id=48241179&lat=19.4326&lon=-99.1332&timestamp=1750000000&accuracy=4.8&altitude=2240.5&speed=12.5&bearing=87.0'
  + '&batt=76&charge=false&battery_health=good&battery_voltage=4012&battery_temp=31.5';
const v10Element = (over: Record<string, unknown> = {}) => ({
  id: '48241179', lat: 19.4326, lon: -99.1332, timestamp: 1750000000, accuracy: 4.8, altitude: 2240.5, speed: 12.5, bearing: 87,
  batt: 76, charge: true, ...over,
});
const v10Report = (over: Partial<DeviceReport> = {}) => r({
  at: 1750000000_000, lat: 19.4326, lon: -99.1332, accuracyM: 4.8, altitudeM: 2240.5, speedMps: kn(12.5), course: 87, batteryPct: 76, charging: true, ...over,
});

const rows: Row[] = [
  // Traccar server query vectors (S2), verbatim
  { name: 'S2 query: cell and wifi towers, no coordinates',
    input: q('id=123456&timestamp=1377177267&cell=257,02,16,2224&cell=257,02,16,2223,-90&wifi=00-14-22-01-23-45,-80&wifi=00-1C-B3-09-85-15,-70'),
    expected: ok('form', '123456', r({ at: S_1377177267, attributes: { cell: '257,02,16,2224;257,02,16,2223,-90', wifi: '00-14-22-01-23-45,-80;00-1C-B3-09-85-15,-70' } })) },
  { name: 'S2 query: no id → missing_id', input: q('timestamp=1377177267&lat=60.0&lon=30.0'), expected: fail('form', 'missing_id') },
  { name: 'S2 query: ISO-8601 timestamp with Z, colons URL-encoded; hdop attribute',
    input: q('id=902064&lat=42.06288&lon=-88.23412&timestamp=2016-01-27T18%3A55%3A47Z&hdop=6.0&altitude=224.0&speed=0.0'),
    expected: ok('form', '902064', r({ at: Date.UTC(2016, 0, 27, 18, 55, 47), lat: 42.06288, lon: -88.23412, altitudeM: 224, speedMps: 0, attributes: { hdop: 6 } })) },
  { name: 'S2 query: timestamp in milliseconds',
    input: q('id=902064&lat=42.06288&lon=-88.23412&timestamp=1442068686579&hdop=6.0&altitude=224.0&speed=0.0'),
    expected: ok('form', '902064', r({ at: 1442068686579, lat: 42.06288, lon: -88.23412, altitudeM: 224, speedMps: 0, attributes: { hdop: 6 } })) },
  { name: 'S2 query: local yyyy-MM-dd+HH:mm:ss (CDMX, UTC-6), id last',
    input: q('lat=49.60688&lon=6.15788&timestamp=2014-06-04+09%3A10%3A11&altitude=384.7&speed=0.0&id=353861053849681'),
    expected: ok('form', '353861053849681', r({ at: Date.UTC(2014, 5, 4, 15, 10, 11), lat: 49.60688, lon: 6.15788, altitudeM: 384.7, speedMps: 0 })) },
  { name: 'S2 query: bearing, altitude and hdop 0',
    input: q('id=123456&timestamp=1377177267&lat=60.0&lon=30.0&speed=0.0&bearing=0.0&altitude=0&hdop=0.0'),
    expected: ok('form', '123456', r({ at: S_1377177267, lat: 60, lon: 30, speedMps: 0, course: 0, altitudeM: 0, attributes: { hdop: 0 } })) },
  { name: 'S2 query: just id, timestamp, lat, lon', input: q('id=123456&timestamp=1377177267&lat=60.0&lon=30.0'),
    expected: ok('form', '123456', r({ at: S_1377177267, lat: 60, lon: 30 })) },
  { name: 'S2 query: deviceid, heading, vacc/hacc as attributes, no timestamp',
    input: q('lat=60.0&lon=30.0&speed=0.0&heading=0.0&vacc=0&hacc=0&altitude=0&deviceid=123456'),
    expected: ok('form', '123456', r({ lat: 60, lon: 30, speedMps: 0, course: 0, altitudeM: 0, attributes: { vacc: 0, hacc: 0 } })) },
  { name: 'S2 query: batt in percent', input: q('id=861001000719969&lat=41.666667&lon=-0.883333&altitude=350.059479&speed=0.000000&batt=87'),
    expected: ok('form', '861001000719969', r({ lat: 41.666667, lon: -0.883333, altitudeM: 350.059479, speedMps: 0, batteryPct: 87 })) },
  { name: 'S2 query: location=lat,lon', input: q('id=123456&timestamp=1377177267&location=60.0,30.0'),
    expected: ok('form', '123456', r({ at: S_1377177267, lat: 60, lon: 30 })) },
  { name: 'S2 query: speed 40 knots; ignition, rpm, fuel as attributes',
    input: q('id=123456789012345&timestamp=1504763810&lat=40.7232948571&lon=-74.0061408571&bearing=7.19889788244&speed=40&ignition=true&rpm=933&fuel=24'),
    expected: ok('form', '123456789012345', r({ at: 1504763810_000, lat: 40.7232948571, lon: -74.0061408571, course: 7.19889788244, speedMps: kn(40), attributes: { ignition: true, rpm: 933, fuel: 24 } })) },

  // Old Android client ≤ v8 (S5): everything in the query of a POST with an empty body
  { name: 'S5 Android ≤ v8: ProtocolFormatterTest URL (0,0 kept: the pipeline drops null island)',
    input: q('id=123456789012345&timestamp=619315200&lat=0.0&lon=0.0&speed=0.0&bearing=0.0&altitude=0.0&accuracy=0.0&batt=0.0'),
    expected: ok('form', '123456789012345', r({ at: 619315200_000, lat: 0, lon: 0, speedMps: 0, course: 0, altitudeM: 0, accuracyM: 0, batteryPct: 0 })) },
  { name: 'S5 Android ≤ v8: alarm with %20, path /path',
    input: q('id=123456789012345&timestamp=619315200&lat=0.0&lon=0.0&speed=0.0&bearing=0.0&altitude=0.0&accuracy=0.0&batt=0.0&alarm=alert%20message'),
    expected: ok('form', '123456789012345', r({ at: 619315200_000, lat: 0, lon: 0, speedMps: 0, course: 0, altitudeM: 0, accuracyM: 0, batteryPct: 0, alarm: 'alert message' })) },
  { name: 'S5 Android ≤ v8: charge=true and mock=true', input: q('id=7&timestamp=1750000000&lat=19.4&lon=-99.1&batt=15.0&charge=true&mock=true'),
    expected: ok('form', '7', r({ at: 1750000000_000, lat: 19.4, lon: -99.1, batteryPct: 15, charging: true, attributes: { mock: true } })) },

  // Traccar Client 10 (S7), default: a form body
  { name: 'S7 Client 10: form body with battery extras', input: form(v10Form),
    expected: ok('form', '48241179', v10Report({ charging: false, attributes: { battery_health: 'good', battery_voltage: 4012, battery_temp: 31.5 } })) },
  { name: 'S7 Client 10: SOS form, imei kept as text, custom attribute',
    input: form('id=48241179&imei=056938035643809&lat=19.4326&lon=-99.1332&timestamp=1750000000&alarm=sos&unit=P-1234'),
    expected: ok('form', '48241179', r({ at: 1750000000_000, lat: 19.4326, lon: -99.1332, alarm: 'sos', attributes: { imei: '056938035643809', unit: 'P-1234' } })) },
  { name: 'S7 Client 10: form without a fix (no lat/lon) → last known location', input: form('id=48241179&timestamp=1750000000&batt=50&alarm=sos'),
    expected: ok('form', '48241179', r({ at: 1750000000_000, batteryPct: 50, alarm: 'sos' })) },
  { name: 'form body read whatever its Content-Type', input: { query: '', body: 'id=9&lat=1&lon=2', contentType: 'text/plain' },
    expected: ok('form', '9', r({ lat: 1, lon: 2 })) },
  { name: 'query parameters win; the body is then ignored', input: { query: 'id=A&lat=1&lon=2', body: 'id=B&lat=3&lon=4', contentType: FORM },
    expected: ok('form', 'A', r({ lat: 1, lon: 2 })) },
  { name: 'a query with no parameters ("&") falls back to the body', input: { query: '&', body: 'id=B&lat=3&lon=4', contentType: FORM },
    expected: ok('form', 'B', r({ lat: 3, lon: 4 })) },

  // timestamp forms
  { name: 'timestamp 2147483646: still seconds', input: q('id=1&timestamp=2147483646'), expected: ok('form', '1', r({ at: 2147483646_000 })) },
  { name: 'timestamp 2147483647: milliseconds from the threshold on', input: q('id=1&timestamp=2147483647'), expected: ok('form', '1', r({ at: 2147483647 })) },
  { name: 'timestamp negative seconds', input: q('id=1&timestamp=-60'), expected: ok('form', '1', r({ at: -60_000 })) },
  { name: 'timestamp ISO with offset and fraction', input: q('id=1&timestamp=2026-11-22T06:00:00.123456-06:00'),
    expected: ok('form', '1', r({ at: Date.UTC(2026, 10, 22, 12, 0, 0, 123) })) },
  { name: 'timestamp ISO with offset and [region]', input: q('id=1&timestamp=2026-11-22T06:00-06:00%5BAmerica/Mexico_City%5D'),
    expected: ok('form', '1', r({ at: Date.UTC(2026, 10, 22, 12, 0) })) },
  { name: 'timestamp ISO with a literal + offset (%2B)', input: q('id=1&timestamp=2026-11-22T13:00:00%2B01:00'),
    expected: ok('form', '1', r({ at: Date.UTC(2026, 10, 22, 12, 0) })) },
  { name: 'timestamp local with a literal + (double-encoded %2B)', input: q('id=1&timestamp=2014-06-04%2B09:10:11'),
    expected: ok('form', '1', r({ at: Date.UTC(2014, 5, 4, 15, 10, 11) })) },
  { name: 'timestamp local with %20', input: q('id=1&timestamp=2014-06-04%2009:10:11'), expected: ok('form', '1', r({ at: Date.UTC(2014, 5, 4, 15, 10, 11) })) },
  { name: 'timestamp local in UTC when the offset is 0', input: q('id=1&timestamp=2014-06-04+09:10:11'), opts: { localOffsetMinutes: 0 },
    expected: ok('form', '1', r({ at: Date.UTC(2014, 5, 4, 9, 10, 11) })) },
  { name: 'timestamp ISO month 13 → malformed', input: q('id=1&timestamp=2016-13-01T00:00:00Z'), expected: fail('form', 'malformed') },
  { name: 'timestamp ISO without a zone → malformed', input: q('id=1&timestamp=2016-01-27T18:55:47'), expected: fail('form', 'malformed') },
  { name: 'timestamp local 30 February → malformed (no rollover)', input: q('id=1&timestamp=2014-02-30+09:10:11'), expected: fail('form', 'malformed') },
  { name: 'timestamp text → malformed', input: q('id=1&lat=1&lon=2&timestamp=yesterday'), expected: fail('form', 'malformed') },
  { name: 'timestamp empty → malformed', input: q('id=1&timestamp='), expected: fail('form', 'malformed') },
  { name: 'timestamp beyond any date → malformed', input: q('id=1&timestamp=99999999999999999'), expected: fail('form', 'malformed') },
  { name: 'timestamp beyond a 64-bit long → malformed', input: q('id=1&timestamp=123456789012345678901234'), expected: fail('form', 'malformed') },

  // every other parameter form
  { name: 'valid=false → invalid', input: q('id=1&lat=1&lon=2&valid=false'), expected: ok('form', '1', r({ lat: 1, lon: 2, valid: false })) },
  { name: 'valid=1 → valid', input: q('id=1&valid=1'), expected: ok('form', '1', r({ valid: true })) },
  { name: 'valid=0 then valid=TRUE → valid (case-insensitive, last wins)', input: q('id=1&valid=0&valid=TRUE'), expected: ok('form', '1', r({ valid: true })) },
  { name: 'valid=yes → invalid (only true/1 count)', input: q('id=1&valid=yes'), expected: ok('form', '1', r({ valid: false })) },
  { name: 'charge=1 → charging', input: q('id=1&charge=1'), expected: ok('form', '1', r({ charging: true })) },
  { name: 'charge=0 → not charging', input: q('id=1&charge=0'), expected: ok('form', '1', r({ charging: false })) },
  { name: 'charge=maybe → unknown', input: q('id=1&charge=maybe'), expected: ok('form', '1', r({ charging: null })) },
  { name: 'alarm empty → none', input: q('id=1&alarm='), expected: ok('form', '1', r()) },
  { name: 'driverUniqueId and notificationToken stay text', input: q('id=1&driverUniqueId=00123&notificationToken=42'),
    expected: ok('form', '1', r({ attributes: { driverUniqueId: '00123', notificationToken: '42' } })) },
  { name: 'speed NaN, bearing empty, batt text, hdop text → unknown, request kept',
    input: q('id=1&lat=1&lon=2&speed=NaN&bearing=&batt=full&hdop=x&accuracy=Infinity'), expected: ok('form', '1', r({ lat: 1, lon: 2 })) },
  { name: 'negative speed and course kept as sent (the pipeline judges)', input: q('id=1&speed=-1.94&bearing=-1'),
    expected: ok('form', '1', r({ speedMps: kn(-1.94), course: -1 })) },
  { name: 'repeated scalars: the last wins; lists keep all', input: q('id=1&lat=1&lon=2&lat=3&speed=1&speed=2&rpm=1&rpm=x&location=5,6&lon=7'),
    expected: ok('form', '1', r({ lat: 5, lon: 7, speedMps: kn(2), attributes: { rpm: 'x' } })) },
  { name: 'id and deviceid agreeing', input: q('id=1&deviceid=1&lat=1&lon=2'), expected: ok('form', '1', r({ lat: 1, lon: 2 })) },
  { name: 'id and deviceid contradicting → malformed', input: q('id=1&deviceid=2'), expected: fail('form', 'malformed') },
  { name: 'blank id, then deviceid', input: q('id=%20&deviceid=abc'), expected: ok('form', 'abc', r()) },
  { name: 'only lat, no lon → no fix', input: q('id=1&lat=19.4'), expected: ok('form', '1', r()) },
  { name: 'coordinates out of range are kept (the pipeline validates)', input: q('id=1&lat=123&lon=-500'), expected: ok('form', '1', r({ lat: 123, lon: -500 })) },
  { name: 'exponent and sign notation', input: q('id=1&lat=%2B1.94e1&lon=-.99e2'), expected: ok('form', '1', r({ lat: 19.4, lon: -99 })) },
  { name: 'location with a third part: altitude ignored', input: q('id=1&location=60.0,30.0,5'), expected: ok('form', '1', r({ lat: 60, lon: 30 })) },
  { name: 'lat not a number → malformed', input: q('id=1&lat=abc&lon=2'), expected: fail('form', 'malformed') },
  { name: 'lat empty → malformed', input: q('id=1&lat=&lon=2'), expected: fail('form', 'malformed') },
  { name: 'lon NaN → malformed', input: q('id=1&lat=1&lon=NaN'), expected: fail('form', 'malformed') },
  { name: 'lat 1e400 (overflows to Infinity) → malformed', input: q('id=1&lat=1e400&lon=2'), expected: fail('form', 'malformed') },
  { name: 'lat in hex → malformed', input: q('id=1&lat=0x10&lon=2'), expected: fail('form', 'malformed') },
  { name: 'location with one part → malformed', input: q('id=1&location=60.0'), expected: fail('form', 'malformed') },
  { name: 'location with a word → malformed', input: q('id=1&location=60.0,east'), expected: fail('form', 'malformed') },
  { name: 'empty id → missing_id', input: q('id=&lat=1&lon=2'), expected: fail('form', 'missing_id') },
  { name: 'empty request → missing_id', input: q(''), expected: fail('form', 'missing_id') },
  { name: 'parameter names are case-sensitive: ID is an attribute', input: q('ID=1&lat=1&lon=2'), expected: fail('form', 'missing_id') },
  { name: '__proto__, constructor and toString keys are plain attributes',
    input: q('id=1&__proto__=x&constructor=1&toString=true&hasOwnProperty=false'),
    expected: ok('form', '1', r({ attributes: { ['__proto__']: 'x', constructor: 1, toString: true, hasOwnProperty: false } })) },
  { name: 'Java-only numbers (5d, 0x1p3, NaN) stay text; bad %-escapes stay literal',
    input: q('id=1&a=5d&b=0x1p3&c=NaN&d=%ZZ&e=%20%2012%20'), expected: ok('form', '1', r({ attributes: { a: '5d', b: '0x1p3', c: 'NaN', d: '%ZZ', e: 12 } })) },

  // Traccar Client 9 JSON (S6, S2)
  { name: 'S2 JSON: Client 9 motionchange, heading -1 unknown, accuracy 5 kept', input: json(v9(v9Template)), expected: ok('json', '48241179', v9Report) },
  { name: 'S2 JSON: extras of every type',
    input: json(v9({ ...v9Template, extras: { device_string_test: 'long_device_id', device_bool_test: true, device_bool_false_test: false, device_integer_test: 1, device_double_test: 1.345, device_very_long_double_test: 1763636.3442 } })),
    expected: ok('json', '48241179', r({ ...v9Report, attributes: { ...v9Attrs, device_string_test: 'long_device_id', device_bool_test: true, device_bool_false_test: false, device_integer_test: 1, device_double_test: 1.345, device_very_long_double_test: 1763636.3442 } })) },
  { name: 'S2 JSON: iOS mock location; speed, heading, battery -1 unknown',
    input: json('{"location":{"extras":{},"mock":true,"coords":{"speed_accuracy":-1,"speed":-1,"longitude":-122.406417,"ellipsoidal_altitude":0,"floor":null,"heading_accuracy":-1,"latitude":37.785834000000001,"accuracy":5,"altitude_accuracy":-1,"altitude":0,"heading":-1},"is_moving":false,"age":188,"odometer":0,"uuid":"2FB04C65-99CF-42AB-8DD3-EBCB4B108BF8","event":"motionchange","battery":{"level":-1,"is_charging":false},"activity":{"type":"unknown","confidence":100},"timestamp":"2025-05-09T04:11:30.579Z"},"device_id":"658765"}'),
    expected: ok('json', '658765', r({ at: Date.UTC(2025, 4, 9, 4, 11, 30, 579), lat: 37.785834, lon: -122.406417, accuracyM: 5, altitudeM: 0, charging: false, attributes: { motion: false, odometer: 0, event: 'motionchange', activity: 'unknown', mock: true } })) },
  { name: 'S2 JSON: Android moving at 18.67 m/s, battery 0.79',
    input: json('{"location":{"event":"motionchange","is_moving":false,"uuid":"0e9a2473-a9a7-4c00-997b-fb97d2154e75","timestamp":"2021-07-21T08:06:34.444Z","odometer":0,"coords":{"latitude":-6.1148096,"longitude":106.6837015,"accuracy":3.8,"speed":18.67,"speed_accuracy":0.26,"heading":63,"heading_accuracy":0.28,"altitude":35.7,"altitude_accuracy":3.8},"activity":{"type":"still","confidence":100},"battery":{"is_charging":false,"level":0.79},"extras":{}},"device_id":"8737767034"}'),
    expected: ok('json', '8737767034', r({ at: Date.UTC(2021, 6, 21, 8, 6, 34, 444), lat: -6.1148096, lon: 106.6837015, accuracyM: 3.8, speedMps: 18.67, course: 63, altitudeM: 35.7, batteryPct: 79, charging: false, attributes: { motion: false, odometer: 0, event: 'motionchange', activity: 'still' } })) },
  { name: 'Client 9 SOS: extras.alarm → alarm', input: json(v9({ ...v9Template, extras: { alarm: 'sos' } })), expected: ok('json', '48241179', r({ ...v9Report, alarm: 'sos' })) },
  { name: 'Client 9 location.alarm → alarm', input: json(v9({ ...v9Template, alarm: 'sos' })), expected: ok('json', '48241179', r({ ...v9Report, alarm: 'sos' })) },
  { name: 'Client 9 battery 0.29 → 29 % (rounded), charging', input: json(v9({ ...v9Template, battery: { level: 0.29, is_charging: true } })),
    expected: ok('json', '48241179', r({ ...v9Report, batteryPct: 29, charging: true })) },
  { name: 'Client 9 without coords → last known location', input: json(v9({ timestamp: '2025-06-15T13:45:12Z', event: 'heartbeat' })),
    expected: ok('json', '48241179', r({ at: Date.UTC(2025, 5, 15, 13, 45, 12), attributes: { event: 'heartbeat' } })) },
  { name: 'Client 9 batchSync: a location array is one report each',
    input: json(v9([v9Template, { ...v9Template, timestamp: '2025-06-15T13:46:12.862Z' }] as unknown as Record<string, unknown>)),
    expected: ok('json', '48241179', v9Report, r({ ...v9Report, at: Date.UTC(2025, 5, 15, 13, 46, 12, 862) })) },
  { name: 'Client 9 numeric device_id', input: json({ location: v9Template, device_id: 48241179 }), expected: ok('json', '48241179', v9Report) },
  { name: 'Client 9 coordinates as numeric text', input: json(v9({ coords: { latitude: '19.4', longitude: '-99.1' } })), expected: ok('json', '48241179', r({ lat: 19.4, lon: -99.1 })) },
  { name: 'Client 9 no device_id → missing_id', input: json({ location: v9Template }), expected: fail('json', 'missing_id') },
  { name: 'Client 9 latitude a word → malformed', input: json(v9({ coords: { latitude: 'north', longitude: 1 } })), expected: fail('json', 'malformed') },
  { name: 'Client 9 latitude an object → malformed', input: json(v9({ coords: { latitude: { v: 1 }, longitude: 1 } })), expected: fail('json', 'malformed') },
  { name: 'Client 9 latitude 1e400 → malformed', input: json('{"device_id":"1","location":{"coords":{"latitude":1e400,"longitude":1}}}'), expected: fail('json', 'malformed') },
  { name: 'Client 9 bad timestamp → malformed', input: json(v9({ ...v9Template, timestamp: 'soon' })), expected: fail('json', 'malformed') },
  { name: 'Client 9 without location → malformed', input: json({ device_id: '1' }), expected: fail('json', 'malformed') },
  { name: 'Client 9 batchSync over maxReports → too_many', input: json(v9([v9Template, v9Template, v9Template] as unknown as Record<string, unknown>)),
    opts: { maxReports: 2 }, expected: fail('json', 'too_many') },

  // Traccar Client 10 uploadJson (S7): an array of flat objects with the form's keys
  { name: 'S7 Client 10 uploadJson: two positions', input: json([v10Element(), v10Element({ timestamp: 1750000060, battery_health: 'good' })]),
    expected: ok('json', '48241179', v10Report(), v10Report({ at: 1750000060_000, attributes: { battery_health: 'good' } })) },
  { name: 'S7 Client 10 uploadJson: no lat/lon, alarm sos', input: json([{ id: '48241179', timestamp: 1750000000, alarm: 'sos' }]),
    expected: ok('json', '48241179', r({ at: 1750000000_000, alarm: 'sos' })) },
  { name: 'Client 10 uploadJson: nested values and nulls ignored', input: json([{ id: '1', lat: 1, lon: 2, extra: { a: 1 }, list: [1], gone: null }]),
    expected: ok('json', '1', r({ lat: 1, lon: 2 })) },
  { name: 'Client 10 uploadJson: exactly maxReports', input: json([v10Element(), v10Element(), v10Element()]), opts: { maxReports: 3 },
    expected: ok('json', '48241179', v10Report(), v10Report(), v10Report()) },
  { name: 'Client 10 uploadJson: over maxReports → too_many', input: json([v10Element(), v10Element(), v10Element()]), opts: { maxReports: 2 },
    expected: fail('json', 'too_many') },
  { name: 'Client 10 uploadJson: 101 elements, default limit 100 → too_many', input: json(Array.from({ length: 101 }, () => v10Element())),
    expected: fail('json', 'too_many') },
  { name: 'Client 10 uploadJson: two device ids → malformed', input: json([v10Element(), v10Element({ id: 'other' })]), expected: fail('json', 'malformed') },
  { name: 'Client 10 uploadJson: an element without id → missing_id', input: json([v10Element(), v10Element({ id: undefined })]), expected: fail('json', 'missing_id') },
  { name: 'Client 10 uploadJson: empty array → missing_id', input: json([]), expected: fail('json', 'missing_id') },
  { name: 'Client 10 uploadJson: an element that is not an object → malformed', input: json([v10Element(), 5]), expected: fail('json', 'malformed') },
  { name: 'Client 10 uploadJson: lat a word → malformed', input: json([v10Element({ lat: 'x' })]), expected: fail('json', 'malformed') },
  { name: 'a single flat JSON object is one report', input: json({ id: 'abc', lat: 19.4, lon: -99.1, speed: 10 }),
    expected: ok('json', 'abc', r({ lat: 19.4, lon: -99.1, speedMps: kn(10) })) },

  // content types and JSON errors
  { name: 'Content-Type in capitals with charset', input: { query: '', body: JSON.stringify([v10Element()]), contentType: 'Application/JSON; charset=utf-8' },
    expected: ok('json', '48241179', v10Report()) },
  { name: 'JSON Content-Type, empty body, parameters in the query → read as the query form',
    input: { query: 'id=5&lat=1&lon=2', body: '', contentType: JSON_CT }, expected: ok('form', '5', r({ lat: 1, lon: 2 })) },
  { name: 'JSON Content-Type, form body → malformed', input: { query: '', body: 'id=1&lat=1&lon=2', contentType: JSON_CT }, expected: fail('json', 'malformed') },
  { name: 'JSON cut short → malformed', input: json('{"location":{"coords":'), expected: fail('json', 'malformed') },
  { name: 'JSON scalar → malformed', input: json('42'), expected: fail('json', 'malformed') },
  { name: 'Client 9 JSON without a JSON Content-Type: read as a form, the "_" member gives id, lat, lon, time (as Traccar < 6.7)',
    input: { query: '', body: JSON.stringify(v9(v9Template)), contentType: undefined },
    expected: ok('form', '48241179', r({ at: Date.UTC(2025, 5, 15, 13, 45, 12, 862), lat: 37.4219983, lon: -122.084 })) },
  { name: 'JSON without a JSON Content-Type and without "_" → missing_id', input: { query: '', body: '{"device_id":"1","location":{}}', contentType: 'text/plain' },
    expected: fail('form', 'missing_id') },
  { name: 'attribute names: identifiers up to 64 characters kept; longer, empty or with other characters dropped',
    input: q(`id=1&${'k'.repeat(65)}=1&=2&${'k'.repeat(64)}=3&a%20b=4&x%22%7D=5&device.model:v-2=6`),
    expected: ok('form', '1', r({ attributes: { ['k'.repeat(64)]: 3, 'device.model:v-2': 6 } })) },
];

describe('decodeOsmAnd: one row per payload variant', () => {
  it.each(rows)('$name', ({ input, expected, opts }) => {
    const got = decodeOsmAnd(input, { ...CDMX, ...opts });
    if (expected.ok) expect(got).toEqual(expected);
    else {
      expect(got).toMatchObject(expected);
      expect((got as { message: string }).message).toMatch(/\S/);
    }
  });
});

describe('decodeOsmAnd: guarantees', () => {
  it('keeps attributes on a null prototype, so __proto__ is data', () => {
    const got = decodeOsmAnd(q('id=1&__proto__=polluted'), CDMX);
    expect(got.ok && Object.getPrototypeOf(got.reports[0]!.attributes)).toBeNull();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    const viaJson = decodeOsmAnd(json('{"device_id":"1","location":{"extras":{"__proto__":{"polluted":1}},"coords":{}}}'), CDMX);
    expect(viaJson.ok && Object.getPrototypeOf(viaJson.reports[0]!.attributes)).toBeNull();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('says which element of a batch is wrong', () => {
    const got = decodeOsmAnd(json([v10Element(), v10Element({ lat: 'x' })]), CDMX);
    expect(got).toMatchObject({ ok: false, reason: 'malformed', message: expect.stringContaining('element 1') });
  });

  it('does not take an inherited member for a JSON field', () => {
    expect(decodeOsmAnd(json({ location: { coords: { latitude: 1, longitude: 2 } } }), CDMX)).toMatchObject({ reason: 'missing_id' });
  });

  it('answers a long run of digits quickly (no regex backtracking)', () => {
    const started = performance.now();
    decodeOsmAnd(q(`id=1&lat=${'1'.repeat(50_000)}x&rpm=${'9'.repeat(50_000)}.`), CDMX);
    expect(performance.now() - started).toBeLessThan(500);
  });
});

// ---- fuzz --------------------------------------------------------------------------------------


const TOKENS = ['id', 'deviceid', 'lat', 'lon', 'location', 'timestamp', 'speed', 'bearing', 'heading', 'batt', 'charge', 'valid', 'alarm', 'hdop', 'cell',
  '__proto__', 'constructor', 'prototype', '=', '&', '%', '%zz', '%E0%A4', '+', ',', 'T', 'Z', '-', '.', 'e', 'NaN', 'Infinity', '-1', '0', '1e400',
  '2147483647', '99999999999999999999', '2016-01-27T18:55:47Z', '2014-06-04+09:10:11', '{', '}', '[', ']', '"', ':', 'null', 'true', '\u0000', '\uD800', 'ñ', ' '];
const SEEDS = [...rows.map((row) => row.input.query + row.input.body)];

function fuzzInput(rand: () => number): OsmAndInput {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const text = (): string => {
    switch (Math.floor(rand() * 4)) {
      case 0: return Array.from({ length: Math.floor(rand() * 40) }, () => String.fromCharCode(Math.floor(rand() * 0x3000))).join('');
      case 1: return Array.from({ length: Math.floor(rand() * 30) }, () => pick(TOKENS)).join('');
      case 2: { // a real payload, mutated
        const s = pick(SEEDS).split('');
        for (let i = Math.floor(rand() * 6); i > 0; i--) s.splice(Math.floor(rand() * (s.length + 1)), Math.floor(rand() * 3), pick(TOKENS));
        return s.join('');
      }
      default: return JSON.stringify(randomJson(rand, 0));
    }
  };
  const contentType = pick([undefined, FORM, JSON_CT, 'application/json; charset=utf-8', 'text/plain', '']);
  return { query: rand() < 0.5 ? text() : '', body: text(), contentType };
}

function randomJson(rand: () => number, depth: number): unknown {
  const keys = ['id', 'device_id', 'location', 'coords', 'latitude', 'longitude', 'lat', 'lon', 'timestamp', 'speed', 'battery', 'level', 'extras', 'alarm', '__proto__', 'constructor'];
  const kind = depth > 3 ? Math.floor(rand() * 4) : Math.floor(rand() * 6);
  switch (kind) {
    case 0: return Math.floor(rand() * 3) === 0 ? -1 : (rand() - 0.5) * 10 ** Math.floor(rand() * 20);
    case 1: return ['19.4', 'sos', '', '2016-01-27T18:55:47Z', 'x'][Math.floor(rand() * 5)];
    case 2: return rand() < 0.5 ? null : rand() < 0.5;
    case 3: return undefined;
    case 4: return Array.from({ length: Math.floor(rand() * 4) }, () => randomJson(rand, depth + 1));
    default: return Object.fromEntries(Array.from({ length: Math.floor(rand() * 6) }, () => [keys[Math.floor(rand() * keys.length)]!, randomJson(rand, depth + 1)]));
  }
}

const isNumOrNull = (v: unknown) => v === null || (typeof v === 'number' && Number.isFinite(v));

function checkShape(got: OsmAndDecoded): void {
  if (!got.ok) {
    expect(got.message).not.toBe(UNEXPECTED_FAILURE);
    expect(['missing_id', 'malformed', 'too_many']).toContain(got.reason);
    return;
  }
  expect(got.deviceId.trim()).not.toBe('');
  expect(got.reports.length).toBeGreaterThan(0);
  for (const rep of got.reports) {
    for (const k of ['at', 'lat', 'lon', 'speedMps', 'course', 'altitudeM', 'accuracyM', 'batteryPct'] as const) expect(isNumOrNull(rep[k]), k).toBe(true);
    expect(rep.lat === null).toBe(rep.lon === null);
    expect(Object.getPrototypeOf(rep.attributes)).toBeNull();
    for (const v of Object.values(rep.attributes)) expect(typeof v === 'number' ? Number.isFinite(v) : ['string', 'boolean'].includes(typeof v)).toBe(true);
  }
}

describe('decodeOsmAnd: fuzz', () => {
  it.each([1, 2, 3, 20261122])('seed %i: 2,000 random inputs never throw and keep the invariants', (seed) => {
    const rand = prng(seed);
    for (let i = 0; i < 2000; i++) {
      const input = fuzzInput(rand);
      let got: OsmAndDecoded | undefined;
      expect(() => { got = decodeOsmAnd(input, { localOffsetMinutes: -360, maxReports: 1 + Math.floor(rand() * 5) }); }, JSON.stringify(input)).not.toThrow();
      checkShape(got!);
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype.hasOwnProperty.call(Object.prototype, 'lat')).toBe(false);
  });

  it('survives inputs that are not what the types promise', () => {
    const odd = [{ query: undefined, body: undefined, contentType: 5 }, { query: 7, body: null, contentType: JSON_CT }] as unknown as OsmAndInput[];
    for (const input of odd) expect(() => decodeOsmAnd(input, { localOffsetMinutes: Number.NaN, maxReports: -3 })).not.toThrow();
  });
});
