// A phone number's reputation from citizens' reports, computed "as of" a moment, built to resist
// poisoning: one actor counts once however many reports it files, one network counts little,
// analysts confirm or clear, protected numbers (banks, government, emergency lines) are never
// shown as extortion. docs/REPUTATION.md is the model in prose; keep both in step.
import { DomainError, type Lang, type Localized } from '../../kernel/index.js';
import { SCAM_TYPE_IDS, scamTypePhrase, type ScamType } from './scam-types.js';

export type ReputationLevel = 'none' | 'suspicious' | 'probable' | 'confirmed' | 'spoofed';
/** Why the level is what it is: the reports, an analyst's decision, or the protected list. */
export type ReputationBasis = 'reports' | 'analyst_confirmed' | 'analyst_cleared' | 'protected';
export type ReportChannel = 'call' | 'sms' | 'whatsapp' | 'other';

/** Salted hashes made by the service; opaque here. */
export interface ReporterKeys { account?: string; device?: string; network?: string }

export interface ReportFact {
  id: string;
  e164: string;
  /** Epoch ms. */
  at: number;
  type: ScamType;
  reporterKeys: ReporterKeys;
  paid: boolean;
  amountMxn: number | null;
  channel: ReportChannel;
}

/** The latest analyst decision on a number; `status: null` is a revoked decision. */
export interface AnalystDecision { e164: string; status: 'confirmed' | 'rejected' | null; at: number; note?: string }

export interface Reputation {
  e164: string;
  level: ReputationLevel;
  /** 0–100, orders numbers within a level: none 0, suspicious 10–48, probable 50–98, confirmed 100, spoofed 0. */
  score: number;
  /** Reports that count (up to `now`; after an analyst's rejection, only the later ones). */
  reports: number;
  /** Independent reporters with a report in the window, at most `networkCap` per network. */
  independentReporters: number;
  /** Independent reporters weighted by the decay of their latest report, network-capped (2 decimals). */
  effectiveReporters: number;
  lastReportAt: number | null;
  topTypes: { type: ScamType; count: number }[];
  underReview: boolean;
  basis: ReputationBasis;
  explanation: Localized;
}

export interface ReputationSettings {
  /** A report's weight halves every this many days. */
  halfLifeDays: number;
  /** A reporter is "independent in the window" with a report at most this many days old. */
  windowDays: number;
  /** Effective reporters for `suspicious` (0.25: one report up to two half-lives old). */
  suspiciousMinEffective: number;
  /** Independent reporters in the window for `probable`… */
  probableMinReporters: number;
  /** …and effective reporters for `probable` (old reporters alone are not enough). */
  probableMinEffective: number;
  /** Most reporters (and effective weight) one network can add: a call centre on one network counts this much. */
  networkCap: number;
  /** Independent reporters after an analyst's rejection that make the reports count again. */
  reopenMinReporters: number;
  /** How many scam types `topTypes` lists. */
  topTypes: number;
}

export const DEFAULT_REPUTATION_SETTINGS: Readonly<ReputationSettings> = Object.freeze({
  halfLifeDays: 30,
  windowDays: 90,
  suspiciousMinEffective: 0.25,
  probableMinReporters: 3,
  probableMinEffective: 1.5,
  networkCap: 1,
  reopenMinReporters: 10,
  topTypes: 3,
});

export interface ReputationContext {
  now: number;
  decision?: AnalystDecision | null;
  /** Set when the number is on the protected list (emergency, government, bank, registered business). */
  protectedLabel?: string | null;
  openDispute?: boolean;
  settings?: Partial<ReputationSettings>;
}

export interface RecomputeOptions {
  now: number;
  /** The current decision per number. */
  decisions?: ReadonlyMap<string, AnalystDecision>;
  /** e164 → label ("BBVA México", "Línea de emergencia 911"). */
  protectedNumbers?: ReadonlyMap<string, string>;
  openDisputes?: ReadonlySet<string>;
  settings?: Partial<ReputationSettings>;
}

