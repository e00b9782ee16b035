// Parsing of single OsmAnd values: numbers, times and free attributes. Every function returns a
// value or null ("not parseable"); none throws, so the decoder can turn null into a 400.
import type { AttributeValue } from '../report.js';

/** Traccar's knots-per-m/s factor (UnitsConverter); the form's `speed` is in knots. */
export const KNOTS_PER_MPS = 1.943844;

// Plain decimal notation only (Java's parseDouble also takes "NaN", "Infinity", "0x1p3" and "5d";
// none of those is a position). Written without nested quantifiers so a long digit run cannot
// make the regex backtrack quadratically.
const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const MAX_NUMBER_CHARS = 64;

/** A finite number in decimal notation, or null. Surrounding whitespace is ignored (as Java does). */
export function parseDecimal(raw: string): number | null {
  const s = raw.trim();
  if (s.length === 0 || s.length > MAX_NUMBER_CHARS || !DECIMAL.test(s)) return null;
  const n = Number(s);
  return Number.isFinite(n) ? n : null;
}

/** Traccar's rule for unknown keys: a double if it parses, a boolean for literal true/false, else the text. */
export function attributeValue(raw: string): AttributeValue {
  const n = parseDecimal(raw);
  if (n !== null) return n;
  if (raw === 'true') return true;
  if (raw === 'false') return false;
  return raw;
}

/** JS Date's range; anything beyond cannot be a time at all. */
const MAX_EPOCH_MS = 8.64e15;
/** Java's Integer.MAX_VALUE: below it `timestamp` is seconds, from it on milliseconds. */
export const SECONDS_LIMIT = 2147483647;

const INTEGER = /^[+-]?\d{1,19}$/;
const ISO_ZONED = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(?:([Zz])|([+-])(\d{2})(?::?(\d{2})(?::?(\d{2}))?)?)(?:\[[^\]]{1,64}\])?$/;
const LOCAL = /^(\d{4})-(\d{1,2})-(\d{1,2})[ +](\d{1,2}):(\d{1,2}):(\d{1,2})$/;

/**
 * The `timestamp` parameter, as epoch ms, or null if unparseable:
 * an integer is seconds below 2147483647 and milliseconds from there on; text containing `T` is
 * ISO-8601 with a zone (offset mandatory, `[Region/City]` allowed and ignored); anything else must be
 * `yyyy-MM-dd HH:mm:ss` (a literal `+` for the space too) in the server's local time.
 */
export function parseTimestamp(raw: string, localOffsetMinutes: number): number | null {
  const s = raw.trim();
  if (INTEGER.test(s)) return fromInteger(Number(s));
  if (s.includes('T')) return parseIsoZoned(s);
  return parseLocal(s, localOffsetMinutes);
}

function fromInteger(n: number): number | null {
  const ms = n < SECONDS_LIMIT ? n * 1000 : n;
  return Math.abs(ms) <= MAX_EPOCH_MS ? ms : null;
}

function parseIsoZoned(s: string): number | null {
  const m = ISO_ZONED.exec(s);
  if (!m) return null;
  const [, y, mo, d, h, mi, sec = '0', frac = '', z, sign, oh = '0', om = '0', os = '0'] = m;
  const local = utcFromFields(+(y ?? 0), +(mo ?? 0), +(d ?? 0), +(h ?? 0), +(mi ?? 0), +sec, Number(frac.padEnd(3, '0').slice(0, 3)));
  if (local === null) return null;
  if (z !== undefined) return local;
  if (+oh > 18 || +om > 59 || +os > 59) return null;
  const offsetMs = ((+oh * 60 + +om) * 60 + +os) * 1000 * (sign === '-' ? -1 : 1);
  return local - offsetMs;
}

function parseLocal(s: string, localOffsetMinutes: number): number | null {
  const m = LOCAL.exec(s);
  if (!m) return null;
  const [, y, mo, d, h, mi, sec] = m.map(Number);
  const local = utcFromFields(y ?? 0, mo ?? 0, d ?? 0, h ?? 0, mi ?? 0, sec ?? 0, 0);
  const offset = Number.isFinite(localOffsetMinutes) ? localOffsetMinutes : 0;
  return local === null ? null : local - offset * 60_000;
}

/** Epoch ms of a calendar date-time read as UTC, or null if a field is out of range (no rollover:
 *  Feb 30 is an error, not March 2). Years below 100 are taken literally, unlike Date.UTC. */
function utcFromFields(y: number, mo: number, d: number, h: number, mi: number, s: number, ms: number): number | null {
  if (mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || s > 59) return null;
  const daysInMonth = new Date(Date.UTC(2000, mo, 0)).getUTCDate() - (mo === 2 && !isLeap(y) ? 1 : 0);
  if (d > daysInMonth) return null;
  const t = new Date(Date.UTC(2000, 0, 1, h, mi, s, ms));
  t.setUTCFullYear(y, mo - 1, d);
  return t.getTime();
}

const isLeap = (y: number): boolean => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
