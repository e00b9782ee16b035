// Number reputation at national scale: recomputeAll over one million seeded reports on ~100k
// numbers, then the look-up structures the API serves from (ReputationIndex.get against a plain
// Map, range() against scanning every hash). The run is invalid (exit 1) if a flooded number gets
// past suspicious or a range answer differs from the scan.
//
// Workload: 100 flooded numbers (1,000 reports each from one actor: one device, one account or one
// network), 30 hot numbers (3,000 reports each from independent reporters), half the numbers with
// 1–2 reports, the rest drawn with a heavy skew; 400k reporters on 60k networks (a few large, like
// a carrier's NAT); report ages skewed to the recent past over a year; some decisions, protected
// numbers and disputes. Reports are built in arrival order, each with its own keys object, as the
// service loads them from storage.
//
//   npx tsx bench/reputation.bench.ts          (or: npm run bench -- reputation)
//   BENCH_REPUTATION_REPORTS=1000000 BENCH_REPUTATION_NUMBERS=100000 BENCH_SEED=1
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ReputationIndex, e164Hash } from '../src/extortion/domain/blocklist-index.js';
import { recomputeAll, type AnalystDecision, type RecomputeOptions, type ReportFact, type ReporterKeys, type Reputation } from '../src/extortion/domain/reputation.js';
import { SCAM_TYPE_IDS, type ScamType } from '../src/extortion/domain/scam-types.js';
import { machineBusy, ownCpuTimeMs } from './lib/machine.js';
import { mulberry32, type Rng } from './lib/prng.js';
import { printTable, row, type BenchRow } from './lib/report.js';
import { envInt } from './lib/env.js';
import { race } from './lib/race.js';

const SUITE = 'reputation';
const DAY = 86_400_000;
const NOW = Date.UTC(2026, 2, 1, 18);
const FLOODED = 100, FLOOD_SIZE = 1000, HOT = 30, HOT_SIZE = 3000;
const REPORTERS = 400_000, NETWORKS = 60_000;
const RECOMPUTE_ROUNDS = 3, ROUNDS = 7;
const GETS = 2_000_000, RANGES = 200_000, SCAN_SAMPLE = 200;
/** Virtual kidnapping and the fake relative lead, as in the hotline's statistics. */
const TYPE_WEIGHTS = [30, 20, 8, 6, 10, 5, 7, 3, 2, 4, 4, 1];

export interface ReputationBenchOptions { reports?: number; numbers?: number; seed?: number; log?: (line: string) => void }

export interface Workload {
  numbers: string[];
  flooded: string[];
  reports: ReportFact[];
  opts: RecomputeOptions;
}

export async function runReputationBench(opts: ReputationBenchOptions = {}): Promise<BenchRow[]> {
  const log = opts.log ?? ((line: string) => console.log(line));
  const busy = await machineBusy();
  let t = performance.now();
  const w = workload(opts.reports ?? envInt('BENCH_REPUTATION_REPORTS', 1_000_000), opts.numbers ?? envInt('BENCH_REPUTATION_NUMBERS', 100_000), opts.seed ?? envInt('BENCH_SEED', 1));
  log(`reputation bench: ${w.reports.length.toLocaleString('en-US')} reports on ${w.numbers.length.toLocaleString('en-US')} numbers generated in ${(performance.now() - t).toFixed(0)} ms; machine ${(100 * busy).toFixed(0)}% busy before the run`);

  const { all, rows } = recomputeRows(w);
  const flooded = w.flooded.filter((e) => !['none', 'suspicious'].includes(all.get(e)!.level));
  if (flooded.length > 0) throw new Error(`reputation: ${flooded.length} flooded numbers got past suspicious`);
  rows.push(row(SUITE, 'flooded numbers past suspicious', flooded.length, null, 'count', `${w.flooded.length} flooded by one actor × ${FLOOD_SIZE} reports`));

  t = performance.now();
  const index = new ReputationIndex(all.values());
  rows.push(row(SUITE, 'ReputationIndex build', performance.now() - t, null, 'ms', `${index.size.toLocaleString('en-US')} entries, SHA-256 and range buckets included`));
  rows.push(getRow(w, all, index), rangeRow(index, w.numbers, mulberry32(7)));
  t = performance.now();
  const listed = index.listed().length;
  rows.push(row(SUITE, 'listed() (blocklist feed)', performance.now() - t, null, 'ms', `${listed.toLocaleString('en-US')} numbers at suspicious or above`));

  printTable(rows, { title: 'Reputation — ours: recomputeAll / ReputationIndex · theirs: plain Map.get / scan of every hash', theirsLabel: 'alternative', out: log });
  const wrong = rows.find((r) => r.name.startsWith('range') && !r.note?.startsWith('0 of'));
  if (wrong) throw new Error(`reputation: range answers differ from the scan (${wrong.note})`);
  return rows;
}