const DAY_MS = 86_400_000;

export function computeReputation(e164: string, reports: readonly ReportFact[], ctx: ReputationContext): Reputation {
  return assess(e164, reports, ctx, resolveSettings(ctx.settings));
}

/** Every number with a report, a decision or an open dispute. One pass to group, one tally per number. */
export function recomputeAll(reports: Iterable<ReportFact>, opts: RecomputeOptions): Map<string, Reputation> {
  const settings = resolveSettings(opts.settings);
  const groups = new Map<string, ReportFact[]>();
  for (const r of reports) {
    const group = groups.get(r.e164);
    if (group) group.push(r);
    else groups.set(r.e164, [r]);
  }
  for (const e164 of opts.decisions?.keys() ?? []) if (!groups.has(e164)) groups.set(e164, []);
  for (const e164 of opts.openDisputes ?? []) if (!groups.has(e164)) groups.set(e164, []);
  const out = new Map<string, Reputation>();
  for (const [e164, group] of groups) {
    out.set(e164, assess(e164, group, {
      now: opts.now,
      decision: opts.decisions?.get(e164) ?? null,
      protectedLabel: opts.protectedNumbers?.get(e164) ?? null,
      openDispute: opts.openDisputes?.has(e164) ?? false,
    }, settings));
  }
  return out;
}

export function resolveSettings(partial: Partial<ReputationSettings> = {}): ReputationSettings {
  const s = { ...DEFAULT_REPUTATION_SETTINGS, ...partial };
  const problems = Object.entries(s).filter(([, v]) => !(Number.isFinite(v) && v > 0)).map(([k]) => k);
  if (!Number.isInteger(s.networkCap) || !Number.isInteger(s.probableMinReporters)) problems.push('networkCap/probableMinReporters (integers)');
  if (problems.length > 0) {
    const list = problems.join(', ');
    throw new DomainError('VALIDATION_FAILED', { detail: { es: `ajustes de reputación inválidos: ${list}`, en: `invalid reputation settings: ${list}` } });
  }
  return s;
}

// ---------- the decision ----------

function assess(e164: string, reports: readonly ReportFact[], ctx: ReputationContext, s: ReputationSettings): Reputation {
  const decision = ctx.decision && ctx.decision.status !== null && ctx.decision.at <= ctx.now ? ctx.decision : null;
  const rejectedAt = decision?.status === 'rejected' ? decision.at : null;
  const t = tally(e164, reports, rejectedAt ?? -Infinity, ctx.now, s);
  const fromReports = levelOf(t, s);
  const label = ctx.protectedLabel ?? null;
  let level: ReputationLevel = fromReports;
  let basis: ReputationBasis = 'reports';
  if (label !== null) [level, basis] = [t.reports > 0 ? 'spoofed' : 'none', 'protected'];
  else if (decision?.status === 'confirmed') [level, basis] = ['confirmed', 'analyst_confirmed'];
  else if (rejectedAt !== null && !reopened(t, fromReports, s)) [level, basis] = ['none', 'analyst_cleared'];
  const underReview = ctx.openDispute === true;
  return {
    e164,
    level,
    score: scoreOf(level, t.effective),
    reports: t.reports,
    independentReporters: t.independent,
    effectiveReporters: Math.round(t.effective * 100) / 100,
    lastReportAt: t.lastAt,
    topTypes: t.types.slice(0, s.topTypes),
    underReview,
    basis,
    explanation: explain({ t, s, level, basis, decision, label, underReview, now: ctx.now }),
  };
}

/**
 * Probable needs enough independent reporters in the window, enough decayed weight, and at least
 * two distinct sources whatever the settings: a single actor (one identity, or one network) never
 * gets past suspicious.
 */
function levelOf(t: Tally, s: ReputationSettings): 'none' | 'suspicious' | 'probable' {
  if (t.independent >= s.probableMinReporters && t.windowSources >= 2 && t.effective >= s.probableMinEffective) return 'probable';
  return t.effective >= s.suspiciousMinEffective ? 'suspicious' : 'none';
}

