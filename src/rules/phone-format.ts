// The light half of the phone rule: what an E.164 number looks like, how it is shown, and how much
// of its hash a private look-up sends. No libphonenumber here, so pages that only show numbers
// (the panic button's SMS link) do not carry its metadata; phone.ts normalises.
import type { E164 } from '../kernel/types.js';

/** E.164 as stored and hashed: + and 7 to 15 digits, no leading 0. */
export const isE164 = (s: string): s is E164 => /^\+[1-9]\d{6,14}$/.test(s);

/**
 * Hex characters of SHA-256(E.164) a private look-up sends (k-anonymity, as "Have I Been Pwned"
 * does for passwords): the server buckets by it, the page cuts its hash by it.
 */
export const HASH_PREFIX_LENGTH = 5;

/** "+525552089898" → "55 5208 9898" (Mexico City and Monterrey/Guadalajara use 2-digit area codes); others unchanged. */
export function displayPhone(e164: string): string {
  if (!e164.startsWith('+52') || e164.length !== 13) return e164;
  const n = e164.slice(3);
  const twoDigitArea = ['55', '56', '33', '81'].includes(n.slice(0, 2));
  return twoDigitArea ? `${n.slice(0, 2)} ${n.slice(2, 6)} ${n.slice(6)}` : `${n.slice(0, 3)} ${n.slice(3, 6)} ${n.slice(6)}`;
}
