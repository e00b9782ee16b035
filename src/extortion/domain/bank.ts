// Bank data that extortionists ask victims to pay into: the CLABE (18-digit interbank account,
// reported as evidence) and payment cards (the victim's or the deposit target's; only the last
// four digits are ever kept). Refusals never echo the digits, so a card number cannot end up in
// a log through an error message.
import type { Localized } from '../../kernel/index.js';

/**
 * 3-digit ABM codes (the first digits of a CLABE) of the main banks and of the fintechs that
 * receive most SPEI transfers. Main banks from Banxico's SPEI participant list as mirrored by
 * cuenca-mx/clabe-python. Less sure (read from third-party code, not from Banxico itself): 138
 * (Ualá, formerly ABC Capital), 167 Hey Banco, 638 Nu México, 661 Klar, 699 Fondeadora, 706 Arcus,
 * 710 NVIO, 721 albo, 722 Mercado Pago, 723 Cuenca, 728 Spin by OXXO; 032 IXE left SPEI when it
 * merged into Banorte but old CLABEs (and the textbook example) still carry it. Unknown codes
 * are not errors: `bank` is null.
 */
export const BANK_CODES: Record<string, string> = {
  '002': 'Banamex (Citibanamex)', '006': 'Bancomext', '009': 'Banobras', '012': 'BBVA México',
  '014': 'Santander', '019': 'Banjército', '021': 'HSBC', '030': 'BanBajío', '032': 'IXE (hoy Banorte)',
  '036': 'Inbursa', '042': 'Mifel', '044': 'Scotiabank', '058': 'Banregio', '059': 'Invex',
  '060': 'Bansi', '062': 'Afirme', '072': 'Banorte', '106': 'Bank of America', '108': 'MUFG',
  '110': 'J.P. Morgan', '113': 'Ve por Más', '127': 'Banco Azteca', '130': 'Compartamos',
  '132': 'Multiva', '133': 'Actinver', '135': 'Nafin', '136': 'Intercam', '137': 'BanCoppel',
  '138': 'Ualá (antes ABC Capital)', '140': 'Consubanco', '141': 'Volkswagen Bank', '143': 'CIBanco',
  '145': 'Banco Base', '147': 'Bankaool', '148': 'PagaTodo', '151': 'Donde Banco', '152': 'Bancrea',
  '156': 'Sabadell', '166': 'Banco del Bienestar (antes Bansefi)', '167': 'Hey Banco',
  '600': 'Monex', '601': 'GBM', '638': 'Nu México', '646': 'STP', '661': 'Klar', '699': 'Fondeadora',
  '706': 'Arcus', '710': 'NVIO', '721': 'albo', '722': 'Mercado Pago', '723': 'Cuenca', '728': 'Spin by OXXO',
};

export type ClabeResult =
  | { ok: true; clabe: string; bankCode: string; bank: string | null; city: string; account: string }
  | { ok: false; detail: Localized };

export type MaskedCard =
  | { ok: true; masked: string; last4: string; brand: CardBrand | null }
  | { ok: false; detail: Localized };

export type CardBrand = 'Visa' | 'Mastercard' | 'American Express' | 'Carnet';

// ---------- shared clean-up ----------