/** After a rejection, only many new independent reporters bring the reports back (a smear needs many networks). */
const reopened = (t: Tally, fromReports: ReputationLevel, s: ReputationSettings): boolean =>
  t.independent >= s.reopenMinReporters && fromReports !== 'none';

function scoreOf(level: ReputationLevel, effective: number): number {
  const saturation = effective / (effective + 3);
  switch (level) {
    case 'confirmed': return 100;
    case 'probable': return 50 + Math.floor(49 * saturation);
    case 'suspicious': return 10 + Math.floor(39 * saturation);
    case 'none':
    case 'spoofed': return 0;
  }
}

// ---------- independent reporters ----------

/** Disjoint sets over 0…n-1 (path halving); shared with campaign detection. */
export class DisjointSets {
  private parent: Int32Array;
  constructor(n: number) {
    this.parent = new Int32Array(n);
    this.reset(n);
  }
  /** Back to n singletons, reusing the buffer when it is big enough. */
  reset(n: number): void {
    if (this.parent.length < n) this.parent = new Int32Array(Math.max(n, 2 * this.parent.length));
    for (let i = 0; i < n; i++) this.parent[i] = i;
  }
  find(i: number): number {
    const p = this.parent;
    while (p[i] !== i) {
      p[i] = p[p[i]!]!;
      i = p[i]!;
    }
    return i;
  }
  union(a: number, b: number): void {
    const ra = this.find(a), rb = this.find(b);
    if (ra !== rb) this.parent[Math.max(ra, rb)] = Math.min(ra, rb);
  }
}

interface Tally {
  reports: number;
  windowReports: number;
  /** Oldest report in the window (epoch ms), or null. */
  windowFrom: number | null;
  lastAt: number | null;
  independent: number;
  windowSources: number;
  effective: number;
  /** Every reported type, commonest first. */
  types: { type: ScamType; count: number }[];
}

/** A Map, not an object: a keyed load on an object with a varying key was a sixth of the tally. */
const TYPE_INDEX: ReadonlyMap<string, number> = new Map(SCAM_TYPE_IDS.map((t, i) => [t, i]));

/**
 * Working memory for tally(), reused: recomputeAll runs one tally per number (a hundred thousand
 * of them), and fresh arrays and maps for each kept the garbage collector busier than the tallying.
 * Safe to share because tally() is synchronous and never re-entered.
 */
class Scratch {
  readonly sets = new DisjointSets(64);
  // The counted reports as columns, read from the report objects once ('' for a missing key).
  at = new Float64Array(64);
  type = new Uint8Array(64);
  readonly account: string[] = [];
  readonly device: string[] = [];
  readonly net: string[] = [];
  // Per reporter (indexed by its root): latest report, and its latest network with when.
  latest = new Float64Array(64);
  netAt = new Float64Array(64);
  readonly rootNet: string[] = [];
  // Per network (indexed by its slot in networkSlot).
  netWeight = new Float64Array(64);
  netCount = new Int32Array(64);
  readonly types = new Int32Array(SCAM_TYPE_IDS.length);
  readonly byAccount = new Map<string, number>();
  readonly byDevice = new Map<string, number>();
  readonly keylessByNetwork = new Map<string, number>();
  readonly networkSlot = new Map<string, number>();

  /** Copies the reports that count into the columns; returns how many. */
  load(e164: string, reports: readonly ReportFact[], after: number, now: number): number {
    this.reserve(reports.length);
    let n = 0;
    for (const r of reports) {
      if (r.e164 !== e164 || r.at <= after || r.at > now) continue;
      const keys = r.reporterKeys;
      this.at[n] = r.at;
      this.type[n] = TYPE_INDEX.get(r.type) ?? SCAM_TYPE_IDS.length - 1;
      this.account[n] = keys.account ?? '';
      this.device[n] = keys.device ?? '';
      this.net[n] = keys.network ?? '';
      n++;
    }
    this.reset(n);
    return n;
  }

