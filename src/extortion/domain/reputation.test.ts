import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DomainError } from '../../kernel/index.js';
import {
  DEFAULT_REPUTATION_SETTINGS, computeReputation, recomputeAll,
  type AnalystDecision, type ReportFact, type ReporterKeys, type ReputationContext,
} from './reputation.js';
import { SCAM_TYPES, SCAM_TYPE_IDS, isScamType, type ScamType } from './scam-types.js';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 2, 1, 18);
const NUMBER = '+525512345678';
let seq = 0;

function report(daysAgo: number, keys: ReporterKeys, type: ScamType = 'virtual_kidnapping', e164 = NUMBER): ReportFact {
  return { id: `r${++seq}`, e164, at: NOW - daysAgo * DAY, type, reporterKeys: keys, paid: false, amountMxn: null, channel: 'call' };
}

/** Reporter i: its own account, device and network. */
const person = (i: number): ReporterKeys => ({ account: `acc${i}`, device: `dev${i}`, network: `net${i}` });
const people = (n: number, daysAgo: (i: number) => number, type: ScamType = 'virtual_kidnapping'): ReportFact[] =>
  Array.from({ length: n }, (_, i) => report(daysAgo(i), person(i), type));

const rep = (reports: readonly ReportFact[], ctx: Partial<ReputationContext> = {}) => computeReputation(NUMBER, reports, { now: NOW, ...ctx });

describe('levels from independent reporters', () => {
  it('is none without reports', () => {
    const r = rep([]);
    expect(r).toMatchObject({ level: 'none', score: 0, reports: 0, independentReporters: 0, lastReportAt: null, topTypes: [], basis: 'reports', underReview: false });
    expect(r.explanation).toEqual({ es: 'Sin denuncias.', en: 'No reports.' });
  });

  it('is suspicious from one report', () => {
    const r = rep([report(2, person(1), 'fake_relative')]);
    expect(r).toMatchObject({ level: 'suspicious', reports: 1, independentReporters: 1, lastReportAt: NOW - 2 * DAY });
    expect(r.explanation).toEqual({
      es: 'Sospechoso: 1 denuncia de 1 persona en 2 días, por falso familiar en apuros.',
      en: 'Suspicious: 1 report from 1 reporter in 2 days, for fake relative in trouble.',
    });
  });

  it('stays suspicious with two independent reporters and becomes probable with three', () => {
    expect(rep(people(2, () => 1)).level).toBe('suspicious');
    expect(rep(people(3, () => 1)).level).toBe('probable');
  });

  it('needs recent weight too: three reporters 80 days ago are only suspicious', () => {
    const r = rep(people(3, () => 80));
    expect(r.independentReporters).toBe(3);
    expect(r.effectiveReporters).toBeLessThan(DEFAULT_REPUTATION_SETTINGS.probableMinEffective);
    expect(r.level).toBe('suspicious');
  });

  it('explains a probable number in Spanish and English', () => {
    const reports = [
      ...people(9, (i) => 3 * i + 2),
      report(1, person(0)), report(4, person(3)),
      report(30, { account: 'x', device: 'y', network: 'z' }, 'fake_relative'),
    ];
    const r = rep(reports);
    expect(r).toMatchObject({ level: 'probable', reports: 12, independentReporters: 10, topTypes: [{ type: 'virtual_kidnapping', count: 11 }, { type: 'fake_relative', count: 1 }] });
    expect(r.explanation).toEqual({
      es: 'Probable extorsión: 12 denuncias de 10 personas distintas en 30 días, sobre todo secuestro virtual.',
      en: 'Probable extortion: 12 reports from 10 independent reporters in 30 days, mostly virtual kidnapping.',
    });
  });

  it('names the two commonest types when none has half', () => {
    const reports = [...people(2, () => 1, 'prize'), ...people(2, () => 1, 'romance').map((r, i) => ({ ...r, reporterKeys: person(10 + i) })), report(1, person(20), 'other')];
    expect(rep(reports).explanation.en).toContain('mostly prize or lottery and romance scam');
  });

  it('orders scores by level', () => {
    const suspicious = rep(people(2, () => 1)).score;
    const probable = rep(people(3, () => 1)).score;
    const many = rep(people(40, () => 1)).score;
    expect(suspicious).toBeGreaterThanOrEqual(10);
    expect(suspicious).toBeLessThan(50);
    expect(probable).toBeGreaterThanOrEqual(50);
    expect(many).toBeGreaterThan(probable);
    expect(many).toBeLessThan(100);
  });
});

