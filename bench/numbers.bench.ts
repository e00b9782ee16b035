// Phone-number normalisation throughput on a seeded mix of what people paste (spaced, labelled,
// +52, "+52 1", 044/045/01, full-width, WhatsApp marks and links, short codes, foreign, a few
// broken ones), against calling libphonenumber-js directly on the same strings:
//   • parsePhoneNumberFromString(input, 'MX') from the default entry (min metadata): the usual
//     one-liner, which answers less (no kind, no short codes, legacy forms invalid);
//   • the same with max metadata plus isValid() and getType(): what it takes to learn as much as ours.
// Also the Mexican type look-up alone (our compiled patterns against PhoneNumber#getType) and
// sha256Prefix (against bare createHash, i.e. the cost of the E.164 check).
//
//   npx tsx bench/numbers.bench.ts          (or: npm run bench -- numbers)
//   BENCH_NUMBERS_INPUTS=20000 BENCH_SEED=1
import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import parseMin from 'libphonenumber-js';
import { PhoneNumber, parsePhoneNumberFromString as parseMax } from 'libphonenumber-js/max';
import { sha256Prefix } from '../src/extortion/domain/numbers.js';
import { mexicanNumberType, normalizeNumber } from '../src/rules/index.js';
import { machineBusy } from './lib/machine.js';
import { mulberry32, type Rng } from './lib/prng.js';
import { printTable, row, type BenchRow } from './lib/report.js';
import { envInt } from './lib/env.js';
import { medianPassSeconds } from './lib/race.js';

const SUITE = 'numbers';
const ROUNDS = 7;
/** Real area codes: CDMX, GDL, MTY and a spread of 3-digit ones. */
const AREAS = ['55', '56', '33', '81', '222', '442', '477', '614', '656', '667', '662', '998', '999', '744', '871', '951', '961', '229', '618', '686'];

export interface NumbersBenchOptions { inputs?: number; seed?: number; log?: (line: string) => void }

/** [weight, render(area, local)]: how often each way of writing shows up in the mix. */
const FORMS: Array<[number, (r: Rng, nsn: string) => string]> = [
  [22, (_, n) => n],
  [18, (_, n) => spaced(n)],
  [12, (_, n) => `+52 ${spaced(n)}`],
  [10, (_, n) => `+52 1 ${spaced(n)}`],
  [4, (_, n) => `044 ${spaced(n)}`],
  [2, (_, n) => `045 ${spaced(n)}`],
  [2, (r) => `01 800 ${digits(r, 3)} ${digits(r, 4)}`],
  [7, (_, n) => `Tel: (${n.slice(0, areaLength(n))}) ${n.slice(areaLength(n), -4)}-${n.slice(-4)}`],
  [5, (_, n) => `\u202a+52 1 ${spaced(n)}\u202c`],
  [2, (_, n) => [...n].map((c) => String.fromCharCode(0xff10 + Number(c))).join('')],
  [2, (_, n) => `https://wa.me/521${n}`],
  [3, (_, n) => `${n.slice(0, 2)}.${n.slice(2, 6)}.${n.slice(6)}`],
  [2, (r) => ['911', '089', '*5533', '088'][Math.floor(r() * 4)]!],
  [3, (r) => `+1 (${['415', '212', '713', '956'][Math.floor(r() * 4)]}) 555-${digits(r, 4)}`],
  [2, (r, n) => (r() < 0.5 ? n.slice(0, 8) : `${n.slice(0, 4)}A${n.slice(5)}`)],
];

function digits(r: Rng, k: number): string {
  let s = '';
  for (let i = 0; i < k; i++) s += Math.floor(r() * 10);
  return s;
}
const areaLength = (nsn: string) => (['55', '56', '33', '81'].includes(nsn.slice(0, 2)) ? 2 : 3);
function spaced(nsn: string): string {
  const a = areaLength(nsn);
  return a === 2 ? `${nsn.slice(0, 2)} ${nsn.slice(2, 6)} ${nsn.slice(6)}` : `${nsn.slice(0, 3)} ${nsn.slice(3, 6)} ${nsn.slice(6)}`;
}

export function workload(count: number, seed: number): string[] {
  const r = mulberry32(seed);
  const total = FORMS.reduce((s, [w]) => s + w, 0);
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const area = AREAS[Math.floor(r() * AREAS.length)]!;
    const nsn = area + String(1 + Math.floor(r() * 9)) + digits(r, 10 - area.length - 1);
    let pick = r() * total;
    const form = FORMS.find(([w]) => (pick -= w) < 0) ?? FORMS[0]!;
    out.push(form[1](r, nsn));
  }
  return out;
}