// oxlint-disable-next-line no-control-regex -- the range starts at NUL on purpose: everything outside ASCII
const NON_ASCII = /[^\x00-\x7f]/;
const INVISIBLE = /[\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/g;
/** A label before ("CLABE:", "Tarjeta") and text after are ignored; inside, only spaces, - and . */
const INSIDE = /^[\d\s.-]*$/;

function digitsOf(input: string, what: Localized): { ok: true; digits: string } | { ok: false; detail: Localized } {
  if (typeof input !== 'string' || input.length > 100) return { ok: false, detail: { es: `no parece ${what.es}`, en: `it does not look like ${what.en}` } };
  const s = NON_ASCII.test(input) ? input.normalize('NFKC').replace(INVISIBLE, '') : input;
  const first = s.search(/\d/);
  if (first < 0) return { ok: false, detail: { es: `no hay ningún dígito de ${what.es}`, en: `there are no digits of ${what.en}` } };
  let last = s.length - 1;
  while (!/\d/.test(s[last]!)) last--;
  const span = s.slice(first, last + 1);
  if (!INSIDE.test(span)) return { ok: false, detail: { es: 'hay letras u otros signos entre los dígitos', en: 'there are letters or other signs among the digits' } };
  return { ok: true, digits: span.replace(/\D/g, '') };
}

// ---------- CLABE ----------

const CLABE_WEIGHTS = [3, 7, 1] as const;

/** Control digit of the first 17 digits: Σ (digit × 3,7,1,3,7,1… mod 10), then (10 − Σ mod 10) mod 10. */
export function clabeCheckDigit(first17: string): number {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += ((first17.charCodeAt(i) - 48) * CLABE_WEIGHTS[i % 3]!) % 10;
  return (10 - (sum % 10)) % 10;
}

const CLABE_WHAT: Localized = { es: 'una CLABE', en: 'a CLABE' };

export function validateClabe(input: string): ClabeResult {
  const parsed = digitsOf(input, CLABE_WHAT);
  if (!parsed.ok) return parsed;
  const d = parsed.digits;
  if (d.length !== 18) return { ok: false, detail: clabeLengthDetail(d.length) };
  if (clabeCheckDigit(d) !== d.charCodeAt(17) - 48) {
    return { ok: false, detail: { es: 'el dígito verificador no coincide: revisa que no haya un dígito cambiado', en: 'the check digit does not match: look for a mistyped digit' } };
  }
  const bankCode = d.slice(0, 3);
  return { ok: true, clabe: d, bankCode, bank: BANK_CODES[bankCode] ?? null, city: d.slice(3, 6), account: d.slice(6, 17) };
}

function clabeLengthDetail(n: number): Localized {
  const base = { es: `tiene ${n} dígitos y una CLABE tiene 18`, en: `it has ${n} digits and a CLABE has 18` };
  if (n === 16) return { es: `${base.es} (16 dígitos suele ser un número de tarjeta)`, en: `${base.en} (16 digits is usually a card number)` };
  if (n === 10 || n === 11) return { es: `${base.es} (${n} dígitos suele ser un número de cuenta o un teléfono)`, en: `${base.en} (${n} digits is usually an account or a phone number)` };
  return base;
}

// ---------- cards ----------

/** Luhn (ISO/IEC 7812-1): from the right, double every second digit, sum the digits, ≡ 0 mod 10. */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = digits.length - 1, double = false; i >= 0; i--, double = !double) {
    let v = digits.charCodeAt(i) - 48;
    if (double && (v *= 2) > 9) v -= 9;
    sum += v;
  }
  return sum % 10 === 0;
}

/**
 * Brand from the leading digits, modest on purpose: Visa 4; Mastercard 51–55 and 2221–2720;
 * American Express 34, 37; Carnet (Mexican domestic network) 506199–506499, the range Wikipedia's
 * "Payment card number" table gives, not checked against Carnet itself. Anything else: null.
 */
export function cardBrand(digits: string): CardBrand | null {
  const two = Number(digits.slice(0, 2));
  const four = Number(digits.slice(0, 4));
  const six = Number(digits.slice(0, 6));
  if (six >= 506199 && six <= 506499) return 'Carnet';
  if (digits[0] === '4') return 'Visa';
  if ((two >= 51 && two <= 55) || (four >= 2221 && four <= 2720)) return 'Mastercard';
  if (two === 34 || two === 37) return 'American Express';
  return null;
}

const CARD_WHAT: Localized = { es: 'una tarjeta', en: 'a card' };

/** Luhn-checked card → "•••• •••• •••• 1234". Same mask for every length, so the length is not kept either. */
export function maskCard(input: string): MaskedCard {
  const parsed = digitsOf(input, CARD_WHAT);
  if (!parsed.ok) return parsed;
  const d = parsed.digits;
  if (d.length < 13 || d.length > 19) return { ok: false, detail: { es: `tiene ${d.length} dígitos y una tarjeta tiene de 13 a 19`, en: `it has ${d.length} digits and a card has 13 to 19` } };
  if (d[0] === '0') return { ok: false, detail: { es: 'ningún número de tarjeta empieza con 0', en: 'no card number starts with 0' } };
  if (!luhnValid(d)) return { ok: false, detail: { es: 'no es un número de tarjeta válido (falla el dígito verificador): revisa que no haya un dígito cambiado', en: 'it is not a valid card number (the check digit fails): look for a mistyped digit' } };
  const last4 = d.slice(-4);
  return { ok: true, masked: `•••• •••• •••• ${last4}`, last4, brand: cardBrand(d) };
}
