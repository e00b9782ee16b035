// One table of what people type, and what the phone rule (./phone.ts) must make of it: an E.164
// number, a short code, or a refusal with its reason. phone.test.ts runs it in Node and
// tests/browser/rules.test.ts runs it in Chromium against the module as Vite bundles it for the
// pages, so the server and the private check in the browser cannot drift apart. Pure data.
import type { InvalidProblem, NumberKind, ShortCodeService } from './phone.js';

// What people paste, from mx-phone.md §4 rows A–G and from notes, call logs and WhatsApp.
// [input, expected E.164, legacy form fixed?, kind (default mobile_or_fixed)]
export const OK: Array<[string, string, boolean, NumberKind?]> = [
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
  // The national trunk 0 written after the country code: the old page kept it (+4402…), hashing another number.
  ['+44 (0)20 7946 0958', '+442079460958', false],
  ['+44 020 7946 0958', '+442079460958', false],
  // Kinds only a foreign plan has here: a VoIP range and a corporate (UAN) number.
  ['+44 56 1234 5678', '+445612345678', false, 'voip'],
  ['+44 55 1234 5678', '+445512345678', false, 'other'],
  // …but an Italian number keeps its 0: it is part of the number there.
  ['+39 06 1234 5678', '+390612345678', false],
];

export const OK_US: Array<[string, string]> = [
  ['011 52 55 1234 5678', '+525512345678'],
  ['011 52 1 55 1234 5678', '+525512345678'],
  ['(415) 555-0100', '+14155550100'],
  ['1 415 555 0100', '+14155550100'],
  ['+52 55 1234 5678', '+525512345678'],
  ['52 1 55 1234 5678', '+525512345678'],
];

export const SHORT: Array<[string, string, ShortCodeService]> = [
  ['911', '911', 'emergency'], ['089', '089', 'report'], ['088', '088', 'report'], ['060', '060', 'emergency'],
  ['061', '061', 'emergency'], ['065', '065', 'emergency'], ['066', '066', 'emergency'], ['068', '068', 'emergency'],
  ['080', '080', 'emergency'], ['*5533', '*5533', 'report'], ['* 5533', '*5533', 'report'], ['5533', '*5533', 'report'],
  ['Llama al 911', '911', 'emergency'], ['Marca al 089', '089', 'report'], ['０８９', '089', 'report'],
  ['040', '040', 'other'], ['*264', '*264', 'other'],
  // 112 (GSM emergency, routed to 911 by Mexican networks): the old page called it a short code, the server too short.
  ['112', '112', 'emergency'], ['＊５５３３', '*5533', 'report'],
];

export const INVALID: Array<[string, InvalidProblem]> = [
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
  // Where the old page said E.164 and the server said no: unassigned Mexican ranges, impossible foreign numbers.
  ['202 123 4567', 'not_in_plan'], ['+52 1 202 123 4567', 'not_in_plan'], ['+1 000 000 0000', 'not_valid_abroad'],
];
