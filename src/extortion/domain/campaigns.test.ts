import { describe, expect, it } from 'vitest';
import { accountKey, detectCampaigns, jaccard, normalizeClaim, shingles, type CampaignReport } from './campaigns.js';

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 1, 1);
const WINDOW = { windowMs: 30 * DAY };
let seq = 0;
const r = (e164: string, day: number, over: Partial<CampaignReport> = {}): CampaignReport => ({ id: `r${++seq}`, e164, at: T0 + day * DAY, ...over });

const CLABE = '012180001234567891';
const SCRIPT = [
  'Tenemos secuestrado a tu hijo Juan, si no depositas 50,000 pesos a la cuenta que te vamos a dar no lo vuelves a ver, no cuelgues ni llames a nadie',
  'tenemos secuestrado a tu hijo PEDRO si no depositas 30 000 pesos a la cuenta que te vamos a dar no lo vuelves a ver. No cuelgues ni llames a nadie!!',
  'Tenemos secuestrada a tu hija María; si no depositas $80,000 pesos a la cuenta que te vamos a dar no la vuelves a ver, no cuelgues ni llames a nadie',
];
const UNRELATED = [
  'Le llamamos del SAT, tiene un adeudo fiscal y debe pagar hoy o se embargará su cuenta bancaria',
  'Felicidades, ganó una camioneta en el sorteo de aniversario, solo cubra el envío con una recarga',
];

describe('campaigns by bank account', () => {
  it('groups numbers that name the same CLABE within the window', () => {
    const reports = [r('+525510000001', 0, { clabe: CLABE }), r('+525510000002', 5, { clabe: '0121 8000 1234 5678 91' }), r('+525510000003', 12, { clabe: CLABE }), r('+525510000004', 3, { clabe: '002180009999999999' })];
    const [campaign, ...rest] = detectCampaigns(reports, WINDOW);
    expect(rest).toEqual([]);
    expect(campaign).toMatchObject({
      id: `C-${reports[0]!.id}`, numbers: ['+525510000001', '+525510000002', '+525510000003'], firstAt: T0, lastAt: T0 + 12 * DAY,
      evidence: [{ kind: 'bank_account', account: `clabe:${CLABE}`, numbers: ['+525510000001', '+525510000002', '+525510000003'], reports: 3 }],
    });
  });

  it('does not link reports further apart than the window, but chains links that are each within it', () => {
    expect(detectCampaigns([r('+525510000001', 0, { clabe: CLABE }), r('+525510000002', 45, { clabe: CLABE })], WINDOW)).toEqual([]);
    const chain = [r('+525510000001', 0, { clabe: CLABE }), r('+525510000002', 25, { clabe: CLABE }), r('+525510000003', 50, { clabe: CLABE })];
    expect(detectCampaigns(chain, WINDOW)[0]!.numbers).toHaveLength(3);
  });

  it('links cards by bank and last four digits, and never by the digits alone', () => {
    const cards = [r('+525510000001', 0, { card: 'BBVA:1234' }), r('+525510000002', 1, { card: 'bbva : 1234' }), r('+525510000003', 1, { card: 'Banorte:1234' })];
    expect(detectCampaigns(cards, WINDOW).map((c) => c.numbers)).toEqual([['+525510000001', '+525510000002']]);
    expect(detectCampaigns([r('+525510000001', 0, { card: ':1234' }), r('+525510000002', 1, { card: ':1234' })], WINDOW)).toEqual([]);
  });

  it('is no campaign when only one number used the account', () => {
    expect(detectCampaigns([r('+525510000001', 0, { clabe: CLABE }), r('+525510000001', 2, { clabe: CLABE })], WINDOW)).toEqual([]);
  });

  it('reads account keys', () => {
    expect(accountKey({ id: 'x', e164: '', at: 0, clabe: '0121-8000-1234-5678-91' })).toBe(`clabe:${CLABE}`);
    expect(accountKey({ id: 'x', e164: '', at: 0, clabe: '1234' })).toBeNull();
    expect(accountKey({ id: 'x', e164: '', at: 0, card: 'Santander:12345' })).toBeNull();
  });
});

