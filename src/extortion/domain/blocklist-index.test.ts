import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DomainError, ManualClock } from '../../kernel/index.js';
import { NumberMap, ReputationIndex, e164Hash, inFeed } from './blocklist-index.js';
import type { Reputation, ReputationLevel } from './reputation.js';

const LEVELS: ReputationLevel[] = ['none', 'suspicious', 'probable', 'confirmed', 'spoofed'];

function reputation(e164: string, level: ReputationLevel, over: Partial<Reputation> = {}): Reputation {
  return {
    e164, level, score: level === 'confirmed' ? 100 : level === 'probable' ? 60 : level === 'suspicious' ? 20 : 0,
    reports: 1, independentReporters: 1, effectiveReporters: 1, lastReportAt: 0, topTypes: [], underReview: false,
    basis: level === 'confirmed' ? 'analyst_confirmed' : level === 'spoofed' ? 'protected' : 'reports',
    explanation: { es: '—', en: '—' }, ...over,
  };
}

const many = (n: number): Reputation[] =>
  Array.from({ length: n }, (_, i) => reputation(`+5255${String(10_000_000 + i * 7).slice(-8)}`, LEVELS[i % LEVELS.length]!));

describe('ReputationIndex', () => {
  it('answers look-ups by E.164', () => {
    const index = new ReputationIndex([reputation('+525512345678', 'probable')]);
    expect(index.get('+525512345678')).toMatchObject({ level: 'probable' });
    expect(index.get('+525500000000')).toBeUndefined();
    expect(index.size).toBe(1);
  });

  it('holds in each range bucket exactly the entries whose hash starts with the prefix (brute force)', () => {
    const entries = many(5000);
    const index = new ReputationIndex(entries);
    const hashed = entries.map((r) => ({ r, hash: createHash('sha256').update(r.e164).digest('hex') }));
    const prefixes = new Set(hashed.map((h) => h.hash.slice(0, 5)));
    for (let i = 0; i < 300; i++) prefixes.add((i * 3499).toString(16).padStart(5, '0'));
    let nonEmpty = 0;
    for (const prefix of prefixes) {
      const expected = hashed.filter((h) => h.hash.startsWith(prefix)).map((h) => ({ hashSuffix: h.hash.slice(5), level: h.r.level })).sort(bySuffix);
      const got = index.range(prefix).map((e) => ({ hashSuffix: e.hashSuffix, level: e.level })).sort(bySuffix);
      expect(got).toEqual(expected);
      if (got.length > 0) nonEmpty++;
    }
    expect(nonEmpty).toBeGreaterThan(4900);
    expect(index.range(e164Hash(entries[0]!.e164).slice(0, 5).toUpperCase())).toHaveLength(index.range(e164Hash(entries[0]!.e164).slice(0, 5)).length);
  });

  it('returns the hash suffix and level, never the number', () => {
    const index = new ReputationIndex([reputation('+525512345678', 'confirmed')]);
    const hash = e164Hash('+525512345678');
    const [entry] = index.range(hash.slice(0, 5));
    expect(entry).toEqual({ hashSuffix: hash.slice(5), level: 'confirmed', score: 100, underReview: false });
    expect(JSON.stringify(index.range(hash.slice(0, 5)))).not.toContain('5512345678');
  });

  it.each(['abc', 'abcdef', 'ghijk', '', '1234 '])('refuses the prefix %j', (prefix) => {
    expect(() => new ReputationIndex([]).range(prefix)).toThrow(DomainError);
  });

  it('lists suspicious and above for the blocklist, never none, cleared or spoofed', () => {
    const index = new ReputationIndex(many(50));
    const listed = index.listed();
    expect(listed).toHaveLength(30);
    expect(new Set(listed.map((r) => r.level))).toEqual(new Set(['suspicious', 'probable', 'confirmed']));
  });

  it('moves changedAt on a level change, not on decay of the score, and feeds removals since a cursor', () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 1));
    const index = new ReputationIndex([reputation('+525500000001', 'probable'), reputation('+525500000002', 'suspicious')], clock);
    const start = index.cursor;
    expect(index.listed().every((r) => r.changedAt === start)).toBe(true);

    clock.advance(1000);
    expect(index.upsert(reputation('+525500000001', 'probable', { score: 55 }))).toBe(false);
    expect(index.get('+525500000001')).toMatchObject({ score: 55, changedAt: start });
    expect(index.range(e164Hash('+525500000001').slice(0, 5))[0]!.score).toBe(55);
    expect(index.changedSince(start)).toEqual([]);

    expect(index.upsert(reputation('+525500000002', 'none'))).toBe(true);
    expect(index.upsert(reputation('+525500000003', 'confirmed'))).toBe(true);
    const feed = index.changedSince(start);
    expect(feed.map((r) => [r.e164, r.level])).toEqual([['+525500000002', 'none'], ['+525500000003', 'confirmed']]);
    expect(feed[1]!.changedAt).toBeGreaterThan(feed[0]!.changedAt);
    expect(index.listed().map((r) => r.e164).sort()).toEqual(['+525500000001', '+525500000003']);
    expect(index.changedSince(index.cursor)).toEqual([]);
  });

  it("feeds carriers probable and confirmed numbers only: one report's \"suspicious\" never enters", () => {
    const index = new ReputationIndex(many(50));
    expect(new Set(index.feed().map((r) => r.level))).toEqual(new Set(['probable', 'confirmed']));
    expect(index.feed()).toHaveLength(20);
    expect(index.feedChangedSince(0).every((r) => inFeed(r.level))).toBe(true);
  });

  it('moves feedChangedAt only when a number enters, leaves or changes level inside the feed', () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 1));
    const index = new ReputationIndex([reputation('+525500000001', 'probable'), reputation('+525500000002', 'suspicious')], clock);
    const start = index.cursor;
    expect(index.feedChangedSince(0).map((r) => r.e164)).toEqual(['+525500000001']);

    clock.advance(1000);
    index.upsert(reputation('+525500000002', 'none')); // never in the feed: carriers hear nothing
    index.upsert(reputation('+525500000003', 'suspicious'));
    expect(index.feedChangedSince(start)).toEqual([]);
    expect(index.changedSince(start).map((r) => r.e164)).toEqual(['+525500000002', '+525500000003']);

    index.upsert(reputation('+525500000001', 'suspicious')); // leaves the feed: a removal
    index.upsert(reputation('+525500000003', 'probable')); // enters
    const moves = index.feedChangedSince(start);
    expect(moves.map((r) => [r.e164, r.level, inFeed(r.level)])).toEqual([['+525500000001', 'suspicious', false], ['+525500000003', 'probable', true]]);
    expect(index.feed().map((r) => r.e164)).toEqual(['+525500000003']);
    const cursor = index.cursor;
    index.upsert(reputation('+525500000003', 'confirmed')); // a change of level inside the feed
    expect(index.feedChangedSince(cursor).map((r) => r.level)).toEqual(['confirmed']);
    expect(index.feedChangedSince(index.cursor)).toEqual([]);
  });

  it('feeds a number once, as it is now, when a batch changed it twice', () => {
    const index = new ReputationIndex([]);
    const start = index.cursor;
    index.upsertAll([reputation('+525500000001', 'suspicious'), reputation('+525500000001', 'probable'), reputation('+525500000001', 'probable', { score: 70 })]);
    expect(index.changedSince(start).map((r) => [r.level, r.score])).toEqual([['probable', 70]]);
  });

  it('keeps changedAt strictly increasing when the clock stands still or goes back', () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 1));
    const index = new ReputationIndex([], clock);
    const stamps: number[] = [];
    for (let i = 0; i < 5; i++) {
      if (i === 3) clock.advance(-60_000);
      index.upsert(reputation(`+52550000000${i}`, 'suspicious'));
      stamps.push(index.cursor);
    }
    expect(stamps.every((s, i) => i === 0 || s > stamps[i - 1]!)).toBe(true);
  });

  it('replaces buckets instead of editing them, so an answer already handed out stays as it was', () => {
    const index = new ReputationIndex([reputation('+525512345678', 'suspicious')]);
    const prefix = e164Hash('+525512345678').slice(0, 5);
    const before = index.range(prefix);
    index.upsert(reputation('+525512345678', 'confirmed'));
    expect(before[0]!.level).toBe('suspicious');
    expect(index.range(prefix)[0]!.level).toBe('confirmed');
    expect(index.range(prefix)).toHaveLength(1);
  });

  it('does not repeat superseded entries in the feed after many updates of one number', () => {
    const index = new ReputationIndex(many(10));
    for (let round = 0; round < 2000; round++) index.upsert(reputation('+525500000001', round % 2 ? 'probable' : 'suspicious'));
    expect(index.changedSince(0).length).toBe(11);
  });
});

