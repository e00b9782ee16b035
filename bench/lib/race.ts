// In-process micro-benchmarks: contenders run in interleaved rounds, so whatever else the shared
// machine does at a given moment hits them alike.

/**
 * One warm-up pass each, then `rounds` interleaved rounds; the median seconds per pass of each
 * contender — the median, not the best, as that is closer to what a server sees.
 */
export function medianPassSeconds(passes: readonly (() => void)[], rounds: number): number[] {
  for (const pass of passes) pass();
  const times = passes.map(() => [] as number[]);
  for (let round = 0; round < rounds; round++) {
    passes.forEach((pass, i) => {
      const t = process.hrtime.bigint();
      pass();
      times[i]!.push(Number(process.hrtime.bigint() - t) / 1e9);
    });
  }
  return times.map((t) => t.sort((a, b) => a - b)[rounds >> 1]!);
}

/** Operations per second of each contender (`items` operations per pass), by medianPassSeconds. */
export function race(rounds: number, contenders: readonly { items: number; pass: () => void }[]): number[] {
  const seconds = medianPassSeconds(contenders.map((c) => c.pass), rounds);
  return contenders.map((c, i) => c.items / seconds[i]!);
}
