// Staff-entered phones (quadrant contacts, unit phones) go through the same normaliser as reported
// numbers and the pages (src/rules/phone.ts), so one number is one E.164 everywhere; here its
// refusal becomes the INVALID_PHONE domain error.
import { displayPhone, normalizeNumber } from '../rules/index.js';
import { DomainError } from './errors.js';
import type { E164 } from './types.js';

export { displayPhone };

/** A Mexican number in any usual form (10 digits, +52, 044/01, "+52 1") or a valid international one → E.164. */
export function normalizeContactPhone(input: string): E164 {
  const n = normalizeNumber(input);
  if (n.ok) return n.e164;
  const detail = n.reason === 'invalid' ? n.detail : {
    es: `${n.code} es un número corto (${n.label.es}): escribe un teléfono de 10 dígitos o internacional con +`,
    en: `${n.code} is a short code (${n.label.en}): write a 10-digit or an international number with +`,
  };
  throw new DomainError('INVALID_PHONE', { detail });
}
