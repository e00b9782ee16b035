import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DomainError } from '../../kernel/index.js';
import { normalizeNumber } from '../../rules/index.js';
import { sha256Hex, sha256Prefix } from './numbers.js';

// Normalising what people paste is tested with the rule itself: src/rules/phone.test.ts.

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
