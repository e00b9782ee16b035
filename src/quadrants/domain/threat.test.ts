import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseCrimesCsv, parsePopulationCsv, type CrimeRecord } from './csv.js';
import {
  CRIME_TYPES, DEFAULT_SEVERITY, THREAT_DEFAULTS, THREAT_LABELS, computeThreat,
  type ThreatAssessment, type ThreatLevel,
} from './threat.js';

const STREET = 'ROBO A TRANSEUNTE EN VIA PUBLICA C.V.';
const MURDER = 'HOMICIDIO DOLOSO';
const CAR_THEFT = 'ROBO DE VEHICULO AUTOMOTOR S.V.';

const rec = (quadrant: string, crime: string, month: string, count = 1): CrimeRecord => ({ quadrant, crime, month, count });

/** 100 quadrants of 8,000 residents, Q00 calmest to Q99 busiest; data from Jan 2013 to Sep 2015. */
function city(): { records: CrimeRecord[]; population: Map<string, number>; ids: string[] } {
  const ids = Array.from({ length: 100 }, (_, i) => `Q${String(i).padStart(2, '0')}`);
  const records = ids.flatMap((id, i) => [rec(id, STREET, '2015-03', 5 + Math.floor(i / 3)), rec(id, CAR_THEFT, '2013-01', 1 + (i % 3))]);
  return { records, population: new Map(ids.map((id) => [id, 8000])), ids };
}

const LAST_YEAR = ['2014-10', '2014-11', '2014-12', '2015-01', '2015-02', '2015-03', '2015-04', '2015-05', '2015-06', '2015-07', '2015-08', '2015-09'];
/** A few crimes: two street robberies and a murder in the last year. */
const tinyRecords = (id: string): CrimeRecord[] => [rec(id, STREET, '2015-08', 2), rec(id, MURDER, '2015-02')];
/** A genuine hot spot: ten street robberies and a murder every month. */
const hotRecords = (id: string): CrimeRecord[] => LAST_YEAR.flatMap((m) => [rec(id, STREET, m, 10), rec(id, MURDER, m)]);

const one = (records: CrimeRecord[], population: Map<string, number>, ids: string[], id: string): ThreatAssessment => {
  const a = computeThreat(records, population, ids).get(id);
  if (!a) throw new Error(`no assessment for ${id}`);
  return a;
};

