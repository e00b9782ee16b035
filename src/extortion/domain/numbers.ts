// The server's half of the private number check: SHA-256 of an E.164 number, and the prefix a
// range query sends. Normalising what people paste into that E.164 is a rule the pages share:
// src/rules/phone.ts. Hashing stays here because the pages hash with crypto.subtle instead.
import { createHash } from 'node:crypto';
import { DomainError } from '../../kernel/index.js';
import { HASH_PREFIX_LENGTH, isE164 } from '../../rules/index.js';

/** Lowercase hex SHA-256 of the E.164 string (UTF-8). Refuses anything not yet normalised. */
export function sha256Hex(e164: string): string {
  if (!isE164(e164)) {
    throw new DomainError('INVALID_PHONE', { detail: { es: 'no está en formato E.164 (+ y de 7 a 15 dígitos): normalízalo antes de calcular el hash', en: 'it is not in E.164 form (+ and 7 to 15 digits): normalise it before hashing' } });
  }
  return createHash('sha256').update(e164, 'utf8').digest('hex');
}

/** First `length` hex characters of sha256Hex: the k-anonymity range query, like Have I Been Pwned. */
export function sha256Prefix(e164: string, length = HASH_PREFIX_LENGTH): string {
  if (!Number.isInteger(length) || length < 1 || length > 64) {
    throw new DomainError('VALIDATION_FAILED', { detail: { es: 'la longitud del prefijo debe ser un entero de 1 a 64', en: 'the prefix length must be an integer from 1 to 64' } });
  }
  return sha256Hex(e164).slice(0, length);
}
