import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import plainParse from 'libphonenumber-js';
import { parsePhoneNumberFromString as parseMax } from 'libphonenumber-js/max';
import { DomainError } from '../../kernel/index.js';
import {
  OFFICIAL_LINES, mexicanNumberType, normalizeNumber, sha256Hex, sha256Prefix,
  type InvalidProblem, type NumberKind,
} from './numbers.js';

// What people paste, from mx-phone.md §4 rows A–G and from notes, call logs and WhatsApp.
// [input, expected E.164, legacy form fixed?, kind (default mobile_or_fixed)]
const OK: Array<[string, string, boolean, NumberKind?]> = [
  // A/B: formatting, +52, 0052, 52 + 10 digits
  ['5512345678', '+525512345678', false],
  ['55 1234 5678', '+525512345678', false],
  ['55-1234-5678', '+525512345678', false],
  ['55.1234.5678', '+525512345678', false],
  ['55/1234/5678', '+525512345678', false],
  ['(55) 1234-5678', '+525512345678', false],
  ['Tel: (55) 1234-5678', '+525512345678', false],
  ['cel. 55 1234 5678', '+525512345678', false],
  ['Móvil: 55 1234 5678', '+525512345678', false],
  ['llamada de 55 1234 5678', '+525512345678', false],
  ['  55 1234 5678  ', '+525512345678', false],
  ['55 1234 5678 (casa)', '+525512345678', false],
  ['55 1234 5678 - el licenciado', '+525512345678', false],
  ['+52 55 1234 5678', '+525512345678', false],
  ['+525512345678', '+525512345678', false],
  ['+52 (55) 1234-5678', '+525512345678', false],
  ['(+52) 55 1234 5678', '+525512345678', false],
  ['Llamada perdida: + 52 (55) 1234-5678', '+525512345678', false],
  ['0052 55 1234 5678', '+525512345678', false],
  ['525512345678', '+525512345678', false],
  ['tel:+52-55-1234-5678', '+525512345678', false],
  ['222 123 4567', '+522221234567', false],
  ['(667) 123 4567', '+526671234567', false],
  ['81 1234 5678', '+528112345678', false],
  ['33-1234-5678', '+523312345678', false],
  ['+52 656 123 4567', '+526561234567', false],
  ['2001234567', '+522001234567', false],
  // Unicode: full-width digits and plus, NBSP, non-breaking hyphen, en dash, WhatsApp's bidi marks
  ['５５１２３４５６７８', '+525512345678', false],
  ['＋５２ ５５ １２３４ ５６７８', '+525512345678', false],
  ['55\u00a01234\u00a05678', '+525512345678', false],
  ['55\u20111234\u20115678', '+525512345678', false],
  ['55–1234–5678', '+525512345678', false],
  ['\u202a+52 55 1234 5678\u202c', '+525512345678', false],
  ['\u200e55 1234 5678', '+525512345678', false],
  // C: obsolete 044 / 045 / 01 and the 1 after 52, stripped (policy C)
  ['+52 1 55 1234 5678', '+525512345678', true],
  ['+521 55 1234 5678', '+525512345678', true],
  ['WhatsApp: +52 1 55 1234 5678', '+525512345678', true],
  ['\u202a+52 1 33 1234 5678\u202c', '+523312345678', true],
  ['52 1 55 1234 5678', '+525512345678', true],
  ['5215512345678', '+525512345678', true],
  ['0052 1 55 1234 5678', '+525512345678', true],
  ['044 55 1234 5678', '+525512345678', true],
  ['044 (33) 1234-5678', '+523312345678', true],
  ['045 33 1234 5678', '+523312345678', true],
  ['045 667 123 4567', '+526671234567', true],
  ['01 33 1234 5678', '+523312345678', true],
  ['01 (81) 1234 5678', '+528112345678', true],
  ['０４４ ５５ １２３４ ５６７８', '+525512345678', true],
  // D: toll-free with and without 01; the other non-geographic kinds
  ['01 800 123 4567', '+528001234567', true, 'toll_free'],
  ['01-800-000-0000', '+528000000000', true, 'toll_free'],
  ['800 123 4567', '+528001234567', false, 'toll_free'],
  ['888 123 4567', '+528881234567', false, 'toll_free'],
  ['900 123 4567', '+529001234567', false, 'premium'],
  ['300 123 4567', '+523001234567', false, 'shared_cost'],
  ['500 123 4567', '+525001234567', false, 'personal'],
  // WhatsApp links
  ['wa.me/5215512345678', '+525512345678', true],
  ['https://wa.me/525512345678?text=hola', '+525512345678', false],
  ['https://api.whatsapp.com/send?phone=5215512345678&text=Hola', '+525512345678', true],
  ['https://api.whatsapp.com/send?phone=%2B525512345678', '+525512345678', false],
  // Extensions are dropped: caller ID never carries one
  ['55-1234-5678 ext 12', '+525512345678', false],
  ['55 1234 5678 ext. 345', '+525512345678', false],
  ['55 1234 5678 x12', '+525512345678', false],
  ['55 1234 5678 extensión 7', '+525512345678', false],
  // The Consejo Ciudadano's line is a real number: ok here, protected by the reputation layer
  ['55 5533 5533', '+525555335533', false],
  // G and abroad: foreign numbers stay theirs
  ['+1 (415) 555-0100', '+14155550100', false],
  ['+1 55 1234 5678', '+15512345678', false],
  ['001 415 555 0100', '+14155550100', false],
  ['+34 612 34 56 78', '+34612345678', false],
  ['+44 20 7946 0958', '+442079460958', false],
];

