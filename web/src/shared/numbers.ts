// The private look-up of a number's reputation: only the first 5 hex characters of SHA-256(E.164)
// leave the phone (k-anonymity, as "Have I Been Pwned" does for passwords); the server answers with
// every listed entry under that prefix and the page matches locally. Turning what people type into
// that E.164 is the server's own rule, imported (src/rules/phone.ts), so both hash the same string.
import { HASH_PREFIX_LENGTH } from '../../../src/rules/phone-format.js';

export type ReputationLevel = 'none' | 'suspicious' | 'probable' | 'confirmed' | 'spoofed';
export const REPUTATION_LEVELS: readonly ReputationLevel[] = ['none', 'suspicious', 'probable', 'confirmed', 'spoofed'];

/** SHA-256 of the E.164 string as lowercase hex. crypto.subtle exists only on https (and localhost). */
export async function sha256Hex(text: string): Promise<string> {
  if (!globalThis.crypto?.subtle) throw new Error('crypto.subtle unavailable (page not served over https)');
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

export const PREFIX_LENGTH = HASH_PREFIX_LENGTH;

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
