// Phone numbers as people paste them (notes, call logs, WhatsApp) → E.164 or a short code. The one
// implementation the server (reports, reputation, SMS destinations, staff-entered phones) and the
// pages (the private number check, the call coach) both run: the private check only works if the
// phone hashes exactly the E.164 the server listed. Pure and browser-safe: no Node imports.
//
// Follows /work/shared/standards/mx-phone.md §4 with policy C: the obsolete 044/045/01 prefixes and
// the "1" after +52 are stripped (legacyFormFixed: true), not refused, because victims copy them
// from old notes and WhatsApp still shows "+52 1". Current libphonenumber calls those forms TOO_LONG.
//
// Order: cheap text clean-up → short codes → which dialling form (international, legacy, bare) →
// validity and kind from libphonenumber's *max* metadata. Max because min only knows MX's general
// pattern [2-9]\d{9}: it accepts all 800 three-digit prefixes, max rejects 344 of them (e.g. 202,
// 210, 230: no such area code) and is the only one that tells toll-free/premium/shared-cost apart.
// Mexican numbers (the hot path) skip libphonenumber's parser: MX's type patterns are read from its
// metadata once (on first use, so a page that imports only other rules pays nothing) and compiled,
// so a look-up is a few RegExp tests instead of a parse that rebuilds every pattern per call.
// phone.test.ts checks the compiled classifier against libphonenumber's own getType() on every
// prefix, so a library update cannot silently diverge.
//
// Decisions beyond the spec: "5533" alone is read as *5533 (nobody means a 4-digit number);
// "55 5533 5533" (Consejo Ciudadano) is a real number and comes back ok: keeping it off the scam
// list is the reputation layer's job (OFFICIAL_LINES seeds it). 112 is a short code (Mexican
// networks route it to 911), never a number anyone is called from. Extensions ("ext 12", "x12",
// "#12") are dropped: caller ID never carries one. Bare "1 + 10 digits" is refused as ambiguous (US
// number without +, or a Mexican one with a stray 1). A leading label of any wording is ignored,
// but trailing text with digits in it is refused rather than guessed at.
import { Metadata, PhoneNumber, parsePhoneNumberFromString, validatePhoneNumberLength, type CountryCode, type PhoneNumberType } from 'libphonenumber-js/max';
import type { Localized } from '../kernel/errors.js';
import type { E164 } from '../kernel/types.js';
import { displayPhone } from './phone-format.js';

export type NumberKind = 'mobile_or_fixed' | 'toll_free' | 'premium' | 'shared_cost' | 'personal' | 'voip' | 'other';

/** What a short code is for: the pages word their notice by it. */
export type ShortCodeService = 'emergency' | 'report' | 'other';

/** Why an input was refused, stable for code and tests; `detail` says it to people. */
export type InvalidProblem =
  | 'empty' | 'text_too_long' | 'letters' | 'unexpected_character' | 'too_short' | 'too_long'
  | 'local_only' | 'trunk_zero' | 'leading_one' | 'us_exit_code' | 'bad_start' | 'not_in_plan'
  | 'unknown_country_code' | 'not_valid_abroad';

export type Normalized =
  | { ok: true; e164: E164; country: string; national: string; display: string; kind: NumberKind; legacyFormFixed: boolean }
  /** 911, 089, *5533…: recognised service numbers, never reportable as scam numbers. */
  | { ok: false; reason: 'short_code'; code: string; service: ShortCodeService; label: Localized }
  | { ok: false; reason: 'invalid'; problem: InvalidProblem; detail: Localized };

type Invalid = Extract<Normalized, { reason: 'invalid' }>;
type Short = Extract<Normalized, { reason: 'short_code' }>;

/** Real lines of authorities and citizen councils: the reputation layer must never list them as scams. */
export const OFFICIAL_LINES: ReadonlyArray<{ e164: E164; label: Localized }> = [
  { e164: '+525555335533' as E164, label: { es: 'Consejo Ciudadano para la Seguridad y Justicia de la CDMX (Línea Ciudadana)', en: 'Citizens’ Council for Security and Justice of Mexico City (citizen line)' } },
];

// ---------- short codes ----------

const LEGACY_EMERGENCY: Localized = { es: 'número de emergencias anterior al 911', en: 'emergency number from before 911' };
const CONSEJO: Localized = { es: 'Consejo Ciudadano: denuncia de extorsión (*5533)', en: 'Citizens’ Council: extortion reports (*5533)' };
interface ShortCode { service: ShortCodeService; label: Localized }