// ---------- recompute ----------

function recomputeRows(w: Workload): { all: Map<string, Reputation>; rows: BenchRow[] } {
  let all = new Map<string, Reputation>();
  const times: number[] = [], cpu: number[] = [];
  for (let i = 0; i < RECOMPUTE_ROUNDS; i++) {
    all = new Map(); // let the previous result go before timing the next
    const [t, c] = [performance.now(), ownCpuTimeMs()];
    all = recomputeAll(w.reports, w.opts);
    times.push(performance.now() - t);
    cpu.push(ownCpuTimeMs() - c);
  }
  const median = (xs: number[]) => xs.sort((a, b) => a - b)[RECOMPUTE_ROUNDS >> 1]!;
  const ms = median(times);
  const byLevel = new Map<string, number>();
  for (const r of all.values()) byLevel.set(r.level, (byLevel.get(r.level) ?? 0) + 1);
  const levels = ['none', 'suspicious', 'probable', 'confirmed', 'spoofed'].map((l) => `${l} ${(byLevel.get(l) ?? 0).toLocaleString('en-US')}`).join(' · ');
  return {
    all,
    rows: [
      row(SUITE, `recomputeAll (${(w.reports.length / 1e6).toFixed(1)} M reports)`, ms, null, 'ms', `median of ${RECOMPUTE_ROUNDS}; CPU ${median(cpu).toFixed(0)} ms (GC threads included); ${all.size.toLocaleString('en-US')} numbers`),
      row(SUITE, '  reports per second', w.reports.length / (ms / 1000), null, 'reports/s'),
      row(SUITE, '  numbers by level', all.size, null, 'count', levels),
    ],
  };
}

// ---------- look-ups ----------

/** Keeps the timed loops' results alive, so the JIT cannot drop the work. */
let sink = 0;

function getRow(w: Workload, all: Map<string, Reputation>, index: ReputationIndex): BenchRow {
  const random = mulberry32(3);
  // 90% listed numbers, 10% numbers nobody reported; fresh string objects, as parsed from a request.
  const queries = Array.from({ length: GETS }, () => (random() < 0.9 ? w.numbers[Math.floor(random() * w.numbers.length)]! : randomNumber(random)).split('').join(''));
  const plain = new Map<string, object>(all);
  const [ours, theirs] = race(ROUNDS, [
    { items: GETS, pass: () => { for (let i = 0; i < GETS; i++) if (index.get(queries[i]!) !== undefined) sink++; } },
    { items: GETS, pass: () => { for (let i = 0; i < GETS; i++) if (plain.get(queries[i]!) !== undefined) sink++; } },
  ]);
  return row(SUITE, 'ReputationIndex.get', ours!, theirs!, 'look-ups/s', `${(1e9 / ours!).toFixed(0)} ns each; 90% hits; goal ≥ 5 M/s`);
}

function rangeRow(index: ReputationIndex, numbers: readonly string[], random: Rng): BenchRow {
  const hashes = numbers.map(e164Hash);
  const prefixes = Array.from({ length: RANGES }, () =>
    random() < 0.5 ? hashes[Math.floor(random() * hashes.length)]!.slice(0, 5) : Math.floor(random() * 0x100000).toString(16).padStart(5, '0'));
  const scan = (prefix: string) => hashes.filter((h) => h.startsWith(prefix)).map((h) => h.slice(5));
  let differ = 0;
  for (let i = 0; i < SCAN_SAMPLE * 10; i++) {
    const prefix = prefixes[i]!;
    const got = index.range(prefix).map((e) => e.hashSuffix).sort().join();
    if (got !== scan(prefix).sort().join()) differ++;
  }
  const [ours, theirs] = race(ROUNDS, [
    { items: RANGES, pass: () => { for (let i = 0; i < RANGES; i++) sink += index.range(prefixes[i]!).length; } },
    { items: SCAN_SAMPLE, pass: () => { for (let i = 0; i < SCAN_SAMPLE; i++) sink += scan(prefixes[i]!).length; } },
  ]);
  return row(SUITE, 'range(prefix5)', ours!, theirs!, 'queries/s', `${differ} of ${SCAN_SAMPLE * 10} answers differ from the scan; half the prefixes hit a listed number`);
}

// ---------- workload ----------

