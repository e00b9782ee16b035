import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DomainError, errorCatalogue, negotiateLang } from './errors.js';
import { displayPhone, normalizeContactPhone } from './phone.js';

describe('error catalogue', () => {
  it('is documented code for code in docs/ERRORS.md', () => {
    const doc = readFileSync(new URL('../../docs/ERRORS.md', import.meta.url), 'utf8');
    const documented = [...doc.matchAll(/^\| `([A-Z_]+)` \| (\d{3}) \|/gm)].map((m) => [m[1], Number(m[2])]);
    expect(documented).toEqual(Object.entries(errorCatalogue).map(([code, spec]) => [code, spec.status]));
  });

  it('has a Spanish and an English message for every code, with the same placeholders', () => {
    for (const spec of Object.values(errorCatalogue)) {
      const vars = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      expect(vars(spec.es)).toEqual(vars(spec.en));
      expect(spec.es).not.toEqual(spec.en);
    }
  });

  it('fills localised parameters in the requested language', () => {
    const e = new DomainError('IMPORT_INVALID_FEATURE', { index: 3, id: 'P-1', problem: { es: 'anillo abierto', en: 'open ring' } });
    expect(e.message_('es')).toBe('Elemento 3 (P-1): anillo abierto');
    expect(e.message_('en')).toBe('Feature 3 (P-1): open ring');
    expect(e.status).toBe(422);
  });
});

describe('language negotiation', () => {
  it.each([
    [undefined, 'es'], ['', 'es'], ['en', 'en'], ['en-US,en;q=0.9', 'en'], ['es-MX,es;q=0.9,en;q=0.8', 'es'],
    ['fr-FR,en;q=0.5', 'en'], ['en;q=0.2,es;q=0.8', 'es'], ['de', 'es'], ['*', 'es'],
  ])('%s → %s', (header, lang) => {
    expect(negotiateLang(header)).toBe(lang);
  });
});

describe('contact phones', () => {
  it.each([
    ['55 5208 9898', '+525552089898'], ['(55) 5208-9898', '+525552089898'], ['+52 55 5208 9898', '+525552089898'],
    ['+1 415 555 0100', '+14155550100'],
    // The same normaliser as reported numbers (src/rules/phone.ts): old prefixes are read, not refused.
    ['044 55 5208 9898', '+525552089898'], ['+52 1 55 5208 9898', '+525552089898'],
  ])('%s → %s', (input, e164) => { expect(normalizeContactPhone(input)).toBe(e164); });

  // 1234567890 and +52 202…: the old contact check took any 10 digits; no such Mexican number exists.
  it.each(['12', '5208 9898', '+52 1 55', 'llámame', '+52 55 5208 98981', '1234567890', '+52 202 123 4567'])('refuses %s', (input) => {
    expect(() => normalizeContactPhone(input)).toThrow(DomainError);
  });

  it('refuses a short code as a contact phone, saying what it is', () => {
    const e = (() => { try { normalizeContactPhone('911'); } catch (err) { return err as DomainError; } return null; })();
    expect(e?.code).toBe('INVALID_PHONE');
    expect(e?.message_('es')).toContain('911 es un número corto');
    expect(e?.message_('en')).toContain('911 is a short code');
  });

  it('displays Mexican numbers the way they are dialled', () => {
    expect(displayPhone('+525552089898')).toBe('55 5208 9898');
    expect(displayPhone('+526671234567')).toBe('667 123 4567');
    expect(displayPhone('+14155550100')).toBe('+14155550100');
  });
});
