// Threat level per quadrant from the official crime statistics: per resident, weighted by severity
// and by recency, ranked against the rest of the city. docs/THREAT.md is the citizen-facing account
// of this formula; keep both in step.
import { DomainError, type Localized } from '../../kernel/index.js';
import type { CrimeRecord } from './csv.js';
import { crimeKey, crimeType, type CrimeType } from './crime-types.js';

export { CRIME_TYPES, DEFAULT_SEVERITY, crimeType } from './crime-types.js';

export type ThreatLevel = 1 | 2 | 3 | 4 | 5;

export interface ThreatDriver { crime: string; label: Localized; count12m: number; share: number }

export interface ThreatAssessment {
  quadrantId: string;
  level: ThreatLevel;
  label: Localized;
  /** Percentile rank among the quadrants with reports (0–100, mid-rank for ties); 0 without reports. */
  score: number;
  /** Severity- and recency-weighted reports per year per 1,000 residents (population floored). */
  weightedPer1000: number;
  /** Residents as given (0 when unknown); the rate uses max(population, floor). */
  population: number;
  reports12m: number;
  /** Top 3 crime types by weighted contribution. */
  drivers: ThreatDriver[];
  explanation: Localized;
  /** The last 12 months of data, YYYY-MM; both empty when there are no records at all. */
  window: { from: string; to: string };
  /** False when the quadrant has no reports in the data (level 1 then says nothing about safety). */
  hasData: boolean;
}

export interface ThreatOptions {
  /** Months after which a report counts half. */
  halfLifeMonths?: number;
  /** Population floor as a fraction of the median quadrant population. */
  populationFloorFraction?: number;
  /** Score (percentile) at which levels 2, 3, 4 and 5 start. */
  levelCutoffs?: readonly [number, number, number, number];
  /** Newest month to use (YYYY-MM); default the newest month in the records. */
  referenceMonth?: string;
}

export const THREAT_DEFAULTS = {
  halfLifeMonths: 12,
  populationFloorFraction: 0.25,
  levelCutoffs: [40, 70, 85, 95],
} as const satisfies ThreatOptions;

/** Used as every quadrant's denominator when no population is known at all: rates become per quadrant. */
const POPULATION_WHEN_UNKNOWN = 1000;

export const THREAT_LABELS: Record<ThreatLevel, Localized> = {
  1: { es: 'muy bajo', en: 'very low' },
  2: { es: 'bajo', en: 'low' },
  3: { es: 'medio', en: 'medium' },
  4: { es: 'alto', en: 'high' },
  5: { es: 'muy alto', en: 'very high' },
};

interface CrimeTally { crime: string; type: CrimeType; weighted: number; count12m: number; total: number }

interface Span { first: number; ref: number; norm: number; halfLife: number }

/**
 * One assessment per id in `quadrantIds`. Records for other quadrants (e.g. "(EN BLANCO)") still set
 * the reference month but are otherwise ignored; records with an unreadable month or a count that is
 * not positive are skipped.
 */
export function computeThreat(
  records: readonly CrimeRecord[],
  population: ReadonlyMap<string, number>,
  quadrantIds: readonly string[],
  options: ThreatOptions = {},
): Map<string, ThreatAssessment> {
  const o = resolve(options);
  const ids = [...new Set(quadrantIds)];
  const monthOf = memo(monthIndex);
  const span = dataSpan(records, monthOf, o.referenceMonth, o.halfLifeMonths);
  const tallies = span ? tally(records, monthOf, new Set(ids), span) : new Map<string, Map<string, CrimeTally>>();
  const floor = populationFloor(population, ids, o.populationFloorFraction);
  const rates = new Map<string, number>();
  for (const [id, byCrime] of tallies) {
    const weighted = sum([...byCrime.values()].map((c) => c.weighted));
    rates.set(id, (1000 * weighted) / Math.max(population.get(id) ?? 0, floor));
  }
  const ranks = percentileRanks(rates);
  const result = new Map<string, ThreatAssessment>();
  for (const id of ids) {
    const byCrime = tallies.get(id);
    const rank = ranks.get(id);
    const context: Context = { id, span, floor, population: population.get(id), knownPopulation: population.has(id) };
    result.set(id, byCrime && rank
      ? assess(context, byCrime, rates.get(id) ?? 0, rank, o.levelCutoffs)
      : unassessed(context));
  }
  return result;
}