let sink = 0;

function normaliseRows(inputs: string[]): BenchRow[] {
  const ours = () => { for (const s of inputs) if (normalizeNumber(s).ok) sink++; };
  const min = () => { for (const s of inputs) if (parseMin(s, 'MX')) sink++; };
  const max = () => { for (const s of inputs) { const p = parseMax(s, 'MX'); if (p?.isValid() && p.getType()) sink++; } };
  const [tOurs, tMin, tMax] = medianPassSeconds([ours, min, max], ROUNDS);
  const n = inputs.length;
  const answers = agreement(inputs);
  return [
    row(SUITE, 'normalise messy mix vs parse(input, MX), min', n / tOurs!, n / tMin!, 'inputs/s', `${us(n / tOurs!)} vs ${us(n / tMin!)}; ${answers}`),
    row(SUITE, 'normalise messy mix vs parse + isValid + getType, max', n / tOurs!, n / tMax!, 'inputs/s', `${us(n / tMax!)} for theirs; same information as ours`),
  ];
}

/** How the answers differ: ours valid, theirs (min) valid, and same E.164 where both are. */
function agreement(inputs: string[]): string {
  let oursOk = 0, theirsValid = 0, same = 0;
  for (const s of inputs) {
    const a = normalizeNumber(s);
    const b = parseMin(s, 'MX');
    if (a.ok) oursOk++;
    if (b?.isValid()) theirsValid++;
    if (a.ok && b?.isValid() && a.e164 === b.number) same++;
  }
  const pct = (k: number) => `${((100 * k) / inputs.length).toFixed(1)}%`;
  return `valid: ours ${pct(oursOk)}, theirs ${pct(theirsValid)} (legacy forms refused); same E.164 ${pct(same)}`;
}

function lookupRow(inputs: string[]): BenchRow {
  const nsns = inputs.map((s) => normalizeNumber(s)).flatMap((r) => (r.ok && r.country === 'MX' ? [r.national] : []));
  const ours = () => { for (const n of nsns) if (mexicanNumberType(n)) sink++; };
  const theirs = () => { for (const n of nsns) if (new PhoneNumber(`+52${n}`).getType()) sink++; };
  const [tOurs, tTheirs] = medianPassSeconds([ours, theirs], ROUNDS);
  const k = nsns.length;
  return row(SUITE, 'MX type look-up: compiled patterns vs PhoneNumber#getType, max', k / tOurs!, k / tTheirs!, 'look-ups/s', `${us(k / tOurs!)} vs ${us(k / tTheirs!)}`);
}

function hashRow(inputs: string[]): BenchRow {
  const e164s = inputs.map((s) => normalizeNumber(s)).flatMap((r) => (r.ok ? [r.e164 as string] : []));
  const ours = () => { for (const e of e164s) sink += sha256Prefix(e).length; };
  const theirs = () => { for (const e of e164s) sink += createHash('sha256').update(e).digest('hex').slice(0, 5).length; };
  const [tOurs, tTheirs] = medianPassSeconds([ours, theirs], ROUNDS);
  const k = e164s.length;
  return row(SUITE, 'sha256Prefix vs bare createHash', k / tOurs!, k / tTheirs!, 'hashes/s', `${us(k / tOurs!)} vs ${us(k / tTheirs!)}; ours adds the E.164 shape check (gap within noise on a busy machine)`);
}

const us = (perSec: number): string => `${(1e6 / perSec).toFixed(2)} µs`;

export async function runNumbersBench(opts: NumbersBenchOptions = {}): Promise<BenchRow[]> {
  const log = opts.log ?? ((line: string) => console.log(line));
  const inputs = workload(opts.inputs ?? envInt('BENCH_NUMBERS_INPUTS', 20_000), opts.seed ?? envInt('BENCH_SEED', 1));
  log(`numbers bench: ${inputs.length} seeded messy inputs, e.g. ${inputs.slice(0, 4).map((s) => JSON.stringify(s)).join(', ')}; machine ${(100 * (await machineBusy())).toFixed(0)}% busy before the run`);
  const rows = [...normaliseRows(inputs), lookupRow(inputs), hashRow(inputs)];
  printTable(rows, { title: 'Phone numbers — ours: normalizeNumber / sha256Prefix · theirs: libphonenumber-js called directly', theirsLabel: 'libphonenumber', out: log });
  return rows;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  runNumbersBench().then(() => { if (sink < 0) console.log(sink); }, (err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exitCode = 1;
  });
}
