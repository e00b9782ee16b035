import { describe, expect, it } from 'vitest';
import plainParse from 'libphonenumber-js';
import { parsePhoneNumberFromString as parseMax } from 'libphonenumber-js/max';
import { OFFICIAL_LINES, displayPhone, isE164, mexicanNumberType, normalizeNumber } from './index.js';
import type { InvalidProblem, NumberKind, ShortCodeService } from './phone.js';
import { INVALID, OK, OK_US, SHORT } from './phone.fixtures.js';

// The fixture table (phone.fixtures.ts) in Node; tests/browser/rules.test.ts runs it in Chromium.

describe('normalizeNumber: what people paste', () => {
  it.each(OK)('%j → %s', (input, e164, legacy, kind = 'mobile_or_fixed') => {
    expect(normalizeNumber(input)).toMatchObject({ ok: true, e164, legacyFormFixed: legacy, kind });
  });

  it.each(OK_US)('%j with defaultCountry US → %s', (input, e164) => {
    expect(normalizeNumber(input, 'US')).toMatchObject({ ok: true, e164 });
  });

  it.each(SHORT)('%j is the short code %s (%s), never an E.164', (input, code, service) => {
    const r = normalizeNumber(input);
    expect(r).toMatchObject({ ok: false, reason: 'short_code', code, service });
    if (r.ok || r.reason !== 'short_code') return;
    expect(r.label.es).not.toBe('');
    expect(r.label.en).not.toBe(r.label.es);
  });

  it.each(INVALID)('%j is refused: %s', (input, problem) => {
    const r = normalizeNumber(input);
    expect(r).toMatchObject({ ok: false, reason: 'invalid', problem });
    if (r.ok || r.reason !== 'invalid') return;
    expect(r.detail.es.length).toBeGreaterThan(5);
    expect(r.detail.en).not.toBe(r.detail.es);
  });

  it('has a row for every refusal, kind of number and short-code service the rule can answer', () => {
    // Records over the unions: a new problem, kind or service fails the type-check here until listed, then this test until a row covers it.
    const problems: Record<InvalidProblem, true> = {
      empty: true, text_too_long: true, letters: true, unexpected_character: true, too_short: true, too_long: true, local_only: true,
      trunk_zero: true, leading_one: true, us_exit_code: true, bad_start: true, not_in_plan: true, unknown_country_code: true, not_valid_abroad: true,
    };
    const kinds: Record<NumberKind, true> = { mobile_or_fixed: true, toll_free: true, premium: true, shared_cost: true, personal: true, voip: true, other: true };
    const services: Record<ShortCodeService, true> = { emergency: true, report: true, other: true };
    expect(new Set(INVALID.map(([, problem]) => problem))).toEqual(new Set(Object.keys(problems)));
    expect(new Set(OK.map(([, , , kind = 'mobile_or_fixed']) => kind))).toEqual(new Set(Object.keys(kinds)));
    expect(new Set(SHORT.map(([, , service]) => service))).toEqual(new Set(Object.keys(services)));
  });

  it('fills country, national number and the way it is dialled', () => {
    expect(normalizeNumber('044 667 123 4567')).toEqual({
      ok: true, e164: '+526671234567', country: 'MX', national: '6671234567', display: '667 123 4567', kind: 'mobile_or_fixed', legacyFormFixed: true,
    });
    expect(normalizeNumber('+52 1 55 1234 5678')).toMatchObject({ country: 'MX', national: '5512345678', display: '55 1234 5678' });
    expect(normalizeNumber('+1 415 555 0100')).toMatchObject({ country: 'US', national: '4155550100', display: '+1 415 555 0100' });
    expect(normalizeNumber('+44 20 7946 0958')).toMatchObject({ country: 'GB', display: '+44 20 7946 0958' });
  });

  it('says what is missing from a local number', () => {
    const r = normalizeNumber('5533 5533');
    expect(!r.ok && r.reason === 'invalid' && r.detail.es).toContain('clave LADA');
    expect(!r.ok && r.reason === 'invalid' && r.detail.en).toContain('area code');
  });

  it('keeps the official lines reportable-looking but listed, for the reputation layer', () => {
    for (const line of OFFICIAL_LINES) expect(normalizeNumber(line.e164)).toMatchObject({ ok: true, e164: line.e164 });
  });
});

describe('policy C against the current library', () => {
  it('strips forms that current libphonenumber-js calls invalid (mx-phone.md §4 C)', () => {
    for (const [input, e164, legacy] of OK) {
      if (!legacy || input.includes('wa.me') || input.includes('phone=')) continue;
      expect(plainParse(input, 'MX')?.isValid() ?? false, input).toBe(false);
      expect(normalizeNumber(input)).toMatchObject({ ok: true, e164 });
    }
  });

  it('agrees with libphonenumber on every current-form Mexican number in the table', () => {
    for (const [input, e164, legacy] of OK) {
      if (legacy || !e164.startsWith('+52') || input.includes('wa.me') || input.includes('phone=') || /ext|x\d/.test(input)) continue;
      expect(parseMax(input, 'MX')?.number, input).toBe(e164);
    }
  });
});

describe('the compiled Mexican classifier', () => {
  it('answers exactly as libphonenumber max getType() on every 3-digit prefix', () => {
    const suffixes = ['0000000', '1234567', '5000000', '9999999', '0123456', '7654321'];
    let compared = 0;
    for (let prefix = 100; prefix < 1000; prefix++) {
      for (const suffix of suffixes) {
        const nsn = `${prefix}${suffix}`;
        expect(mexicanNumberType(nsn), nsn).toBe(parseMax(`+52${nsn}`)?.getType());
        compared++;
      }
    }
    expect(compared).toBe(5400);
  });

  it('refuses lengths other than 10', () => {
    expect(mexicanNumberType('551234567')).toBeUndefined();
    expect(mexicanNumberType('55123456789')).toBeUndefined();
  });
});

describe('displayPhone and isE164', () => {
  it('displays Mexican numbers the way they are dialled, others unchanged', () => {
    expect(displayPhone('+525552089898')).toBe('55 5208 9898');
    expect(displayPhone('+526671234567')).toBe('667 123 4567');
    expect(displayPhone('+14155550100')).toBe('+14155550100');
  });

  it('accepts exactly what the normaliser produces as E.164', () => {
    for (const [input, e164] of OK) {
      const r = normalizeNumber(input);
      expect(r.ok && isE164(r.e164), input).toBe(true);
      expect(isE164(e164)).toBe(true);
    }
    for (const s of ['5512345678', '+52 55 1234 5678', '+0525512345678', '911', '', '+1234567890123456']) expect(isE164(s), s).toBe(false);
  });
});