interface Resolved { halfLifeMonths: number; populationFloorFraction: number; levelCutoffs: readonly number[]; referenceMonth: number | null }

/** Defaults filled in (an explicit `undefined` too) and nonsense refused rather than silently mapped. */
function resolve(options: ThreatOptions): Resolved {
  const halfLifeMonths = options.halfLifeMonths ?? THREAT_DEFAULTS.halfLifeMonths;
  const populationFloorFraction = options.populationFloorFraction ?? THREAT_DEFAULTS.populationFloorFraction;
  const levelCutoffs = options.levelCutoffs ?? THREAT_DEFAULTS.levelCutoffs;
  const referenceMonth = options.referenceMonth === undefined ? null : monthIndex(options.referenceMonth);
  const invalid = (es: string, en: string): DomainError => new DomainError('VALIDATION_FAILED', { detail: { es, en } });
  if (!(halfLifeMonths > 0 && Number.isFinite(halfLifeMonths))) {
    throw invalid('halfLifeMonths debe ser un número positivo', 'halfLifeMonths must be a positive number');
  }
  if (!(populationFloorFraction >= 0 && Number.isFinite(populationFloorFraction))) {
    throw invalid('populationFloorFraction debe ser un número no negativo', 'populationFloorFraction must be a non-negative number');
  }
  if (levelCutoffs.length !== 4 || levelCutoffs.some((c, i) => !(c >= 0 && c <= 100) || c < (levelCutoffs[i - 1] ?? 0))) {
    throw invalid('levelCutoffs deben ser 4 percentiles crecientes entre 0 y 100', 'levelCutoffs must be 4 ascending percentiles between 0 and 100');
  }
  if (options.referenceMonth !== undefined && referenceMonth === null) {
    throw invalid(`referenceMonth «${options.referenceMonth}» no es AAAA-MM`, `referenceMonth "${options.referenceMonth}" is not YYYY-MM`);
  }
  return { halfLifeMonths, populationFloorFraction, levelCutoffs, referenceMonth };
}

interface Context { id: string; span: Span | null; floor: number; population: number | undefined; knownPopulation: boolean }

function assess(
  c: Context, byCrime: Map<string, CrimeTally>, rate: number, rank: Rank, cutoffs: readonly number[],
): ThreatAssessment {
  const span = c.span as Span;
  const crimes = [...byCrime.values()].sort((a, b) => b.weighted - a.weighted || (a.crime < b.crime ? -1 : 1));
  const total = sum(crimes.map((x) => x.weighted));
  const drivers = crimes.slice(0, 3).map((x): ThreatDriver => ({
    crime: x.crime, label: x.type.label, count12m: x.count12m, share: round(x.weighted / total, 3),
  }));
  const level = levelOf(rank.score, cutoffs);
  const population = c.population ?? 0;
  return {
    quadrantId: c.id,
    level,
    label: THREAT_LABELS[level],
    score: round(rank.score, 1),
    weightedPer1000: round(rate, 2),
    population,
    reports12m: sum(crimes.map((x) => x.count12m)),
    drivers,
    explanation: explain(crimes, span, rank, population < c.floor ? { population, floor: c.floor } : null),
    window: windowOf(span),
    hasData: true,
  };
}

function unassessed(c: Context): ThreatAssessment {
  return {
    quadrantId: c.id,
    level: 1,
    label: THREAT_LABELS[1],
    score: 0,
    weightedPer1000: 0,
    population: c.population ?? 0,
    reports12m: 0,
    drivers: [],
    explanation: explainNoData(c.span, c.knownPopulation),
    window: c.span ? windowOf(c.span) : { from: '', to: '' },
    hasData: false,
  };
}

// ——— the formula ———

/** Month as a count of months since year 0, so ages are plain subtraction. */
function monthIndex(month: string): number | null {
  const m = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(month);
  return m ? Number(m[1]) * 12 + Number(m[2]) - 1 : null;
}

/** Tens of thousands of records share a few dozen months and crime names: parse each once per run. */
function memo<T>(f: (s: string) => T): (s: string) => T {
  const seen = new Map<string, T>();
  return (s) => {
    if (seen.has(s)) return seen.get(s) as T;
    const v = f(s);
    seen.set(s, v);
    return v;
  };
}

function monthString(index: number): string {
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
}

