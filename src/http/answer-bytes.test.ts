import { describe, expect, it } from 'vitest';
import { BytesCache, NumberTemplate } from './answer-bytes.js';

const body = ([lat, lon, d]: readonly number[]) => ({ point: { lat, lon }, name: 'Línea – ñ', nearest: { distanceMeters: d }, version: 3 });
const json = (b: unknown) => JSON.stringify(b);

describe('NumberTemplate', () => {
  it('fills the holes with what the serializer would write, for any finite values', () => {
    const t = NumberTemplate.probe(json, body, 3)!;
    expect(t).not.toBeNull();
    for (const values of [[19.432612, -99.133209, 0], [-90, 180, 12_345], [0.000001, -0, 7], [1e21, 5e-7, 1]]) {
      expect(t.fill(values).toString('utf8')).toBe(json(body(values)));
      expect(t.fill(values).equals(Buffer.from(json(body(values))))).toBe(true);
    }
  });

  it('keeps the text order when the holes are in another order than the values', () => {
    const reversed = ([a, b]: readonly number[]) => ({ first: b, second: a });
    const t = NumberTemplate.probe(json, reversed, 2)!;
    expect(t.fill([1.5, -2.25]).toString()).toBe('{"first":-2.25,"second":1.5}');
  });

  it('refuses a serializer that does not write numbers as JavaScript does', () => {
    const fixed = (b: unknown) => JSON.stringify(b, (_k, v: unknown) => (typeof v === 'number' ? Number(v.toFixed(2)) : v));
    expect(NumberTemplate.probe(fixed, body, 3)).toBeNull();
  });

  it('refuses a value written twice, or not at all', () => {
    expect(NumberTemplate.probe(json, ([a]) => ({ a, again: a }), 1)).toBeNull();
    expect(NumberTemplate.probe(json, () => ({ constant: 0 }), 1)).toBeNull();
  });
});

describe('BytesCache', () => {
  it('serialises an object once and again only for a new object', () => {
    const cache = new BytesCache<{ n: number }>();
    let calls = 0;
    const serialize = (b: unknown) => { calls++; return json(b); };
    const first = { n: 1 };
    expect(cache.get(first, serialize, (k) => k).toString()).toBe('{"n":1}');
    expect(cache.get(first, serialize, (k) => k).toString()).toBe('{"n":1}');
    expect(calls).toBe(1);
    expect(cache.get({ n: 2 }, serialize, (k) => k).toString()).toBe('{"n":2}');
    expect(calls).toBe(2);
  });
});