describe('computeThreat: the formula', () => {
  it('more crimes never lower a quadrant', () => {
    const { records, population, ids } = city();
    const before = one(records, population, ids, 'Q50');
    const after = one([...records, rec('Q50', CAR_THEFT, '2014-06', 3)], population, ids, 'Q50');
    expect(after.weightedPer1000).toBeGreaterThan(before.weightedPer1000);
    expect(after.level).toBeGreaterThanOrEqual(before.level);
    expect(after.score).toBeGreaterThanOrEqual(before.score);
  });

  it('a more severe crime weighs more than a lesser one in the same month', () => {
    const { records, population, ids } = city();
    const murder = one([...records, rec('Q50', MURDER, '2015-01')], population, ids, 'Q50');
    const theft = one([...records, rec('Q50', CAR_THEFT, '2015-01')], population, ids, 'Q50');
    expect(murder.weightedPer1000).toBeGreaterThan(theft.weightedPer1000);
  });

  it(`an older report weighs less: half as much ${THREAT_DEFAULTS.halfLifeMonths} months earlier`, () => {
    const population = new Map([['NEW', 1000], ['OLD', 1000], ['ANCHOR', 1000]]);
    const ids = [...population.keys()];
    const result = computeThreat(
      [rec('NEW', STREET, '2015-09'), rec('OLD', STREET, '2014-09'), rec('ANCHOR', CAR_THEFT, '2013-01')],
      population, ids,
    );
    const ratio = (result.get('OLD')?.weightedPer1000 ?? 0) / (result.get('NEW')?.weightedPer1000 ?? 1);
    expect(ratio).toBeCloseTo(0.5, 2);
  });

  it('is a yearly rate: k reports every month for the whole span score 12·k·severity per 1,000 residents', () => {
    const months = Array.from({ length: 33 }, (_, i) => `${2013 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`);
    const records = months.map((m) => rec('A', STREET, m, 2));
    const a = one(records, new Map([['A', 4000]]), ['A'], 'A');
    expect(a.weightedPer1000).toBeCloseTo((12 * 2 * (CRIME_TYPES[STREET]?.severity ?? 0) * 1000) / 4000, 1);
    expect(a.reports12m).toBe(24);
  });

  it('a quadrant with 10 residents and a few crimes does not reach level 5; a populous high-crime one does', () => {
    const { records, population, ids } = city();
    population.set('TINY', 10).set('HOT', 6000);
    const all = [...records, ...tinyRecords('TINY'), ...hotRecords('HOT')];
    const result = computeThreat(all, population, [...ids, 'TINY', 'HOT']);
    const tiny = result.get('TINY');
    expect(tiny?.level).toBeLessThan(5);
    expect(tiny?.explanation.en).toContain('It has few residents (10); so as not to inflate the rate it is computed as if it had 2,000.');
    expect(result.get('HOT')?.level).toBe(5);
    // Without the floor the same 10 residents would put it at the top of the city.
    const unfloored = computeThreat(all, population, [...ids, 'TINY', 'HOT'], { populationFloorFraction: 0 });
    expect(unfloored.get('TINY')?.level).toBe(5);
  });

  it('a quadrant with no residents at all uses the floor too', () => {
    const { records, population, ids } = city();
    const a = one([...records, rec('PARK', STREET, '2015-09')], population, [...ids, 'PARK'], 'PARK');
    expect(a.population).toBe(0);
    expect(a.weightedPer1000).toBeCloseTo(((12 * 4) / sumDecay(32)) * (1000 / 2000), 2);
  });

  it('with no population data at all, rates are per quadrant (as if 1,000 residents each)', () => {
    const a = one([rec('A', STREET, '2015-09')], new Map(), ['A'], 'A');
    expect(a.weightedPer1000).toBeCloseTo(12 * 4, 5);
  });

  it('uses only records up to the reference month, which defaults to the newest month in the data', () => {
    const records = [rec('A', STREET, '2015-01'), rec('A', MURDER, '2015-09'), rec('(EN BLANCO)', STREET, '2015-12')];
    const latest = computeThreat(records, new Map([['A', 1000]]), ['A']).get('A');
    expect(latest?.window).toEqual({ from: '2015-01', to: '2015-12' });
    const pinned = computeThreat(records, new Map([['A', 1000]]), ['A'], { referenceMonth: '2015-06' }).get('A');
    expect(pinned?.window).toEqual({ from: '2015-01', to: '2015-06' });
    expect(pinned?.drivers.map((d) => d.crime)).toEqual([STREET]);
  });

  it.each([
    [{ halfLifeMonths: 0 }, 'halfLifeMonths'],
    [{ populationFloorFraction: -1 }, 'populationFloorFraction'],
    [{ levelCutoffs: [40, 30, 85, 95] as const }, 'levelCutoffs'],
    [{ referenceMonth: '2015-9' }, 'referenceMonth'],
  ])('refuses nonsense options: %j', (options, name) => {
    expect(() => computeThreat([], new Map(), ['A'], options)).toThrow(name);
  });

  it('fills in defaults for options given as undefined', () => {
    const a = computeThreat([rec('A', STREET, '2015-09')], new Map(), ['A'], { halfLifeMonths: undefined }).get('A');
    expect(a?.weightedPer1000).toBeCloseTo(48, 5);
  });

  it('skips records with an unreadable month or a non-positive count, and other quadrants', () => {
    const records = [rec('A', STREET, '2015-09'), rec('A', MURDER, '2015-13'), rec('A', MURDER, '2015-08', 0), rec('B', MURDER, '2015-08')];
    const a = one(records, new Map([['A', 1000]]), ['A'], 'A');
    expect(a.drivers.map((d) => d.crime)).toEqual([STREET]);
    expect(a.reports12m).toBe(1);
  });
});

/** Σ 0.5^(age/12) for ages 0..n: the normaliser of a span of n+1 months. */
const sumDecay = (n: number): number => Array.from({ length: n + 1 }, (_, a) => 0.5 ** (a / 12)).reduce((x, y) => x + y, 0);