const OK_US: Array<[string, string]> = [
  ['011 52 55 1234 5678', '+525512345678'],
  ['011 52 1 55 1234 5678', '+525512345678'],
  ['(415) 555-0100', '+14155550100'],
  ['1 415 555 0100', '+14155550100'],
  ['+52 55 1234 5678', '+525512345678'],
  ['52 1 55 1234 5678', '+525512345678'],
];

const SHORT: Array<[string, string]> = [
  ['911', '911'], ['089', '089'], ['088', '088'], ['060', '060'], ['061', '061'], ['065', '065'],
  ['066', '066'], ['068', '068'], ['080', '080'], ['*5533', '*5533'], ['* 5533', '*5533'],
  ['5533', '*5533'], ['Llama al 911', '911'], ['Marca al 089', '089'], ['０８９', '089'],
  ['040', '040'], ['*264', '*264'],
];

const INVALID: Array<[string, InvalidProblem]> = [
  ['', 'empty'], ['   ', 'empty'], ['sin número', 'empty'], ['x'.repeat(300), 'text_too_long'],
  ['123', 'too_short'], ['55 1234 567', 'too_short'], ['55 1234 56789', 'too_long'],
  ['5533 5533', 'local_only'], ['1234 5678', 'local_only'], ['123 4567', 'local_only'], ['+52 5533 5533', 'local_only'],
  ['55 12A4 5678', 'letters'], ['55 1234 5678 y 55 8765 4321', 'letters'], ['llamó a las 3 desde 55 1234 5678', 'letters'],
  ['55_1234_5678', 'unexpected_character'], ['*55 1234 5678 9', 'unexpected_character'],
  ['1 55 1234 5678', 'leading_one'], ['1 415 555 0100', 'leading_one'], ['0 55 1234 5678', 'trunk_zero'],
  ['011 52 55 1234 5678', 'us_exit_code'],
  ['044 55 1234 567', 'too_short'], ['01 800 123 45678', 'too_long'], ['02 55 1234 5678', 'too_long'],
  ['+52 044 55 1234 5678', 'too_long'], ['+52 55 1234 56789', 'too_long'], ['+52 55 1234 567', 'too_short'],
  ['1234567890', 'bad_start'], ['+52 1 55 1234 567', 'bad_start'],
  ['+52 202 123 4567', 'not_in_plan'], ['210 123 4567', 'not_in_plan'], ['044 230 123 4567', 'not_in_plan'],
  ['+999 123 4567', 'unknown_country_code'], ['+1 123 456 7890', 'not_valid_abroad'], ['+1 415 555 01', 'too_short'],
  ['1'.repeat(25), 'too_long'],
];

describe('normalizeNumber: what people paste', () => {
  it.each(OK)('%j → %s', (input, e164, legacy, kind = 'mobile_or_fixed') => {
    expect(normalizeNumber(input)).toMatchObject({ ok: true, e164, legacyFormFixed: legacy, kind });
  });

  it.each(OK_US)('%j with defaultCountry US → %s', (input, e164) => {
    expect(normalizeNumber(input, 'US')).toMatchObject({ ok: true, e164 });
  });

  it.each(SHORT)('%j is the short code %s, never an E.164', (input, code) => {
    const r = normalizeNumber(input);
    expect(r).toMatchObject({ ok: false, reason: 'short_code', code });
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

  it('has at least 60 messy inputs', () => {
    expect(OK.length + OK_US.length + SHORT.length + INVALID.length).toBeGreaterThanOrEqual(60);
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

describe('sha256Hex / sha256Prefix', () => {
  const nodeSha = (s: string) => createHash('sha256').update(s).digest('hex');

  it('hashes the E.164 string (values from sha256sum, and node:crypto)', () => {
    expect(sha256Hex('+525512345678')).toBe('91e296c972c986bfd3469ba3cb87a2c742b990be55289589c683d5ef0c0bc1c3');
    expect(sha256Hex('+14155550100')).toBe('40d3f4e02db27d66cf4cfdda506c2c945f115a7955cc8491dda98ce5beabcda0');
    expect(sha256Prefix('+525555335533')).toBe(nodeSha('+525555335533').slice(0, 5));
    expect(sha256Prefix('+525512345678')).toBe('91e29');
  });

  it('gives the same prefix for every way of writing one number', () => {
    const prefixes = ['044 55 1234 5678', '+52 1 55 1234 5678', '５５１２３４５６７８', 'Tel: (55) 1234-5678'].map((input) => {
      const r = normalizeNumber(input);
      if (!r.ok) throw new Error(input);
      return sha256Prefix(r.e164);
    });
    expect(new Set(prefixes)).toEqual(new Set(['91e29']));
  });

  it('takes a prefix length from 1 to 64', () => {
    expect(sha256Prefix('+525512345678', 1)).toBe('9');
    expect(sha256Prefix('+525512345678', 64)).toBe(sha256Hex('+525512345678'));
    for (const n of [0, 65, 2.5, Number.NaN]) expect(() => sha256Prefix('+525512345678', n)).toThrow(DomainError);
  });

  it('refuses strings that are not normalised yet, so no two forms of one number hash apart', () => {
    for (const s of ['5512345678', '+52 55 1234 5678', '+0525512345678', '911', '']) {
      expect(() => sha256Hex(s), s).toThrow(DomainError);
    }
  });
});