describe('one actor counts once', () => {
  const FLOODS: [string, (i: number) => ReporterKeys][] = [
    ['one device, a new account and network each time', (i) => ({ account: `a${i}`, device: 'burner', network: `n${i}` })],
    ['one account, a new device and network each time', (i) => ({ account: 'troll', device: `d${i}`, network: `n${i}` })],
    ['one network (a call centre), a new account and device each time', (i) => ({ account: `a${i}`, device: `d${i}`, network: 'callcentre/24' })],
    ['no keys at all', () => ({})],
    ['no account or device, one network', () => ({ network: 'n' })],
  ];

  it.each(FLOODS)('500 reports from %s never pass suspicious', (_, keys) => {
    const reports = Array.from({ length: 500 }, (_, i) => report((i % 60) / 2, keys(i), 'cartel_fee'));
    const r = rep(reports);
    expect(r.level).toBe('suspicious');
    expect(r.reports).toBe(500);
    expect(r.independentReporters).toBe(1);
    expect(r.effectiveReporters).toBeLessThanOrEqual(1);
    expect(r.explanation.es).toContain('Todas vienen de una sola persona o red, así que no pasa de sospechoso.');
    expect(r.explanation.en).toContain('They all come from a single reporter or network');
  });

  it('holds whatever the thresholds: a single source is never probable', () => {
    const reports = Array.from({ length: 50 }, (_, i) => report(1, { account: `a${i}`, network: 'one' }));
    const settings = { probableMinReporters: 1, probableMinEffective: 0.1, networkCap: 5 };
    expect(rep(reports, { settings })).toMatchObject({ level: 'suspicious', independentReporters: 5 });
  });

  it('merges reporters transitively: A shares a device with B, B an account with C', () => {
    const a = report(1, { account: 'A', device: 'phone1', network: 'n1' });
    const b = report(2, { account: 'B', device: 'phone1', network: 'n2' });
    const c = report(3, { account: 'B', device: 'phone3', network: 'n3' });
    expect(rep([a, b, c])).toMatchObject({ independentReporters: 1, level: 'suspicious' });
    const d = report(1, { account: 'D', device: 'phone4', network: 'n4' });
    expect(rep([a, b, c, d]).independentReporters).toBe(2);
  });

  it('caps a network but does not merge through it: people who share a network count once there, separately elsewhere', () => {
    const sameNetwork = Array.from({ length: 5 }, (_, i) => report(1, { account: `a${i}`, network: 'shared' }));
    expect(rep(sameNetwork).independentReporters).toBe(1);
    const elsewhere = [report(1, { account: 'x', network: 'home' }), report(1, { account: 'y', network: 'office' })];
    expect(rep([...sameNetwork, ...elsewhere])).toMatchObject({ independentReporters: 3, level: 'probable' });
  });

  it('counts a reporter by its latest network', () => {
    // One person reported from the café, then from home; someone else reported from the café.
    const reports = [report(5, { account: 'p', network: 'cafe' }), report(1, { account: 'p', network: 'home' }), report(2, { account: 'q', network: 'cafe' })];
    expect(rep(reports).independentReporters).toBe(2);
  });
});

