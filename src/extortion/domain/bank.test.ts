import { describe, expect, it } from 'vitest';
import { BANK_CODES, cardBrand, clabeCheckDigit, luhnValid, maskCard, validateClabe } from './bank.js';

/** The CLABE rule written out independently of bank.ts: weights 3,7,1 repeated, each product mod 10. */
function referenceCheckDigit(first17: string): number {
  const sum = [...first17].reduce((acc, ch, i) => acc + ((Number(ch) * [3, 7, 1][i % 3]!) % 10), 0);
  return (10 - (sum % 10)) % 10;
}
const makeClabe = (bank: string, city: string, account: string) => {
  const first17 = bank + city + account;
  return first17 + referenceCheckDigit(first17);
};

/** Independent Luhn check digit, to build card numbers for the test. */
function withLuhn(partial: string): string {
  for (let d = 0; d <= 9; d++) {
    const candidate = partial + d;
    const sum = [...candidate].reverse().reduce((acc, ch, i) => {
      const v = Number(ch) * (i % 2 === 1 ? 2 : 1);
      return acc + (v > 9 ? v - 9 : v);
    }, 0);
    if (sum % 10 === 0) return candidate;
  }
  throw new Error('unreachable');
}

describe('validateClabe', () => {
  it('accepts the textbook example 032180000118359719, checked by hand', () => {
    // digits 0 3 2 1 8 0 0 0 0 1 1 8 3 5 9 7 1 × 3 7 1 3 7 1 … → each mod 10:
    const products = [0, 1, 2, 3, 6, 0, 0, 0, 0, 3, 7, 8, 9, 5, 9, 1, 7];
    const sum = products.reduce((a, b) => a + b, 0);
    expect(sum).toBe(61);
    expect((10 - (sum % 10)) % 10).toBe(9);
    expect(validateClabe('032180000118359719')).toEqual({
      ok: true, clabe: '032180000118359719', bankCode: '032', bank: 'IXE (hoy Banorte)', city: '180', account: '00011835971',
    });
  });

  it('accepts the examples other CLABE libraries test with', () => {
    expect(validateClabe('002000000000000008')).toMatchObject({ ok: true, bank: 'Banamex (Citibanamex)' });
    expect(clabeCheckDigit('00201007777777777')).toBe(1);
  });

  it.each([
    ['012', '180', '01234567890', 'BBVA México'], ['014', '320', '65432109876', 'Santander'],
    ['072', '580', '00112233445', 'Banorte'], ['127', '180', '09876543210', 'Banco Azteca'],
    ['137', '540', '55555555555', 'BanCoppel'], ['646', '180', '15700000001', 'STP'],
    ['638', '180', '01014101876', 'Nu México'], ['722', '969', '01342106113', 'Mercado Pago'],
  ])('accepts a CLABE built with the rule for bank %s', (bank, city, account, name) => {
    const clabe = makeClabe(bank, city, account);
    expect(validateClabe(clabe)).toEqual({ ok: true, clabe, bankCode: bank, bank: name, city, account });
  });

  it('accepts what people write around it', () => {
    for (const input of ['032 180 000118359719', 'CLABE: 0321-8000-0118-3597-19', 'clabe interbancaria 032.180.000118359719 (IXE)', '０３２１８００００１１８３５９７１９']) {
      expect(validateClabe(input), input).toMatchObject({ ok: true, clabe: '032180000118359719' });
    }
  });

  it('returns bank null for a code it does not know, without refusing', () => {
    const clabe = makeClabe('999', '180', '00000000001');
    expect(validateClabe(clabe)).toMatchObject({ ok: true, bankCode: '999', bank: null });
  });

  it('catches every single mistyped digit (weights 3, 7, 1 are all coprime with 10)', () => {
    const good = '032180000118359719';
    let caught = 0;
    for (let i = 0; i < 18; i++) {
      for (let d = 0; d <= 9; d++) {
        if (String(d) === good[i]) continue;
        const typo = good.slice(0, i) + d + good.slice(i + 1);
        expect(validateClabe(typo).ok, typo).toBe(false);
        caught++;
      }
    }
    expect(caught).toBe(18 * 9);
  });

  it('says the check digit failed without revealing the expected one', () => {
    const r = validateClabe('032180000118359710');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.detail.en).toContain('check digit');
    if (!r.ok) expect(r.detail.es).not.toMatch(/\d/);
  });

  it.each([
    ['03218000011835971', 'tiene 17 dígitos'], ['0321800001183597190', 'tiene 19 dígitos'],
    ['4111 1111 1111 1111', 'tarjeta'], ['55 1234 5678', 'teléfono'],
  ])('refuses %j by its length (%s)', (input, words) => {
    const r = validateClabe(input);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.detail.es).toContain(words);
  });

  it.each(['0321800001183597A9', '032180000118359719O4', 'O32180000118359719x1', '032_180_000118359719', '', 'sin clabe'])('refuses %j', (input) => {
    expect(validateClabe(input).ok).toBe(false);
  });

  it('lists the main banks by 3-digit code', () => {
    for (const [code, name] of [['002', 'Banamex'], ['012', 'BBVA'], ['014', 'Santander'], ['021', 'HSBC'], ['030', 'BanBajío'], ['036', 'Inbursa'], ['044', 'Scotiabank'], ['058', 'Banregio'], ['072', 'Banorte'], ['127', 'Azteca'], ['137', 'BanCoppel'], ['646', 'STP']]) {
      expect(BANK_CODES[code!], code).toContain(name);
    }
    for (const code of Object.keys(BANK_CODES)) expect(code).toMatch(/^\d{3}$/);
  });
});

