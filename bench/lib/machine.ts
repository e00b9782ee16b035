// How busy the (shared) machine is before a benchmark adds its own load.
import { cpus } from 'node:os';

/** Share of all cores busy over `ms` milliseconds (0–1). */
export async function machineBusy(ms = 500): Promise<number> {
  const sample = () => cpus().reduce((acc, c) => {
    const t = c.times;
    acc.idle += t.idle;
    acc.total += t.user + t.nice + t.sys + t.idle + t.irq;
    return acc;
  }, { idle: 0, total: 0 });
  const a = sample();
  await new Promise((r) => setTimeout(r, ms));
  const b = sample();
  const total = b.total - a.total;
  return total > 0 ? 1 - (b.idle - a.idle) / total : 0;
}

/** CPU time (user + system) of this process so far, ms. */
export function ownCpuTimeMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}