describe('decay', () => {
  it('fades a single report to none after two half-lives (60 days)', () => {
    expect(rep([report(59, person(1))]).level).toBe('suspicious');
    expect(rep([report(61, person(1))]).level).toBe('none');
  });

  it('brings a number reported 200 days ago back to none', () => {
    const r = rep(people(20, () => 200));
    expect(r).toMatchObject({ level: 'none', reports: 20, independentReporters: 0, lastReportAt: NOW - 200 * DAY });
    expect(r.effectiveReporters).toBeCloseTo(20 * 2 ** (-200 / 30), 2);
    expect(r.explanation).toEqual({
      es: 'Sin señal suficiente: sin denuncias en los últimos 90 días; 20 denuncias anteriores, la última hace 200 días, todas por secuestro virtual.',
      en: 'Not enough to flag: no reports in the last 90 days; 20 earlier reports, the last 200 days ago, all for virtual kidnapping.',
    });
  });

  it('keeps a heavily reported number suspicious for longer, never probable', () => {
    expect(rep(people(40, () => 200)).level).toBe('suspicious');
  });

  it('is computed as of a moment: later reports do not exist yet', () => {
    const reports = [...people(3, () => 1), report(-5, person(9))];
    expect(rep(reports)).toMatchObject({ reports: 3, lastReportAt: NOW - DAY });
    expect(computeReputation(NUMBER, reports, { now: NOW - 2 * DAY }).level).toBe('none');
  });

  it('mentions older reports beside the window', () => {
    const r = rep([...people(3, () => 10), report(120, person(7))]);
    expect(r.explanation.es).toBe('Probable extorsión: 3 denuncias de 3 personas distintas en 10 días (y 1 anterior), todas por secuestro virtual.');
    expect(r.explanation.en).toBe('Probable extortion: 3 reports from 3 independent reporters in 10 days (and 1 earlier), all for virtual kidnapping.');
  });
});