const decay = (age: number, halfLife: number): number => 0.5 ** (age / halfLife);

/**
 * Reference month (newest), first month, and the normaliser that turns a decayed sum into "per year":
 * a quadrant with the same k reports every month scores 12·k, whatever the half-life or data span.
 */
function dataSpan(
  records: readonly CrimeRecord[], monthOf: (m: string) => number | null, pinned: number | null, halfLife: number,
): Span | null {
  let ref = pinned ?? -Infinity;
  let first = Infinity;
  for (const r of records) {
    const m = monthOf(r.month);
    if (m === null || !(r.count > 0) || (pinned !== null && m > pinned)) continue;
    if (pinned === null && m > ref) ref = m;
    if (m < first) first = m;
  }
  if (!Number.isFinite(first)) return pinned === null ? null : { first: pinned, ref: pinned, norm: 1, halfLife };
  let norm = 0;
  for (let age = 0; age <= ref - first; age++) norm += decay(age, halfLife);
  return { first, ref, norm, halfLife };
}

function tally(
  records: readonly CrimeRecord[], monthOf: (m: string) => number | null, ids: ReadonlySet<string>, span: Span,
): Map<string, Map<string, CrimeTally>> {
  const out = new Map<string, Map<string, CrimeTally>>();
  const keyOf = memo(crimeKey);
  const typeOf = memo(crimeType);
  for (const r of records) {
    const m = monthOf(r.month);
    if (m === null || m > span.ref || !(r.count > 0) || !Number.isFinite(r.count) || !ids.has(r.quadrant)) continue;
    const age = span.ref - m;
    let byCrime = out.get(r.quadrant);
    if (!byCrime) out.set(r.quadrant, (byCrime = new Map()));
    const key = keyOf(r.crime);
    let t = byCrime.get(key);
    if (!t) {
      const type = typeOf(r.crime);
      byCrime.set(key, (t = { crime: r.crime.trim(), type, weighted: 0, count12m: 0, total: 0 }));
    }
    t.weighted += (12 * t.type.severity * r.count * decay(age, span.halfLife)) / span.norm;
    t.total += r.count;
    if (age < 12) t.count12m += r.count;
  }
  return out;
}

/** A fraction of the median population of the quadrants being assessed (those with residents). */
function populationFloor(population: ReadonlyMap<string, number>, ids: readonly string[], fraction: number): number {
  const values = ids.map((id) => population.get(id) ?? 0).filter((p) => p > 0).sort((a, b) => a - b);
  if (values.length === 0) return POPULATION_WHEN_UNKNOWN;
  const mid = values.length / 2;
  const median = values.length % 2 ? (values[Math.floor(mid)] ?? 0) : ((values[mid - 1] ?? 0) + (values[mid] ?? 0)) / 2;
  return Math.max(1, Math.round(fraction * median));
}

interface Rank { score: number; below: number; n: number }

/** Mid-rank percentile: 100·(quadrants strictly lower + half the ties) / all quadrants with reports. */
function percentileRanks(rates: ReadonlyMap<string, number>): Map<string, Rank> {
  const sorted = [...rates.entries()].sort((a, b) => a[1] - b[1]);
  const n = sorted.length;
  const out = new Map<string, Rank>();
  for (let i = 0; i < n; ) {
    let j = i;
    while (j < n && sorted[j]?.[1] === sorted[i]?.[1]) j++;
    const score = (100 * (i + (j - i) / 2)) / n;
    for (let k = i; k < j; k++) out.set(sorted[k]?.[0] ?? '', { score, below: i, n });
    i = j;
  }
  return out;
}

function levelOf(score: number, cutoffs: readonly number[]): ThreatLevel {
  return (1 + cutoffs.filter((c) => score >= c).length) as ThreatLevel;
}

// ——— the explanation ———

const MONTHS_ES = ['ene', 'feb', 'mar', 'abr', 'may', 'jun', 'jul', 'ago', 'sep', 'oct', 'nov', 'dic'];
const MONTHS_EN = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function monthName(index: number): Localized {
  const year = Math.floor(index / 12);
  return { es: `${MONTHS_ES[index % 12]} ${year}`, en: `${MONTHS_EN[index % 12]} ${year}` };
}

function range(from: number, to: number): Localized {
  const a = monthName(from);
  const b = monthName(to);
  return { es: `${a.es} – ${b.es}`, en: `${a.en} – ${b.en}` };
}

