// Phone numbers as people type them, turned into E.164 in the browser, and the private look-up
// of a number's reputation: only the first 5 hex characters of SHA-256(E.164) leave the phone
// (k-anonymity, as "Have I Been Pwned" does for passwords); the server answers with every listed
// entry under that prefix and the page matches locally.

export type ReputationLevel = 'none' | 'suspicious' | 'probable' | 'confirmed' | 'spoofed';
export const REPUTATION_LEVELS: readonly ReputationLevel[] = ['none', 'suspicious', 'probable', 'confirmed', 'spoofed'];

export type ShortCodeKind = 'emergency' | 'report' | 'other';

export type Parsed =
  | { kind: 'e164'; e164: string }
  | { kind: 'short'; code: string; service: ShortCodeKind }
  | { kind: 'invalid'; reason: 'empty' | 'local' | 'malformed' };

/** Emergency and reporting lines: never extortion numbers, and never reportable. */
const SHORT_CODES: Record<string, ShortCodeKind> = {
  '911': 'emergency', '066': 'emergency', '060': 'emergency', '112': 'emergency',
  '089': 'report', '088': 'report', '*5533': 'report', '5533': 'report',
};

const FULL_WIDTH = /[\uFF10-\uFF19\uFF0B\uFF0A]/g;

/** "０４４" → "044", "＋" → "+", "＊" → "*": what some keyboards and copied texts produce. */
function halfWidth(raw: string): string {
  return raw.replace(FULL_WIDTH, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));
}

/** Digits, and a leading + or * if one was typed; labels ("Tel.", "cel:"), spaces, dashes, dots, brackets go. */
function compact(raw: string): string {
  const text = halfWidth(raw).trim();
  const digits = text.replace(/\D/g, '');
  const lead = /^[^\d+*]*([+*])/.exec(text)?.[1] ?? '';
  return lead + digits;
}

const national = (ten: string): Parsed =>
  /^[2-9]\d{9}$/.test(ten) ? { kind: 'e164', e164: `+52${ten}` } : { kind: 'invalid', reason: 'malformed' };

/** The Mexican forms: bare 10 digits, 52 / 521 + 10, 044 / 045 + 10 (old mobile), 01 + 10 (old long distance). */
function mexican(digits: string): Parsed {
  if (digits.length === 10) return national(digits);
  if (digits.length === 12 && digits.startsWith('52')) return national(digits.slice(2));
  if (digits.length === 13 && digits.startsWith('521')) return national(digits.slice(3));
  if (digits.length === 13 && /^04[45]/.test(digits)) return national(digits.slice(3));
  if (digits.length === 12 && digits.startsWith('01')) return national(digits.slice(2));
  return { kind: 'invalid', reason: digits.length >= 7 && digits.length <= 8 ? 'local' : 'malformed' };
}

function international(digits: string): Parsed {
  if (digits.startsWith('52')) return mexican(digits);
  return /^[1-9]\d{6,14}$/.test(digits) ? { kind: 'e164', e164: `+${digits}` } : { kind: 'invalid', reason: 'malformed' };
}

/** Any way a number is written → E.164, a short code, or why it cannot be read. */
export function parseNumber(raw: string): Parsed {
  const c = compact(raw);
  if (c === '' || c === '+' || c === '*') return { kind: 'invalid', reason: 'empty' };
  const service = SHORT_CODES[c];
  if (service) return { kind: 'short', code: c, service };
  // Carrier codes (*264) and 3-digit service numbers (0XX), as the server reads them.
  if (/^\*\d{2,6}$/.test(c) || /^0[1-9]\d$/.test(c)) return { kind: 'short', code: c, service: 'other' };
  if (c.startsWith('*')) return { kind: 'invalid', reason: 'malformed' };
  if (c.startsWith('+')) return international(c.slice(1));
  if (c.startsWith('00')) return international(c.slice(2));
  return mexican(c);
}

/** "+525512345678" → "55 1234 5678" (2-digit area codes for CDMX, Guadalajara, Monterrey); others unchanged. */
export function displayNumber(e164: string): string {
  const m = /^\+52(\d{10})$/.exec(e164);
  if (!m) return e164;
  const d = m[1]!;
  return /^(55|56|33|81)/.test(d) ? `${d.slice(0, 2)} ${d.slice(2, 6)} ${d.slice(6)}` : `${d.slice(0, 3)} ${d.slice(3, 6)} ${d.slice(6)}`;
}

/** SHA-256 of the E.164 string as lowercase hex. crypto.subtle exists only on https (and localhost). */
export async function sha256Hex(text: string): Promise<string> {
  if (!globalThis.crypto?.subtle) throw new Error('crypto.subtle unavailable (page not served over https)');
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

export const PREFIX_LENGTH = 5;

/** One listed number under a prefix, as the server sends it (extra fields are kept). */
export interface RangeEntry {
  hashSuffix?: string;
  /** Accepted too, in case the server sends the whole hash. */
  hash?: string;
  level: ReputationLevel;
  explanation?: { es: string; en: string };
  reports?: number;
  [key: string]: unknown;
}

/** Accepts a bare array or `{ entries: [...] }`. */
function entriesOf(body: unknown): RangeEntry[] {
  if (Array.isArray(body)) return body as RangeEntry[];
  const entries = (body as { entries?: unknown } | null)?.entries;
  return Array.isArray(entries) ? (entries as RangeEntry[]) : [];
}

/** The entry for this exact hash, matched here so the server never learns which one was asked for. */
export function matchRange(fullHash: string, body: unknown): RangeEntry | null {
  const suffix = fullHash.slice(PREFIX_LENGTH);
  return entriesOf(body).find((e) => e.hashSuffix?.toLowerCase() === suffix || e.hash?.toLowerCase() === fullHash) ?? null;
}

export const rangePath = (fullHash: string): string => `/api/v1/numbers/range/${fullHash.slice(0, PREFIX_LENGTH)}`;