describe('analysts, protected numbers and disputes', () => {
  const confirmed: AnalystDecision = { e164: NUMBER, status: 'confirmed', at: Date.UTC(2026, 0, 5, 18), note: 'caso FGJ-123' };
  const rejected: AnalystDecision = { e164: NUMBER, status: 'rejected', at: NOW - 10 * DAY, note: 'farmacia registrada' };

  it('confirms, even without reports, until revoked', () => {
    expect(rep([], { decision: confirmed })).toMatchObject({ level: 'confirmed', score: 100, basis: 'analyst_confirmed' });
    const r = rep(people(2, () => 3), { decision: confirmed });
    expect(r.explanation).toEqual({
      es: 'Extorsión confirmada por un analista el 5 de enero de 2026 (caso FGJ-123). 2 denuncias de 2 personas distintas en 3 días, todas por secuestro virtual.',
      en: 'Extortion confirmed by an analyst on January 5, 2026 (caso FGJ-123). 2 reports from 2 independent reporters in 3 days, all for virtual kidnapping.',
    });
    expect(rep(people(2, () => 3), { decision: { ...confirmed, status: null } })).toMatchObject({ level: 'suspicious', basis: 'reports' });
  });

  it('ignores a decision taken after the moment asked about', () => {
    expect(rep([], { decision: { ...confirmed, at: NOW + DAY } }).level).toBe('none');
  });

  it('clears a rejected number: earlier reports stop counting, later ones are shown as disputed', () => {
    const before = people(8, () => 20);
    expect(rep(before, { decision: rejected })).toMatchObject({ level: 'none', basis: 'analyst_cleared', reports: 0, score: 0 });
    const r = rep([...before, report(2, person(50)), report(1, person(51))], { decision: rejected });
    expect(r).toMatchObject({ level: 'none', basis: 'analyst_cleared', reports: 2, independentReporters: 2 });
    expect(r.explanation.es).toMatch(/^Aclarado por un analista el 19 de febrero de 2026 \(farmacia registrada\): no se considera extorsión\. Denuncias posteriores, en disputa: 2 denuncias de 2 personas distintas en 2 días/);
    expect(r.explanation.en).toMatch(/^Cleared by an analyst on February 19, 2026 \(farmacia registrada\): not considered extortion\. Later reports, disputed: 2 reports from 2 independent reporters/);
  });

  it('reopens a cleared number only when many new independent reporters appear', () => {
    const nine = Array.from({ length: 9 }, (_, i) => report(1 + (i % 5), person(100 + i)));
    expect(rep(nine, { decision: rejected }).level).toBe('none');
    const flood = Array.from({ length: 300 }, (_, i) => report(1, { account: `a${i}`, network: 'one' }));
    expect(rep([...nine.slice(0, 5), ...flood], { decision: rejected })).toMatchObject({ level: 'none', independentReporters: 6 });
    const ten = [...nine, report(1, person(200))];
    const r = rep(ten, { decision: rejected });
    expect(r).toMatchObject({ level: 'probable', basis: 'reports', independentReporters: 10 });
    expect(r.explanation.en).toMatch(/^An analyst cleared it on February 19, 2026 \(farmacia registrada\), but 10 independent reporters have reported it since\. Probable extortion: 10 reports/);
  });

  it('shows a protected number as spoofed however many reports, confirmation included', () => {
    const label = 'BBVA México (línea oficial)';
    const r = rep(people(100, (i) => i % 20), { protectedLabel: label, decision: confirmed });
    expect(r).toMatchObject({ level: 'spoofed', basis: 'protected', score: 0, reports: 100 });
    expect(r.explanation.es).toBe(`Posible identificador falsificado: este número pertenece a ${label}; los extorsionadores lo suplantan. 100 denuncias de 100 personas distintas en 19 días, todas por secuestro virtual.`);
    expect(r.explanation.en).toMatch(/^Possibly spoofed caller ID: this number belongs to BBVA México \(línea oficial\); extortionists impersonate it\./);
  });

  it('shows a protected number without reports as none, with a warning that caller ID can be spoofed', () => {
    const r = rep([], { protectedLabel: 'SAT' });
    expect(r).toMatchObject({ level: 'none', basis: 'protected' });
    expect(r.explanation.es).toContain('Este número pertenece a SAT. Aun así, el identificador de llamadas se puede falsificar');
  });

  it('flags an open dispute without changing the level', () => {
    const open = rep(people(3, () => 1), { openDispute: true });
    expect(open).toMatchObject({ level: 'probable', underReview: true });
    expect(open.explanation.es).toMatch(/ En revisión: el titular del número presentó una disputa\.$/);
    expect(open.explanation.en).toMatch(/ Under review: the number's owner has filed a dispute\.$/);
    expect(rep(people(3, () => 1), { openDispute: true, decision: confirmed })).toMatchObject({ level: 'confirmed', underReview: true });
  });
});

describe('recomputeAll', () => {
  it('groups by number and agrees with computeReputation, including decided numbers without reports', () => {
    const other = '+525598765432';
    const reports = [...people(4, (i) => i), report(3, person(1), 'prize', other), report(3, person(2), 'prize', other)];
    const decided = '+525511112222';
    const decisions = new Map([[decided, { e164: decided, status: 'confirmed' as const, at: NOW - DAY }]]);
    const protectedNumbers = new Map([[other, 'Banco Azteca']]);
    const all = recomputeAll(reports, { now: NOW, decisions, protectedNumbers, openDisputes: new Set([NUMBER]) });
    expect([...all.keys()].sort()).toEqual([decided, NUMBER, other].sort());
    expect(all.get(NUMBER)).toEqual(rep(reports.filter((r) => r.e164 === NUMBER), { openDispute: true }));
    expect(all.get(other)!.level).toBe('spoofed');
    expect(all.get(decided)!.level).toBe('confirmed');
  });

  it('refuses settings that make no sense', () => {
    expect(() => recomputeAll([], { now: NOW, settings: { halfLifeDays: 0 } })).toThrow(DomainError);
    expect(() => rep([], { settings: { networkCap: 1.5 } })).toThrow(DomainError);
  });
});

describe('scam types', () => {
  it('has distinct Spanish and English labels for every type', () => {
    expect(SCAM_TYPE_IDS).toHaveLength(12);
    for (const t of SCAM_TYPE_IDS) {
      const { label, hint } = SCAM_TYPES[t];
      expect(label.es).not.toBe('');
      expect(hint.es).not.toBe(hint.en);
    }
    expect(SCAM_TYPES.virtual_kidnapping.label.es).toBe('Secuestro virtual');
    expect(SCAM_TYPES.cartel_fee.label.es).toBe('Cobro de piso / cuota de cártel');
    expect(isScamType('romance')).toBe(true);
    expect(isScamType('toString')).toBe(false);
  });
});

describe('docs/REPUTATION.md', () => {
  it('documents every setting with its default', () => {
    const doc = readFileSync(new URL('../../../docs/REPUTATION.md', import.meta.url), 'utf8');
    const documented = Object.fromEntries([...doc.matchAll(/^\| `(\w+)` \| ([\d.]+) \|/gm)].map((m) => [m[1], Number(m[2])]));
    expect(documented).toEqual({ ...DEFAULT_REPUTATION_SETTINGS });
  });
});