describe('computeThreat: levels', () => {
  it('splits the city 40 / 30 / 15 / 10 / 5 % by percentile rank', () => {
    const { records, population, ids } = city();
    const result = computeThreat(records, population, ids);
    expect(levelCounts(result.values())).toEqual({ 1: 40, 2: 30, 3: 15, 4: 10, 5: 5 });
    expect(result.get('Q00')).toMatchObject({ level: 1, score: 0.5 });
    expect(result.get('Q99')).toMatchObject({ level: 5, score: 99.5 });
  });

  it('gives tied quadrants the same level', () => {
    const ids = ['A', 'B', 'C', 'D'];
    const result = computeThreat(ids.map((id) => rec(id, STREET, '2015-09')), new Map(ids.map((id) => [id, 100])), ids);
    expect(new Set([...result.values()].map((a) => a.level)).size).toBe(1);
    expect(result.get('A')?.score).toBe(50);
  });

  it('has labels for all five levels', () => {
    expect(Object.values(THREAT_LABELS).map((l) => l.es)).toEqual(['muy bajo', 'bajo', 'medio', 'alto', 'muy alto']);
    expect(THREAT_LABELS[5].en).toBe('very high');
  });
});

describe('computeThreat: drivers and explanation', () => {
  const population = new Map([['A', 8000], ['B', 8000]]);
  const ids = ['A', 'B'];

  it('names the main driver in plain language, with its count in the last 12 months and the window', () => {
    const records = [
      rec('A', STREET, '2015-09', 40), rec('A', STREET, '2014-10', 21), rec('A', STREET, '2014-09', 50),
      rec('A', CAR_THEFT, '2015-01', 20), rec('A', 'ROBO A NEGOCIO C.V.', '2015-02', 12), rec('A', 'VIOLACION', '2013-05'),
      rec('B', CAR_THEFT, '2013-01'),
    ];
    const a = computeThreat(records, population, ids).get('A');
    expect(a?.window).toEqual({ from: '2014-10', to: '2015-09' });
    expect(a?.reports12m).toBe(40 + 21 + 20 + 12);
    expect(a?.explanation.es).toBe(
      'Impulsado por robo a transeúnte con violencia: 61 denuncias en los últimos 12 meses de datos (oct 2014 – sep 2015). '
      + 'Le siguen robo a negocio con violencia (12) y robo de vehículo sin violencia (20). '
      + 'Su índice por habitante es mayor que el del 50 % de los cuadrantes con denuncias.',
    );
    expect(a?.explanation.en).toBe(
      'Driven by street robbery with violence: 61 reports in the last 12 months of data (Oct 2014 – Sep 2015). '
      + 'Followed by business robbery with violence (12) and vehicle theft without violence (20). '
      + 'Its per-resident index is higher than that of 50% of the quadrants with reports.',
    );
  });

  it('ranks drivers by weighted contribution, not by count, and gives their shares', () => {
    const records = [rec('A', CAR_THEFT, '2015-09', 5), rec('A', MURDER, '2015-09'), rec('A', STREET, '2015-09'), rec('A', 'VIOLACION', '2013-01')];
    const a = computeThreat(records, population, ids).get('A');
    expect(a?.drivers.map((d) => [d.crime, d.count12m])).toEqual([[MURDER, 1], [CAR_THEFT, 5], [STREET, 1]]);
    expect(a?.drivers[0]?.label).toEqual({ es: 'homicidio', en: 'murder' });
    const shares = a?.drivers.map((d) => d.share) ?? [];
    expect(shares[0]).toBeGreaterThan(shares[1] ?? 1);
    expect(shares.reduce((x, y) => x + y, 0)).toBeLessThan(1);
  });

  it('says so when the main driver had no reports in the last 12 months', () => {
    const a = computeThreat([rec('A', MURDER, '2013-03', 2), rec('B', CAR_THEFT, '2015-09')], population, ids).get('A');
    expect(a?.explanation.es).toMatch(/^Impulsado por homicidio: ninguna denuncia en los últimos 12 meses de datos \(oct 2014 – sep 2015\); 2 antes, desde mar 2013\./);
    expect(a?.explanation.en).toMatch(/^Driven by murder: no reports in the last 12 months of data \(Oct 2014 – Sep 2015\); 2 earlier, since Mar 2013\./);
  });

  it('says when a following driver had no reports in the last 12 months', () => {
    const records = [rec('A', MURDER, '2015-09'), rec('A', 'VIOLACION', '2013-04', 3), rec('B', CAR_THEFT, '2013-01')];
    const a = computeThreat(records, population, ids).get('A');
    expect(a?.explanation.es).toContain('Le siguen violación (ninguna en 12 meses; 3 antes).');
    expect(a?.explanation.en).toContain('Followed by rape (none in 12 months; 3 earlier).');
  });

  it('uses the singular for one report', () => {
    const a = computeThreat([rec('A', MURDER, '2015-09')], population, ids).get('A');
    expect(a?.explanation.es).toContain('homicidio: 1 denuncia en');
    expect(a?.explanation.en).toContain('murder: 1 report in');
  });

  it('a quadrant without records gets level 1 and an explanation saying there are no reports', () => {
    const result = computeThreat([rec('A', STREET, '2013-01'), rec('A', STREET, '2015-09')], population, ['A', 'B', 'NEW']);
    expect(result.get('B')).toMatchObject({ level: 1, label: THREAT_LABELS[1], score: 0, weightedPer1000: 0, drivers: [], hasData: false });
    expect(result.get('B')?.explanation).toEqual({
      es: 'Sin denuncias registradas para este cuadrante en los datos (ene 2013 – sep 2015).',
      en: 'No reports recorded for this quadrant in the data (Jan 2013 – Sep 2015).',
    });
    // Absent from the statistics altogether (e.g. drawn after them): the level must not read as "safe".
    expect(result.get('NEW')?.explanation.en).toContain('does not appear in the official statistics');
  });

  it('with no data at all, every quadrant is level 1 and says nothing is loaded', () => {
    const result = computeThreat([], population, ids);
    expect([...result.values()].map((a) => [a.level, a.hasData, a.window])).toEqual([[1, false, { from: '', to: '' }], [1, false, { from: '', to: '' }]]);
    expect(result.get('A')?.explanation.en).toBe('No crime statistics are loaded; this quadrant cannot be assessed.');
  });

  it('labels an unknown crime type with its raw name and the default weight', () => {
    const a = computeThreat([rec('A', ' EXTORSION ', '2015-09')], population, ids).get('A');
    expect(a?.drivers[0]).toMatchObject({ crime: 'EXTORSION', label: { es: 'EXTORSION', en: 'EXTORSION' } });
    expect(a?.weightedPer1000).toBeCloseTo((12 * DEFAULT_SEVERITY * 1000) / 8000, 5);
  });

  it('recognises official names written with accents, lower case or extra spaces', () => {
    const a = computeThreat([rec('A', 'Robo a casa habitación  c.v.', '2015-09')], population, ids).get('A');
    expect(a?.drivers[0]?.label.en).toBe('home robbery with violence');
  });
});