describe('campaigns by script', () => {
  it('links the same script with other names, amounts, accents and punctuation', () => {
    const reports = SCRIPT.map((claimed, i) => r(`+52551000000${i}`, i, { claimed }));
    const [campaign, ...rest] = detectCampaigns([...reports, ...UNRELATED.map((claimed, i) => r(`+52552000000${i}`, i, { claimed }))], WINDOW);
    expect(rest).toEqual([]);
    expect(campaign!.numbers).toEqual(['+525510000000', '+525510000001', '+525510000002']);
    const [evidence] = campaign!.evidence;
    expect(evidence).toMatchObject({ kind: 'script', reports: 3, example: SCRIPT[0] });
    expect(evidence?.kind === 'script' && evidence.similarity).toBeGreaterThanOrEqual(0.5);
  });

  it('ignores short claims and scripts outside the window', () => {
    expect(detectCampaigns([r('+525510000001', 0, { claimed: 'deposita ya' }), r('+525510000002', 1, { claimed: 'deposita ya' })], WINDOW)).toEqual([]);
    expect(detectCampaigns([r('+525510000001', 0, { claimed: SCRIPT[0] }), r('+525510000002', 40, { claimed: SCRIPT[1] })], WINDOW)).toEqual([]);
  });

  it('joins account and script links into one campaign with both kinds of evidence', () => {
    const reports = [
      r('+525510000001', 0, { clabe: CLABE }),
      r('+525510000002', 2, { clabe: CLABE, claimed: SCRIPT[0] }),
      r('+525510000003', 4, { claimed: SCRIPT[1] }),
      r('+525510000009', 4, { claimed: UNRELATED[0] }),
    ];
    const campaigns = detectCampaigns(reports, WINDOW);
    expect(campaigns).toHaveLength(1);
    expect(campaigns[0]!.numbers).toEqual(['+525510000001', '+525510000002', '+525510000003']);
    expect(campaigns[0]!.evidence.map((e) => [e.kind, e.numbers])).toEqual([
      ['bank_account', ['+525510000001', '+525510000002']],
      ['script', ['+525510000002', '+525510000003']],
    ]);
  });

  it('puts the largest campaigns first', () => {
    const reports = [
      r('+525510000001', 0, { card: 'HSBC:1111' }), r('+525510000002', 0, { card: 'HSBC:1111' }),
      r('+525520000001', 0, { clabe: CLABE }), r('+525520000002', 0, { clabe: CLABE }), r('+525520000003', 0, { clabe: CLABE }),
    ];
    expect(detectCampaigns(reports, WINDOW).map((c) => c.numbers.length)).toEqual([3, 2]);
  });
});

describe('agreement with the definition', () => {
  it('finds the same groups as linking every similar pair within the window (brute force)', () => {
    let x = 7;
    const rand = () => (x = (Math.imul(x, 1103515245) + 12345) >>> 0) / 2 ** 32;
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;
    const names = ['Juan', 'Pedro', 'Ana', 'Rosa'];
    const reports = Array.from({ length: 300 }, () => {
      const claimed = rand() < 0.8 ? pick(SCRIPT).replace(/Juan|PEDRO|María/, pick(names)) : pick(UNRELATED);
      return r(`+5255${String(Math.floor(rand() * 60)).padStart(8, '0')}`, Math.floor(rand() * 3650) / 10, { claimed });
    });
    const window = 1.5 * DAY;
    const groups = (ids: string[][]) => ids.map((g) => [...g].sort().join()).sort();

    const parent = reports.map((_, i) => i);
    const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i]!)));
    const sets = reports.map((rep) => shingles(normalizeClaim(rep.claimed ?? ''), 3));
    for (let i = 0; i < reports.length; i++) {
      for (let j = i + 1; j < reports.length; j++) {
        if (Math.abs(reports[i]!.at - reports[j]!.at) <= window && jaccard(sets[i]!, sets[j]!) >= 0.5) parent[find(i)] = find(j);
      }
    }
    const byRoot = new Map<number, number[]>();
    reports.forEach((_, i) => byRoot.set(find(i), [...(byRoot.get(find(i)) ?? []), i]));
    const expected = [...byRoot.values()].filter((g) => new Set(g.map((i) => reports[i]!.e164)).size >= 2).map((g) => g.map((i) => reports[i]!.id));

    const got = detectCampaigns(reports, { windowMs: window }).map((c) => c.reportIds);
    expect(expected.length).toBeGreaterThan(20);
    expect(groups(got)).toEqual(groups(expected));
  });
});

describe('script similarity', () => {
  it('normalises case, accents, numbers and punctuation', () => {
    expect(normalizeClaim('¡Depositá $50,000.00 YA, señora!')).toEqual(['deposita', '#', 'ya', 'senora']);
  });

  it('measures Jaccard over word shingles', () => {
    const a = shingles(normalizeClaim('uno dos tres cuatro'), 3);
    expect([...a]).toEqual(['uno dos tres', 'dos tres cuatro']);
    expect(jaccard(a, shingles(normalizeClaim('uno dos tres cinco'), 3))).toBeCloseTo(1 / 3);
    expect(jaccard(a, a)).toBe(1);
    expect(jaccard(new Set(), new Set())).toBe(0);
  });
});