/**
 * mx-phone.md §3. 060/065/066/068/080: libphonenumber's MX emergency numbers, superseded by 911;
 * 061: its "expanded emergency"; 112: the GSM emergency number, which Mexican networks route to 911.
 * Plain literals (no calls) so that bundlers can drop this module from pages that never use it.
 */
const SHORT_CODES: Readonly<Record<string, ShortCode>> = {
  '911': { service: 'emergency', label: { es: 'Emergencias (911)', en: 'Emergencies (911)' } },
  '112': { service: 'emergency', label: { es: 'Emergencias (112, se enlaza al 911)', en: 'Emergencies (112, connected to 911)' } },
  '089': { service: 'report', label: { es: 'Denuncia anónima y reporte de extorsión (089)', en: 'Anonymous crime and extortion reports (089)' } },
  '088': { service: 'report', label: { es: 'Policía Federal / Guardia Nacional (088)', en: 'Federal Police / National Guard (088)' } },
  '061': { service: 'emergency', label: { es: 'línea de emergencia (061)', en: 'emergency line (061)' } },
  '060': { service: 'emergency', label: LEGACY_EMERGENCY }, '065': { service: 'emergency', label: LEGACY_EMERGENCY },
  '066': { service: 'emergency', label: LEGACY_EMERGENCY }, '068': { service: 'emergency', label: LEGACY_EMERGENCY },
  '080': { service: 'emergency', label: LEGACY_EMERGENCY },
  '*5533': { service: 'report', label: CONSEJO },
};
const SERVICE_0XX: ShortCode = { service: 'other', label: { es: 'número de servicio de 3 dígitos', en: '3-digit service number' } };
const OPERATOR_CODE: ShortCode = { service: 'other', label: { es: 'código de servicio del operador', en: 'carrier service code' } };

const short = (code: string, sc: ShortCode): Short => ({ ok: false, reason: 'short_code', code, service: sc.service, label: sc.label });
const known = (code: string): ShortCode | undefined => (Object.hasOwn(SHORT_CODES, code) ? SHORT_CODES[code] : undefined);

function shortCode(digits: string, lead: Lead): Normalized | null {
  if (lead === '*') {
    if (digits.length < 2 || digits.length > 6) return null;
    return short(`*${digits}`, known(`*${digits}`) ?? OPERATOR_CODE);
  }
  if (digits.length > 4) return null;
  if (digits === '5533') return short('*5533', SHORT_CODES['*5533']!);
  const sc = known(digits) ?? (/^0[1-9]\d$/.test(digits) ? SERVICE_0XX : undefined);
  return sc ? short(digits, sc) : null;
}

// ---------- messages ----------

const invalid = (problem: InvalidProblem, detail: Localized): Invalid => ({ ok: false, reason: 'invalid', problem, detail });
const MAX_INPUT = 200;

const fixed = {
  empty: { es: 'no hay ningún número', en: 'there is no number' },
  text_too_long: { es: `el texto tiene más de ${MAX_INPUT} caracteres: pega solo el número`, en: `the text is over ${MAX_INPUT} characters: paste only the number` },
  letters: { es: 'hay letras entre los dígitos: pega solo el número', en: 'there are letters among the digits: paste only the number' },
  trunk_zero: { es: 'en México no se marca 0 antes de los 10 dígitos', en: 'in Mexico no 0 is dialled before the 10 digits' },
  leading_one: { es: '11 dígitos que empiezan con 1: si es de EE. UU. o Canadá escríbelo con +1; si es de México, quita el 1', en: '11 digits starting with 1: if it is a US or Canadian number write it with +1; if Mexican, drop the 1' },
  us_exit_code: { es: '011 es el prefijo internacional de EE. UU. y Canadá: escribe el número con + (por ejemplo +52 55 1234 5678)', en: '011 is the US and Canadian international prefix: write the number with + (e.g. +52 55 1234 5678)' },
  bad_start: { es: 'un número de México de 10 dígitos no empieza con 0 ni con 1', en: 'a 10-digit Mexican number never starts with 0 or 1' },
  not_in_plan: { es: 'no existe en el plan de numeración de México (clave LADA o serie no asignada)', en: 'it does not exist in the Mexican numbering plan (unassigned area code or range)' },
  unknown_country_code: { es: 'el código de país no existe', en: 'the country code does not exist' },
  not_valid_abroad: { es: 'no es un número válido en su país', en: 'it is not a valid number in its country' },
} satisfies Record<string, Localized>;