  private reserve(size: number): void {
    if (this.at.length < size) {
      const grown = Math.max(size, 2 * this.at.length);
      [this.at, this.latest, this.netAt, this.netWeight] = [new Float64Array(grown), new Float64Array(grown), new Float64Array(grown), new Float64Array(grown)];
      [this.type, this.netCount] = [new Uint8Array(grown), new Int32Array(grown)];
    }
    // Pushed, never written past the end: that would turn an array into a slow dictionary.
    for (const column of [this.account, this.device, this.net, this.rootNet]) while (column.length < size) column.push('');
  }

  private reset(n: number): void {
    this.sets.reset(n);
    this.latest.fill(-Infinity, 0, n);
    this.netAt.fill(-Infinity, 0, n);
    this.rootNet.fill('', 0, n);
    this.types.fill(0);
    // clear() allocates a fresh table, so only maps that were used.
    for (const map of [this.byAccount, this.byDevice, this.keylessByNetwork, this.networkSlot]) if (map.size > 0) map.clear();
  }
}

const scratch = new Scratch();

/**
 * Reports that share an account or a device are one reporter (union-find, transitively). Reports
 * with neither are one reporter per network, or one "unknown" reporter when they carry no key at
 * all. A reporter weighs as much as the decay of their latest report. Networks do not merge
 * reporters (thousands of real victims share a carrier's NAT): they cap, each network adding at
 * most `networkCap` reporters and `networkCap` effective weight.
 */
function tally(e164: string, reports: readonly ReportFact[], after: number, now: number, s: ReputationSettings): Tally {
  const n = scratch.load(e164, reports, after, now);
  mergeReporters(n);
  const { sets, at, type, net, latest, netAt, rootNet, types } = scratch;
  const windowStart = now - s.windowDays * DAY_MS;
  let windowReports = 0, windowFrom = Infinity, lastAt = -Infinity;
  for (let i = 0; i < n; i++) {
    const t = at[i]!;
    const root = sets.find(i);
    if (t > latest[root]!) latest[root] = t;
    if (net[i] !== '' && t >= netAt[root]!) {
      rootNet[root] = net[i]!;
      netAt[root] = t;
    }
    types[type[i]!]!++;
    if (t >= windowStart) {
      windowReports++;
      if (t < windowFrom) windowFrom = t;
    }
    if (t > lastAt) lastAt = t;
  }
  return {
    reports: n, windowReports, windowFrom: windowReports > 0 ? windowFrom : null, lastAt: n > 0 ? lastAt : null,
    ...weighSources(n, now, windowStart, s), types: sortedTypes(types),
  };
}

function mergeReporters(n: number): void {
  const { sets, account, device, net, byAccount, byDevice, keylessByNetwork } = scratch;
  let keyless = -1;
  for (let i = 0; i < n; i++) {
    if (account[i] !== '') link(sets, byAccount, account[i]!, i);
    if (device[i] !== '') link(sets, byDevice, device[i]!, i);
    if (account[i] !== '' || device[i] !== '') continue;
    if (net[i] !== '') link(sets, keylessByNetwork, net[i]!, i);
    else if (keyless < 0) keyless = i;
    else sets.union(keyless, i);
  }
}

/** Joins report i to the first report seen with the same key. */
function link(sets: DisjointSets, seen: Map<string, number>, key: string, i: number): void {
  const first = seen.get(key);
  if (first === undefined) seen.set(key, i);
  else sets.union(first, i);
}