describe('NumberMap', () => {
  it('agrees with a Map through growth, updates, misses and strings that are not E.164', () => {
    const ours = new NumberMap<number>();
    const plain = new Map<string, number>();
    let x = 12345;
    const next = () => (x = (Math.imul(x, 1103515245) + 12345) >>> 0);
    const odd = ['', '+', '+0', '+05512345678', '+5512345678901234', '525512345678', '+52 55', 'abc', '+52551234567a', '+999999999999999'];
    for (let i = 0; i < 20_000; i++) {
      const key = i % 50 === 0 ? odd[(i / 50) % odd.length]! : `+52${String(next() % 100_000).padStart(10, '0')}`;
      ours.set(key, i);
      plain.set(key, i);
    }
    expect(ours.size).toBe(plain.size);
    for (const [key, value] of plain) expect(ours.get(key)).toBe(value);
    for (let i = 0; i < 5000; i++) {
      const key = `+52${String(100_000 + (next() % 100_000)).padStart(10, '0')}`;
      expect(ours.get(key)).toBe(plain.get(key));
    }
    expect(ours.get('+5')).toBeUndefined();
    expect([...ours.values()].sort((a, b) => a - b)).toEqual([...plain.values()].sort((a, b) => a - b));
  });

  it('tells apart numbers whose digits would read the same with a leading zero', () => {
    const map = new NumberMap<string>();
    map.set('+5', 'five');
    map.set('+05', 'zero-five');
    expect([map.get('+5'), map.get('+05'), map.get('+005')]).toEqual(['five', 'zero-five', undefined]);
  });
});

const bySuffix = (a: { hashSuffix: string }, b: { hashSuffix: string }) => (a.hashSuffix < b.hashSuffix ? -1 : 1);