describe('CRIME_TYPES', () => {
  const sev = (name: string): number => CRIME_TYPES[name]?.severity ?? Number.NaN;

  it('ranks murder, rape and gunshot injuries above every robbery, and violence above its absence', () => {
    const robberies = Object.keys(CRIME_TYPES).filter((n) => n.startsWith('ROBO'));
    for (const top of [MURDER, 'VIOLACION', 'LESIONES DOLOSAS POR DISPARO DE ARMA DE FUEGO']) {
      for (const robbery of robberies) expect(sev(top)).toBeGreaterThan(sev(robbery));
    }
    for (const violent of robberies.filter((n) => n.endsWith('C.V.'))) {
      const calm = violent.replace(/C\.V\.$/, 'S.V.');
      if (CRIME_TYPES[calm]) expect(sev(violent)).toBeGreaterThan(sev(calm));
    }
    expect(sev(CAR_THEFT)).toBe(Math.min(...Object.values(CRIME_TYPES).map((t) => t.severity)));
  });
});

describe('computeThreat on the shipped CDMX data', () => {
  const file = (name: string): Buffer => readFileSync(new URL(`../../../data/cdmx/${name}`, import.meta.url));
  let records: CrimeRecord[];
  let population: Map<string, number>;
  let ids: string[];
  let result: Map<string, ThreatAssessment>;
  let elapsed: number;

  beforeAll(() => {
    records = parseCrimesCsv(gunzipSync(file('crimes-by-quadrant-2013-2015.csv.gz')).toString('utf8'));
    population = parsePopulationCsv(file('quadrant-population.csv').toString('utf8'));
    const geojson = JSON.parse(file('cuadrantes.geojson').toString('utf8')) as { features: { properties: { cuadrante: string } }[] };
    ids = geojson.features.map((f) => f.properties.cuadrante);
    const start = performance.now();
    result = computeThreat(records, population, ids);
    elapsed = performance.now() - start;
  });

  it('assesses all 847 quadrants, in well under a second', () => {
    expect(ids).toHaveLength(847);
    expect(result.size).toBe(847);
    expect(elapsed).toBeLessThan(1000);
  });

  it('uses all five levels, split 40 / 30 / 15 / 10 / 5 % among quadrants with reports', () => {
    const assessed = [...result.values()].filter((a) => a.hasData);
    const n = assessed.length;
    const counts = levelCounts(assessed);
    const target: Record<ThreatLevel, number> = { 1: 0.4, 2: 0.3, 3: 0.15, 4: 0.1, 5: 0.05 };
    for (const level of [1, 2, 3, 4, 5] as const) expect(Math.abs(counts[level] - target[level] * n)).toBeLessThanOrEqual(1);
    expect(n).toBe(835);
    expect(counts).toEqual({ 1: 334, 2: 250, 3: 126, 4: 83, 5: 42 });
  });

  it('gives the 12 quadrants missing from the statistics level 1 with a caveat', () => {
    const missing = [...result.values()].filter((a) => !a.hasData);
    expect(missing).toHaveLength(12);
    for (const a of missing) {
      expect(a.level).toBe(1);
      expect(a.explanation.es).toContain('no aparece en las estadísticas oficiales');
    }
  });

  it('orders levels by the weighted rate, and explains every level from the Oct 2014 – Sep 2015 window', () => {
    const assessed = [...result.values()].filter((a) => a.hasData).sort((a, b) => a.weightedPer1000 - b.weightedPer1000);
    for (let i = 1; i < assessed.length; i++) expect(assessed[i]?.level).toBeGreaterThanOrEqual(assessed[i - 1]?.level ?? 1);
    for (const a of assessed) {
      expect(a.window).toEqual({ from: '2014-10', to: '2015-09' });
      expect(a.explanation.es).toMatch(/^Impulsado por .+ en los últimos 12 meses de datos \(oct 2014 – sep 2015\)/);
      expect(a.explanation.en).toMatch(/^Driven by .+ in the last 12 months of data \(Oct 2014 – Sep 2015\)/);
      expect(a.drivers.length).toBeGreaterThan(0);
      expect(a.drivers.every((d) => !/[A-Z]{4}/.test(d.label.es))).toBe(true);
    }
  });

  it('counts the last 12 months from the raw records', () => {
    const expected = records.filter((r) => r.quadrant === 'C-1.1.1' && r.month >= '2014-10').reduce((s, r) => s + r.count, 0);
    expect(result.get('C-1.1.1')?.reports12m).toBe(expected);
  });

  it('keeps a 10-resident quadrant with a few crimes below level 5, and puts a populous hot spot at 5', () => {
    const all = [...records, ...tinyRecords('TINY'), ...hotRecords('HOT')];
    const withExtra = new Map([...population, ['TINY', 10], ['HOT', 6000]]);
    const result = computeThreat(all, withExtra, [...ids, 'TINY', 'HOT']);
    expect(result.get('TINY')?.level).toBe(1);
    expect(result.get('HOT')?.level).toBe(5);
    // docs/THREAT.md: the same counts over 10 residents, without the floor, would be level 5.
    const unfloored = computeThreat(all, withExtra, [...ids, 'TINY', 'HOT'], { populationFloorFraction: 0 });
    expect(unfloored.get('TINY')?.level).toBe(5);
  });

  it('computes the floor documented in docs/THREAT.md: 25 % of the median population, 2,123 residents', () => {
    expect(result.get('P-3.1.15')?.explanation.es).toContain('Tiene pocos residentes (10); para no inflar la tasa se calcula como si tuviera 2,123.');
  });
});

function levelCounts(assessments: Iterable<ThreatAssessment>): Record<ThreatLevel, number> {
  const counts: Record<ThreatLevel, number> = { 1: 0, 2: 0, 3: 0, 4: 0, 5: 0 };
  for (const a of assessments) counts[a.level]++;
  return counts;
}