function windowOf(span: Span): { from: string; to: string } {
  return { from: monthString(Math.max(span.ref - 11, span.first)), to: monthString(span.ref) };
}

/** Thousands with commas, as written in Mexico and in English. */
const int = (n: number): string => String(Math.round(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');

const reports = (n: number): Localized => n === 0
  ? { es: 'ninguna denuncia', en: 'no reports' }
  : { es: `${int(n)} ${n === 1 ? 'denuncia' : 'denuncias'}`, en: `${int(n)} ${n === 1 ? 'report' : 'reports'}` };

function explain(
  crimes: CrimeTally[], span: Span, rank: Rank, floored: { population: number; floor: number } | null,
): Localized {
  const parts = [mainDriver(crimes[0] as CrimeTally, span), followers(crimes.slice(1, 3)), comparison(rank)];
  if (floored) parts.push(floorNote(floored.population, floored.floor));
  return joinSentences(parts.filter((p): p is Localized => p !== null));
}

function mainDriver(top: CrimeTally, span: Span): Localized {
  const w = range(Math.max(span.ref - 11, span.first), span.ref);
  const n = reports(top.count12m);
  const base: Localized = {
    es: `Impulsado por ${top.type.label.es}: ${n.es} en los últimos 12 meses de datos (${w.es})`,
    en: `Driven by ${top.type.label.en}: ${n.en} in the last 12 months of data (${w.en})`,
  };
  if (top.count12m > 0) return { es: `${base.es}.`, en: `${base.en}.` };
  const since = monthName(span.first);
  return {
    es: `${base.es}; ${int(top.total)} antes, desde ${since.es}.`,
    en: `${base.en}; ${int(top.total)} earlier, since ${since.en}.`,
  };
}

function followers(next: CrimeTally[]): Localized | null {
  if (next.length === 0) return null;
  const item = (c: CrimeTally, lang: 'es' | 'en'): string => {
    if (c.count12m > 0) return `${c.type.label[lang]} (${int(c.count12m)})`;
    return lang === 'es'
      ? `${c.type.label.es} (ninguna en 12 meses; ${int(c.total)} antes)`
      : `${c.type.label.en} (none in 12 months; ${int(c.total)} earlier)`;
  };
  const list = (lang: 'es' | 'en', and: string): string => next.map((c) => item(c, lang)).join(` ${and} `);
  return { es: `Le siguen ${list('es', 'y')}.`, en: `Followed by ${list('en', 'and')}.` };
}

function comparison(rank: Rank): Localized | null {
  const pct = Math.floor((100 * rank.below) / rank.n);
  if (rank.n < 2) return null;
  return {
    es: `Su índice por habitante es mayor que el del ${pct} % de los cuadrantes con denuncias.`,
    en: `Its per-resident index is higher than that of ${pct}% of the quadrants with reports.`,
  };
}

function floorNote(population: number, floor: number): Localized {
  return {
    es: `Tiene pocos residentes (${int(population)}); para no inflar la tasa se calcula como si tuviera ${int(floor)}.`,
    en: `It has few residents (${int(population)}); so as not to inflate the rate it is computed as if it had ${int(floor)}.`,
  };
}

function explainNoData(span: Span | null, knownPopulation: boolean): Localized {
  if (!span) {
    return {
      es: 'No hay estadísticas de delitos cargadas; este cuadrante no se puede evaluar.',
      en: 'No crime statistics are loaded; this quadrant cannot be assessed.',
    };
  }
  const r = range(span.first, span.ref);
  const none: Localized = {
    es: `Sin denuncias registradas para este cuadrante en los datos (${r.es}).`,
    en: `No reports recorded for this quadrant in the data (${r.en}).`,
  };
  if (knownPopulation) return none;
  return joinSentences([none, {
    es: 'El cuadrante no aparece en las estadísticas oficiales (sus límites pueden ser posteriores a los datos), así que este nivel no significa que sea seguro.',
    en: 'The quadrant does not appear in the official statistics (its boundaries may postdate the data), so this level does not mean it is safe.',
  }]);
}

function joinSentences(parts: Localized[]): Localized {
  return { es: parts.map((p) => p.es).join(' '), en: parts.map((p) => p.en).join(' ') };
}

const sum = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0);
const round = (x: number, digits: number): number => Math.round(x * 10 ** digits) / 10 ** digits;
