// Benchmark knobs from the environment (BENCH_*): an empty or unset variable means "the default".

/** A number from the environment; a value that is not one (or is below the floor) is an error. */
export function envNumber(key: string, floor: 'positive' | 'non-negative' = 'positive'): number | undefined {
  const v = process.env[key];
  if (v === undefined || v.trim() === '') return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || (floor === 'positive' ? n <= 0 : n < 0)) throw new Error(`${key} must be a ${floor} number, got "${v}"`);
  return n;
}

/** A positive integer from the environment, or the fallback when it is not one. */
export function envInt(name: string, fallback: number): number {
  const v = Number(process.env[name]);
  return Number.isInteger(v) && v > 0 ? v : fallback;
}
