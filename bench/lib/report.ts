// What every benchmark returns, and the table `npm run bench` prints: our figure next to the
// alternative's and their ratio. Benchmarks report; they never assert on speed.

export interface BenchRow {
  /** Which benchmark file produced the row (geo, http…). */
  suite: string;
  /** What was measured, e.g. "locate req/s". */
  name: string;
  /** Our figure. */
  ours: number;
  /** The alternative's figure in the same unit, or null when there is none. */
  theirs: number | null;
  /** Unit of `ours` and `theirs`: req/s, ms, µs/op, ops/s, count… */
  unit: string;
  /** ours / theirs, or null when there is nothing to compare with. */
  ratio: number | null;
  note?: string;
}

/** Builds a row, computing the ratio (ours / theirs) when both figures are usable. */
export function row(suite: string, name: string, ours: number, theirs: number | null, unit: string, note?: string): BenchRow {
  const ratio = theirs !== null && Number.isFinite(theirs) && theirs !== 0 && Number.isFinite(ours) ? ours / theirs : null;
  return { suite, name, ours, theirs, unit, ratio, ...(note !== undefined ? { note } : {}) };
}

/** A figure with a precision that suits its size: 12,345 · 123.4 · 1.23 · 0.0123. */
export function formatNumber(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  const abs = Math.abs(n);
  if (Number.isInteger(n) && abs >= 1) return n.toLocaleString('en-US');
  if (abs >= 1000) return Math.round(n).toLocaleString('en-US');
  if (abs >= 100) return n.toFixed(1);
  if (abs >= 1) return n.toFixed(2);
  if (abs === 0) return '0';
  return n.toPrecision(3);
}

export function formatRatio(r: number | null): string {
  return r === null ? '—' : `${r.toFixed(2)}×`;
}

export interface PrintOptions {
  title?: string;
  /** Header of the "theirs" column (what we compare against). */
  theirsLabel?: string;
  out?: (line: string) => void;
}

/** Prints rows as an aligned table; numbers right-aligned, text left-aligned. */
export function printTable(rows: readonly BenchRow[], opts: PrintOptions = {}): void {
  const out = opts.out ?? ((line: string) => console.log(line));
  const header = ['suite', 'benchmark', 'ours', opts.theirsLabel ?? 'theirs', 'unit', 'ratio', 'note'];
  const rightAligned = [false, false, true, true, false, true, false];
  const cells = rows.map((r) => [
    r.suite, r.name, formatNumber(r.ours), r.theirs === null ? '—' : formatNumber(r.theirs), r.unit, formatRatio(r.ratio), r.note ?? '',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]) => c.map((v, i) => (rightAligned[i] ? v.padStart(widths[i]!) : v.padEnd(widths[i]!))).join('  ').trimEnd();
  if (opts.title) out(`\n${opts.title}`);
  out(line(header));
  out(widths.map((w) => '─'.repeat(w)).join('  '));
  for (const c of cells) out(line(c));
  out('');
}

/** Thrown when a run measured errors or wrong answers; carries the rows for the report. */
export class BenchInvalidError extends Error {
  constructor(message: string, readonly rows: BenchRow[]) {
    super(message);
    this.name = 'BenchInvalidError';
  }
}

/** Runs a benchmark file directly: prints its table (also for an invalid run) and sets the exit code. */
export async function benchMain(run: () => Promise<BenchRow[]>, opts: PrintOptions): Promise<void> {
  try {
    printTable(await run(), opts);
  } catch (err) {
    if (err instanceof BenchInvalidError) printTable(err.rows, opts);
    console.error(err instanceof Error ? err.message : err);
    process.exitCode = 1;
  }
}
