// Which phone numbers may be sent an SMS at all. SMS pumping (toll fraud) works by making a
// service text numbers whose owner is paid per message received: premium-rate, shared-cost,
// UAN, voicemail and other special ranges, or far-away countries with high termination rates.
// Only mobile and fixed-line numbers of the configured countries pass; everything else is
// refused before anything is queued, and checked again before a queued message is delivered.
import { DomainError, type Localized } from '../kernel/index.js';
import { normalizeNumber } from '../rules/index.js';

/** Normalises a destination to E.164, or throws INVALID_PHONE / DESTINATION_NOT_ALLOWED. */
export type DestinationPolicy = (raw: string) => string;

export function smsDestinations(countries: readonly string[]): DestinationPolicy {
  const allowed = new Set(countries.map((c) => c.toUpperCase()));
  const names = countryNames([...allowed]);
  const refuse = (number: string) => new DomainError('DESTINATION_NOT_ALLOWED', { number, countries: names });
  return (raw) => {
    const n = normalizeNumber(raw);
    if (!n.ok) {
      // 911, 089, *5533: service numbers are never a trusted contact.
      if (n.reason === 'short_code') throw refuse(n.code);
      throw new DomainError('INVALID_PHONE', { detail: n.detail });
    }
    // `mobile_or_fixed` is libphonenumber's MOBILE, FIXED_LINE or FIXED_LINE_OR_MOBILE (max metadata).
    if (n.kind !== 'mobile_or_fixed' || !allowed.has(n.country)) throw refuse(n.e164);
    return n.e164;
  };
}

function countryNames(codes: string[]): Localized {
  const say = (lang: 'es' | 'en') => {
    let names: Intl.DisplayNames | null = null;
    try { names = new Intl.DisplayNames([lang], { type: 'region' }); } catch { /* no ICU data: codes */ }
    return codes.map((c) => names?.of(c) ?? c).join(', ');
  };
  return { es: say('es'), en: say('en') };
}
