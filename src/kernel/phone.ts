// Minimal phone handling for staff-entered contact numbers. The extortion capability brings the
// full Mexican normalisation (044/045/01, "+52 1", short codes) with libphonenumber-js.
import { DomainError } from './errors.js';
import type { E164 } from './types.js';

/** Accepts a 10-digit Mexican number or an international number with +; returns E.164. */
export function normalizeContactPhone(input: string): E164 {
  const trimmed = input.trim();
  const digits = trimmed.replace(/[\s\-().]/g, '');
  if (/^\d{10}$/.test(digits)) return `+52${digits}` as E164;
  if (/^\+52\d{10}$/.test(digits)) return digits as E164;
  if (/^\+[1-9]\d{7,14}$/.test(digits) && !digits.startsWith('+52')) return digits as E164;
  throw new DomainError('INVALID_PHONE', {
    detail: { es: `"${trimmed.slice(0, 32)}" no es un número de 10 dígitos ni internacional con +`, en: `"${trimmed.slice(0, 32)}" is neither a 10-digit number nor an international number with +` },
  });
}

/** "+525552089898" → "55 5208 9898" (Mexico City and Monterrey/Guadalajara use 2-digit area codes). */
export function displayPhone(e164: string): string {
  if (!e164.startsWith('+52') || e164.length !== 13) return e164;
  const n = e164.slice(3);
  const twoDigitArea = ['55', '56', '33', '81'].includes(n.slice(0, 2));
  return twoDigitArea ? `${n.slice(0, 2)} ${n.slice(2, 6)} ${n.slice(6)}` : `${n.slice(0, 3)} ${n.slice(3, 6)} ${n.slice(6)}`;
}