function wrongLength(n: number, after?: string): Invalid {
  const es = after ? `después de ${after} hay ${n} dígitos` : `tiene ${n} dígitos`;
  const en = after ? `there are ${n} digits after ${after}` : `it has ${n} digits`;
  const tail = { es: '; un número de México tiene 10 (sin contar +52)', en: '; a Mexican number has 10 (not counting +52)' };
  return invalid(n < 10 ? 'too_short' : 'too_long', { es: es + tail.es, en: en + tail.en });
}

function localOnly(n: 7 | 8): Invalid {
  return n === 8
    ? invalid('local_only', { es: 'es un número local de 8 dígitos: falta la clave LADA (55 Ciudad de México, 33 Guadalajara, 81 Monterrey)', en: 'it is an 8-digit local number: the area code is missing (55 Mexico City, 33 Guadalajara, 81 Monterrey)' })
    : invalid('local_only', { es: 'es un número local de 7 dígitos: falta la clave LADA de 3 dígitos', en: 'it is a 7-digit local number: the 3-digit area code is missing' });
}

// ---------- step 1: text → digits ----------

type Lead = '+' | '*' | '';
interface Cleaned { digits: string; lead: Lead }

// oxlint-disable-next-line no-control-regex -- the range starts at NUL on purpose: everything outside ASCII
// oxlint-disable-next-line no-control-regex -- the range starts at NUL on purpose: everything outside ASCII
const NON_ASCII = /[^\x00-\x7f]/;
/** Marks WhatsApp and phones wrap numbers in (bidi isolates, LRM), soft hyphens, zero-width spaces. */
const INVISIBLE = /[\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/g;
const UNICODE_DASH = /[\u2010-\u2015\u2212]/g;
const LINK = /(?:wa\.me\/|[?&]phone=)(?:\+|%2b)?(\d{4,20})/i;
/** From the letter (or #) where an extension starts to the end: "ext. 12", "x12", "extensión 7", "#12". */
const EXTENSION = /^(?:ext(?:ensi[oó]n)?\.?|x|#)\s*\d{1,6}\s*$/i;
const LETTER = /\p{L}/u;

/** NFKC turns full-width digits and ＋ into ASCII and NBSP/ideographic spaces into spaces. */
function foldUnicode(s: string): string {
  return NON_ASCII.test(s) ? s.normalize('NFKC').replace(INVISIBLE, '').replace(UNICODE_DASH, '-') : s;
}

function isDigit(c: number): boolean { return c >= 48 && c <= 57; }
/** space, tab, ( ) - . / */
function isSeparator(c: number): boolean { return c === 32 || c === 9 || c === 40 || c === 41 || c === 45 || c === 46 || c === 47; }

function clean(input: string): Cleaned | Invalid {
  if (input.length > MAX_INPUT) return invalid('text_too_long', fixed.text_too_long);
  const s = foldUnicode(input);
  const link = s.includes('wa.me') || s.includes('phone=') ? LINK.exec(s) : null;
  if (link) return { digits: link[1]!, lead: '+' };
  let start = -1, end = -1;
  for (let i = 0; i < s.length; i++) {
    if (!isDigit(s.charCodeAt(i))) continue;
    if (start < 0) start = i;
    end = i;
  }
  return end < 0 ? invalid('empty', fixed.empty) : spanDigits(s, start, end);
}

/** A + or * right before the first digit (spaces between allowed): "+52…", "* 5533". */
function leadBefore(s: string, firstDigit: number): Lead {
  for (let j = firstDigit - 1; j >= 0; j--) {
    const c = s.charCodeAt(j);
    if (c === 43 || c === 42) return c === 43 ? '+' : '*';
    if (c !== 32) return '';
  }
  return '';
}

/**
 * The digits between the first digit and the last one; labels and junk around are ignored, an
 * extension at the end is dropped.
 */
function spanDigits(s: string, start: number, end: number): Cleaned | Invalid {
  let digits = '';
  for (let i = start; i <= end; i++) {
    const c = s.charCodeAt(i);
    if (isDigit(c)) digits += s[i];
    else if (isSeparator(c)) continue;
    else if (EXTENSION.test(s.slice(i))) break;
    else return LETTER.test(s[i]!) ? invalid('letters', fixed.letters) : unexpected(s[i]!);
  }
  return { digits, lead: leadBefore(s, start) };
}

function unexpected(ch: string): Invalid {
  return invalid('unexpected_character', { es: `hay un carácter inesperado («${ch}») entre los dígitos`, en: `there is an unexpected character ("${ch}") among the digits` });
}

// ---------- step 2: which dialling form ----------

function fromBareDigits(d: string, defaultCountry: 'MX' | 'US'): Normalized {
  if (d.startsWith('00')) return fromInternational(d.slice(2));
  if (d.startsWith('011')) return defaultCountry === 'US' ? fromInternational(d.slice(3)) : invalid('us_exit_code', fixed.us_exit_code);
  if (defaultCountry === 'US' && (d.length === 10 || (d.length === 11 && d[0] === '1'))) return foreign(d.length === 10 ? `+1${d}` : `+${d}`);
  return fromMexicanDialling(d);
}

/** How a number is dialled or written inside Mexico, old forms included (policy C). */
function fromMexicanDialling(d: string): Normalized {
  if (d.length === 10) return mexican(d, false);
  if (d.startsWith('044') || d.startsWith('045')) return afterLegacyPrefix(d, 3);
  if (d.startsWith('01')) return afterLegacyPrefix(d, 2);
  if (d.startsWith('52') && (d.length === 12 || d.length === 13)) return fromCountryCode(d.slice(2));
  if (d.length === 7 || d.length === 8) return localOnly(d.length);
  if (d.length === 11 && d[0] === '1') return invalid('leading_one', fixed.leading_one);
  if (d.length === 11 && d[0] === '0') return invalid('trunk_zero', fixed.trunk_zero);
  return wrongLength(d.length);
}

function afterLegacyPrefix(d: string, k: 2 | 3): Normalized {
  const rest = d.slice(k);
  return rest.length === 10 ? mexican(rest, true) : wrongLength(rest.length, d.slice(0, k));
}

/** Digits after +, 00 or 011. */
function fromInternational(d: string): Normalized {
  return d.startsWith('52') ? fromCountryCode(d.slice(2)) : foreign(`+${d}`);
}

/** Digits after the country code 52; "52 1 …" is the abolished mobile token. */
function fromCountryCode(rest: string): Normalized {
  if (rest.length === 10) return mexican(rest, false);
  if (rest.length === 11 && rest[0] === '1') return mexican(rest.slice(1), true);
  if (rest.length === 8) return localOnly(8);
  return wrongLength(rest.length, '+52');
}

// ---------- step 3: validity and kind ----------

const KIND: Record<PhoneNumberType, NumberKind> = {
  FIXED_LINE: 'mobile_or_fixed', MOBILE: 'mobile_or_fixed', FIXED_LINE_OR_MOBILE: 'mobile_or_fixed',
  TOLL_FREE: 'toll_free', PREMIUM_RATE: 'premium', SHARED_COST: 'shared_cost', PERSONAL_NUMBER: 'personal',
  VOIP: 'voip', PAGER: 'other', UAN: 'other', VOICEMAIL: 'other',
};

function mexican(nsn: string, legacyFormFixed: boolean): Normalized {
  if (nsn[0] === '0' || nsn[0] === '1') return invalid('bad_start', fixed.bad_start);
  const type = mexicanNumberType(nsn);
  if (!type) return invalid('not_in_plan', fixed.not_in_plan);
  const e164 = `+52${nsn}` as E164;
  return { ok: true, e164, country: 'MX', national: nsn, display: displayPhone(e164), kind: KIND[type], legacyFormFixed };
}

function foreign(candidate: string): Normalized {
  if (candidate.length > 16) return invalid('too_long', { es: 'tiene más de 15 dígitos, el máximo internacional', en: 'it has more than 15 digits, the international maximum' });
  const p = parsePhoneNumberFromString(candidate);
  // With max metadata a number is valid exactly when it has a type; isValid() only for the rest.
  const type = p?.getType();
  if (!p || (!type && !p.isValid())) return foreignProblem(candidate);
  return {
    ok: true, e164: p.number as E164, country: p.country ?? 'ZZ', national: p.nationalNumber,
    display: p.formatInternational(), kind: type ? KIND[type] : 'other', legacyFormFixed: false,
  };
}

function foreignProblem(candidate: string): Invalid {
  switch (validatePhoneNumberLength(candidate)) {
    case 'INVALID_COUNTRY': return invalid('unknown_country_code', fixed.unknown_country_code);
    case 'NOT_A_NUMBER':
    case 'TOO_SHORT': return invalid('too_short', { es: 'faltan dígitos para un número de ese país', en: 'too few digits for a number of that country' });
    case 'TOO_LONG': return invalid('too_long', { es: 'sobran dígitos para un número de ese país', en: 'too many digits for a number of that country' });
    default: return invalid('not_valid_abroad', fixed.not_valid_abroad);
  }
}

/**
 * libphonenumber's getNumberType for one country, with the patterns compiled once. Reads the
 * metadata through Metadata#type(), which the typings do not declare; if that ever changes the
 * fallback asks PhoneNumber#getType() per call: slower, same answers.
 */
function compileTypeClassifier(country: CountryCode, callingCode: string): (nsn: string) => PhoneNumberType | undefined {
  try {
    return compileFromMetadata(country);
  } catch {
    return (nsn) => new PhoneNumber(`+${callingCode}${nsn}`).getType();
  }
}

interface TypeDesc { pattern(): string; possibleLengths(): number[] | undefined }
interface PlanView { selectNumberingPlan(c: CountryCode): void; nationalNumberPattern(): string; type(t: PhoneNumberType): TypeDesc | undefined }
interface Compiled { re: RegExp; lengths: number[] | undefined }
/** libphonenumber's order after the fixed-line check (getNumberType.js). */
const NON_FIXED_TYPES: PhoneNumberType[] = ['MOBILE', 'PREMIUM_RATE', 'TOLL_FREE', 'SHARED_COST', 'VOIP', 'PERSONAL_NUMBER', 'PAGER', 'UAN', 'VOICEMAIL'];

function compileFromMetadata(country: CountryCode): (nsn: string) => PhoneNumberType | undefined {
  const plan = new Metadata() as unknown as PlanView;
  plan.selectNumberingPlan(country);
  const whole = (p: string) => new RegExp(`^(?:${p})$`);
  const compile = (t: PhoneNumberType): Compiled | null => {
    const desc = plan.type(t);
    const pattern = desc?.pattern();
    return desc && pattern ? { re: whole(pattern), lengths: desc.possibleLengths() } : null;
  };
  const general = whole(plan.nationalNumberPattern());
  const fixedLine = compile('FIXED_LINE');
  const mobileMissing = !plan.type('MOBILE')?.pattern();
  const others = NON_FIXED_TYPES.map((t) => [t, compile(t)] as const).filter((e): e is readonly [PhoneNumberType, Compiled] => e[1] !== null);
  const matches = (c: Compiled | null | undefined, n: string) => !!c && (!c.lengths || c.lengths.includes(n.length)) && c.re.test(n);
  const mobile = others.find(([t]) => t === 'MOBILE')?.[1];
  return (n) => {
    if (!general.test(n)) return undefined;
    if (matches(fixedLine, n)) return mobileMissing || matches(mobile, n) ? 'FIXED_LINE_OR_MOBILE' : 'FIXED_LINE';
    for (const [t, c] of others) if (matches(c, n)) return t;
    return undefined;
  };
}

let mxClassifier: ((nsn: string) => PhoneNumberType | undefined) | null = null;

/** Type of a 10-digit Mexican national number per libphonenumber max metadata; undefined = not assigned. */
export function mexicanNumberType(nsn: string): PhoneNumberType | undefined {
  mxClassifier ??= compileTypeClassifier('MX', '52');
  return mxClassifier(nsn);
}

// ---------- public API ----------

/** Whatever people paste → E.164, a recognised short code, or a reason in Spanish and English. */
export function normalizeNumber(input: string, defaultCountry: 'MX' | 'US' = 'MX'): Normalized {
  if (typeof input !== 'string') return invalid('empty', fixed.empty);
  const cleaned = clean(input);
  if ('ok' in cleaned) return cleaned;
  const { digits, lead } = cleaned;
  const sc = lead === '+' ? null : shortCode(digits, lead);
  if (sc) return sc;
  if (lead === '*') return unexpected('*');
  if (digits.length > 20) return invalid('too_long', { es: `tiene ${digits.length} dígitos: pega un solo número`, en: `it has ${digits.length} digits: paste a single number` });
  return lead === '+' ? fromInternational(digits) : fromBareDigits(digits, defaultCountry);
}