describe('maskCard', () => {
  it.each([
    ['4111 1111 1111 1111', '1111', 'Visa'], ['4012-8888-8888-1881', '1881', 'Visa'], ['4222222222222', '2222', 'Visa'],
    ['5555 5555 5555 4444', '4444', 'Mastercard'], ['5105 1051 0510 5100', '5100', 'Mastercard'],
    ['2221 0000 0000 0009', '0009', 'Mastercard'], ['3782 822463 10005', '0005', 'American Express'],
    ['371449635398431', '8431', 'American Express'], ['6011 1111 1111 1117', '1117', null],
    ['Tarjeta: 4111-1111-1111-1111 (BBVA)', '1111', 'Visa'], ['４１１１ １１１１ １１１１ １１１１', '1111', 'Visa'],
  ])('%j → •••• %s (%s)', (input, last4, brand) => {
    expect(maskCard(input)).toEqual({ ok: true, masked: `•••• •••• •••• ${last4}`, last4, brand });
  });

  it('recognises a Carnet number built in its range', () => {
    const carnet = withLuhn('506220123456789');
    expect(maskCard(carnet)).toMatchObject({ ok: true, brand: 'Carnet' });
    expect(cardBrand('5062990000000000')).toBe('Carnet');
    expect(cardBrand('5065000000000000')).toBeNull();
  });

  it('keeps nothing but the last four digits', () => {
    const r = maskCard('4111 1111 1111 1111');
    expect(JSON.stringify(r)).not.toContain('41111111');
    expect(JSON.stringify(maskCard('5105105105105100'))).not.toMatch(/51051051|510510/);
  });

  it.each([
    ['4111 1111 1111 1112', 'check digit'], ['4111 1111 111', '11 digits'], ['4111 1111 1111 1111 1111', '20 digits'],
    ['0000 0000 0000 0000', 'starts with 0'], ['4111 11A1 1111 1111', 'letters'], ['4111_1111_1111_1111', 'letters or other signs'],
    ['', 'no digits'], ['sin tarjeta', 'no digits'],
  ])('refuses %j (%s) without echoing the digits', (input, words) => {
    const r = maskCard(input);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.detail.en).toContain(words);
    expect(r.detail.es + r.detail.en).not.toContain('1111');
  });

  it('agrees with an independent Luhn on generated numbers of every length', () => {
    for (let len = 13; len <= 19; len++) {
      const good = withLuhn('4'.padEnd(len - 1, '7'));
      expect(luhnValid(good), good).toBe(true);
      const bad = good.slice(0, -1) + ((Number(good.at(-1)) + 1) % 10);
      expect(luhnValid(bad), bad).toBe(false);
      expect(maskCard(good)).toMatchObject({ ok: true, last4: good.slice(-4), masked: `•••• •••• •••• ${good.slice(-4)}` });
    }
  });
});