/** Each reporter is a source of its own, or joins its latest network's; each network is capped. */
function weighSources(n: number, now: number, windowStart: number, s: ReputationSettings) {
  const { sets, latest, rootNet, networkSlot, netWeight, netCount } = scratch;
  const halfLifeMs = s.halfLifeDays * DAY_MS;
  let independent = 0, windowSources = 0, effective = 0;
  for (let root = 0; root < n; root++) {
    if (sets.find(root) !== root) continue;
    const inWindow = latest[root]! >= windowStart ? 1 : 0;
    const weight = 2 ** (-(now - latest[root]!) / halfLifeMs);
    const net = rootNet[root]!;
    if (net === '') {
      independent += inWindow;
      windowSources += inWindow;
      effective += weight;
      continue;
    }
    let slot = networkSlot.get(net);
    if (slot === undefined) {
      networkSlot.set(net, (slot = networkSlot.size));
      netWeight[slot] = 0;
      netCount[slot] = 0;
    }
    netWeight[slot] = netWeight[slot]! + weight;
    netCount[slot] = netCount[slot]! + inWindow;
  }
  for (let slot = 0; slot < networkSlot.size; slot++) {
    independent += Math.min(s.networkCap, netCount[slot]!);
    windowSources += netCount[slot]! > 0 ? 1 : 0;
    effective += Math.min(s.networkCap, netWeight[slot]!);
  }
  return { independent, windowSources, effective };
}

function sortedTypes(counts: Int32Array): { type: ScamType; count: number }[] {
  const out: { type: ScamType; count: number }[] = [];
  for (let i = 0; i < counts.length; i++) if (counts[i]! > 0) out.push({ type: SCAM_TYPE_IDS[i]!, count: counts[i]! });
  return out.length > 1 ? out.sort((a, b) => b.count - a.count) : out;
}

// ---------- the explanation ----------

interface Explained {
  t: Tally;
  s: ReputationSettings;
  level: ReputationLevel;
  basis: ReputationBasis;
  decision: AnalystDecision | null;
  label: string | null;
  underReview: boolean;
  now: number;
}

const both = (f: (lang: Lang) => string): Localized => ({ es: f('es'), en: f('en') });

function explain(x: Explained): Localized {
  return both((lang) => {
    const text = [headline(x, lang), tail(x, lang)].filter((part) => part !== '').join(' ');
    return x.underReview ? `${text} ${UNDER_REVIEW[lang]}` : text;
  });
}

const UNDER_REVIEW: Localized = {
  es: 'En revisión: el titular del número presentó una disputa.',
  en: "Under review: the number's owner has filed a dispute.",
};

function headline(x: Explained, lang: Lang): string {
  const es = lang === 'es';
  const facts = factsSentence(x.t, x.s, x.now, lang);
  switch (x.basis) {
    case 'protected':
      return x.level === 'spoofed'
        ? (es ? `Posible identificador falsificado: este número pertenece a ${x.label}; los extorsionadores lo suplantan. ${facts}.`
          : `Possibly spoofed caller ID: this number belongs to ${x.label}; extortionists impersonate it. ${facts}.`)
        : (es ? `Este número pertenece a ${x.label}. Aun así, el identificador de llamadas se puede falsificar: si te piden dinero o datos, cuelga y llama tú al número oficial.`
          : `This number belongs to ${x.label}. Caller ID can still be spoofed: if you are asked for money or data, hang up and call the official number yourself.`);
    case 'analyst_confirmed':
      return `${es ? 'Extorsión confirmada por un analista el' : 'Extortion confirmed by an analyst on'} ${decided(x, lang)}.${x.t.reports > 0 ? ` ${facts}.` : ''}`;
    case 'analyst_cleared':
      return `${es ? 'Aclarado por un analista el' : 'Cleared by an analyst on'} ${decided(x, lang)}: ${es ? 'no se considera extorsión' : 'not considered extortion'}.`
        + (x.t.reports > 0 ? ` ${es ? 'Denuncias posteriores, en disputa' : 'Later reports, disputed'}: ${lowerFirst(facts)}.` : '');
    case 'reports': {
      const reopenedNote = x.decision?.status === 'rejected'
        ? (es ? `Un analista lo aclaró el ${decided(x, lang)}, pero desde entonces lo denunciaron ${x.t.independent} personas distintas. `
          : `An analyst cleared it on ${decided(x, lang)}, but ${x.t.independent} independent reporters have reported it since. `)
        : '';
      if (x.t.reports === 0) return `${facts}.`;
      return `${reopenedNote}${LEVEL_PREFIX[x.level][lang]}${lowerFirst(facts)}.`;
    }
  }
}