export function workload(total: number, count: number, seed: number): Workload {
  const random = mulberry32(seed);
  const numbers = distinctNumbers(count, random);
  const reporters = Array.from({ length: REPORTERS }, (_, i) => reporterKeys(i, random));
  const pickType = typePicker(random);
  const reports: ReportFact[] = [];
  const add = (e164: string, keys: ReporterKeys) => reports.push({
    id: `r${reports.length}`, e164, at: NOW - Math.floor(365 * DAY * random() ** 1.6), type: pickType(), reporterKeys: ownCopy(keys),
    paid: random() < 0.12, amountMxn: random() < 0.3 ? Math.round(random() * 50_000) : null, channel: random() < 0.7 ? 'call' : random() < 0.6 ? 'whatsapp' : 'sms',
  });
  const anyReporter = () => reporters[Math.floor(random() * REPORTERS)]!;
  const flooded = numbers.slice(0, FLOODED);
  flooded.forEach((e164, f) => {
    for (let i = 0; i < FLOOD_SIZE; i++) add(e164, floodKeys(f, i));
  });
  for (const e164 of numbers.slice(FLOODED, FLOODED + HOT)) for (let i = 0; i < HOT_SIZE; i++) add(e164, anyReporter());
  const rest = numbers.slice(FLOODED + HOT);
  const cold = rest.slice(0, rest.length >> 1), warm = rest.slice(rest.length >> 1);
  for (const e164 of cold) for (let i = random() < 0.6 ? 1 : 2; i > 0; i--) add(e164, anyReporter());
  for (const e164 of warm) add(e164, anyReporter());
  while (reports.length < total) add(warm[Math.floor(warm.length * random() ** 3)]!, anyReporter());
  return { numbers, flooded, reports, opts: sideInputs(numbers, random) };
}

function distinctNumbers(count: number, random: Rng): string[] {
  const seen = new Set<string>();
  while (seen.size < count) seen.add(randomNumber(random));
  return [...seen];
}

const AREAS = ['55', '56', '33', '81', '222', '442', '664', '998', '477', '614'];
function randomNumber(random: Rng): string {
  const area = AREAS[Math.floor(random() * AREAS.length)]!;
  return `+52${area}${String(Math.floor(random() * 10 ** (10 - area.length))).padStart(10 - area.length, '0')}`;
}

/** Most reporters have an account and a device; networks are skewed (a few carrier NATs are huge). */
function reporterKeys(i: number, random: Rng): ReporterKeys {
  const network = random() < 0.2 ? `cgnat${Math.floor(random() * 40)}` : `net${Math.floor(NETWORKS * random() ** 2)}`;
  return { ...(random() < 0.85 ? { account: `acc${i}` } : {}), ...(random() < 0.95 ? { device: `dev${i}` } : {}), network };
}

/** Each report's own keys object, built as the service builds it from a stored row (its key strings are shared here). */
function ownCopy(keys: ReporterKeys): ReporterKeys {
  const copy: ReporterKeys = {};
  if (keys.account) copy.account = keys.account;
  if (keys.device) copy.device = keys.device;
  if (keys.network) copy.network = keys.network;
  return copy;
}

/** One actor per flooded number, keeping one key fixed and changing the others each time. */
function floodKeys(f: number, i: number): ReporterKeys {
  switch (f % 3) {
    case 0: return { account: `fa${f}-${i}`, device: `flood-device-${f}`, network: `fn${f}-${i}` };
    case 1: return { account: `flood-account-${f}`, device: `fd${f}-${i}`, network: `fn${f}-${i}` };
    default: return { account: `fa${f}-${i}`, device: `fd${f}-${i}`, network: `flood-net-${f}` };
  }
}

function typePicker(random: Rng): () => ScamType {
  const total = TYPE_WEIGHTS.reduce((a, b) => a + b, 0);
  return () => {
    let x = random() * total;
    for (let i = 0; i < TYPE_WEIGHTS.length; i++) if ((x -= TYPE_WEIGHTS[i]!) < 0) return SCAM_TYPE_IDS[i]!;
    return 'other';
  };
}

/** Analysts confirmed 1,000 numbers and cleared 200; 10 hot numbers are banks' (spoofed); 300 disputes. */
function sideInputs(numbers: readonly string[], random: Rng): RecomputeOptions {
  const decisions = new Map<string, AnalystDecision>();
  const pick = () => numbers[FLOODED + HOT + Math.floor(random() * (numbers.length - FLOODED - HOT))]!;
  for (let i = 0; i < 1200; i++) {
    const e164 = pick();
    decisions.set(e164, { e164, status: i < 1000 ? 'confirmed' : 'rejected', at: NOW - Math.floor(random() * 200) * DAY, note: 'bench' });
  }
  const protectedNumbers = new Map(numbers.slice(FLOODED, FLOODED + 10).map((e164, i) => [e164, `Banco ${i}`]));
  const openDisputes = new Set(Array.from({ length: 300 }, pick));
  return { now: NOW, decisions, protectedNumbers, openDisputes };
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  runReputationBench().then(() => { if (sink < 0) console.log(sink); }, (err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exitCode = 1;
  });
}