const LEVEL_PREFIX: Record<ReputationLevel, Localized> = {
  none: { es: 'Sin señal suficiente: ', en: 'Not enough to flag: ' },
  suspicious: { es: 'Sospechoso: ', en: 'Suspicious: ' },
  probable: { es: 'Probable extorsión: ', en: 'Probable extortion: ' },
  confirmed: { es: '', en: '' },
  spoofed: { es: '', en: '' },
};

/** Why a suspicious number is not higher when a single source filed everything. */
function tail(x: Explained, lang: Lang): string {
  if (x.level !== 'suspicious' || x.t.windowSources !== 1 || x.t.windowReports < 2) return '';
  return lang === 'es'
    ? 'Todas vienen de una sola persona o red, así que no pasa de sospechoso.'
    : 'They all come from a single reporter or network, so it stays at suspicious.';
}

/** "12 denuncias de 9 personas distintas en 30 días, sobre todo secuestro virtual" (no final period). */
function factsSentence(t: Tally, s: ReputationSettings, now: number, lang: Lang): string {
  const es = lang === 'es';
  if (t.reports === 0) return es ? 'Sin denuncias' : 'No reports';
  if (t.windowFrom === null) {
    const ago = Math.floor((now - t.lastAt!) / DAY_MS);
    const decayed = es
      ? `Sin denuncias en los últimos ${s.windowDays} días; ${count(t.reports, 'denuncia anterior', 'denuncias anteriores')}, la última hace ${count(ago, 'día', 'días')}`
      : `No reports in the last ${s.windowDays} days; ${count(t.reports, 'earlier report', 'earlier reports')}, the last ${count(ago, 'day', 'days')} ago`;
    return `${decayed}${typesPhrase(t, lang)}`;
  }
  const span = Math.max(1, Math.ceil((now - t.windowFrom) / DAY_MS));
  const older = t.reports - t.windowReports;
  const main = es
    ? `${count(t.windowReports, 'denuncia', 'denuncias')} de ${count(t.independent, 'persona', 'personas distintas')} en ${count(span, 'día', 'días')}`
    : `${count(t.windowReports, 'report', 'reports')} from ${count(t.independent, 'reporter', 'independent reporters')} in ${count(span, 'day', 'days')}`;
  const before = older === 0 ? '' : es ? ` (y ${count(older, 'anterior', 'anteriores')})` : ` (and ${older} earlier)`;
  return `${main}${before}${typesPhrase(t, lang)}`;
}

function typesPhrase(t: Tally, lang: Lang): string {
  const [first, second] = t.types;
  if (!first) return '';
  const p = (type: ScamType) => scamTypePhrase(type, lang);
  const es = lang === 'es';
  if (t.reports === 1) return es ? `, por ${p(first.type)}` : `, for ${p(first.type)}`;
  if (first.count === t.reports) return es ? `, todas por ${p(first.type)}` : `, all for ${p(first.type)}`;
  if (first.count * 2 >= t.reports || !second) return es ? `, sobre todo ${p(first.type)}` : `, mostly ${p(first.type)}`;
  return es ? `, sobre todo ${p(first.type)} y ${p(second.type)}` : `, mostly ${p(first.type)} and ${p(second.type)}`;
}

const count = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;
const lowerFirst = (s: string): string => s.charAt(0).toLowerCase() + s.slice(1);

const DATE_FORMATS: Record<Lang, Intl.DateTimeFormat> = {
  es: new Intl.DateTimeFormat('es-MX', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'America/Mexico_City' }),
  en: new Intl.DateTimeFormat('en-US', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'America/Mexico_City' }),
};

/** "5 de enero de 2026 (farmacia registrada; la denuncia era falsa)": the analyst's note is shown as written. */
function decided(x: Explained, lang: Lang): string {
  const date = DATE_FORMATS[lang].format(x.decision!.at);
  return x.decision?.note ? `${date} (${x.decision.note})` : date;
}
