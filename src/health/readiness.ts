// Readiness: may a load balancer send this instance traffic now? Each part that can make the
// answer "no" (the database; later the bus and its consumers) registers a named check here; the
// /health/ready route runs them all. Framework-free: a check is a function that resolves when its
// part is usable and throws when it is not.

export interface ReadinessCheck {
  /** Short and stable, shown to the load balancer: "database", "bus", "consumers". */
  name: string;
  /** Resolves when the part is usable; throws (or rejects) when it is not. */
  check: () => void | Promise<void>;
  /** Longest wait, ms, before it counts as not ready (default: the registry's). */
  timeoutMs?: number;
}

/** Why a check is not ready: it threw, or it did not answer in time. */
export type CheckProblem = 'failed' | 'timeout';

export interface CheckResult {
  name: string;
  ok: boolean;
  /** How long it took (up to its timeout), ms. */
  ms: number;
  problem?: CheckProblem;
  timeoutMs: number;
  /** What it threw: for the log only, never sent (a database error can name hosts and users). */
  error?: unknown;
}

export interface ReadinessReport { ready: boolean; checks: CheckResult[] }

interface Entry extends ReadinessCheck { timeoutMs: number; pending: Promise<void> | null }

export class Readiness {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly opts: { defaultTimeoutMs?: number; now?: () => number } = {}) {}

  /** Adds a check; returns its removal. One check per name. */
  register(check: ReadinessCheck): () => void {
    if (this.entries.has(check.name)) throw new Error(`readiness check "${check.name}" is already registered`);
    const entry: Entry = { ...check, timeoutMs: check.timeoutMs ?? this.opts.defaultTimeoutMs ?? 1000, pending: null };
    this.entries.set(check.name, entry);
    return () => { if (this.entries.get(check.name) === entry) this.entries.delete(check.name); };
  }

  get names(): string[] { return [...this.entries.keys()]; }

  /** Runs every check at once, each bounded by its timeout. Ready when all pass (and when there are none). */
  async evaluate(): Promise<ReadinessReport> {
    const checks = await Promise.all([...this.entries.values()].map((e) => this.run(e)));
    return { ready: checks.every((c) => c.ok), checks };
  }

  private async run(entry: Entry): Promise<CheckResult> {
    const now = this.opts.now ?? (() => performance.now());
    const started = now();
    // A check still running from an earlier probe is joined, not started again: a database that
    // hangs must not collect one stuck query (and pool connection) per probe.
    entry.pending ??= (async () => entry.check())().finally(() => { entry.pending = null; });
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => { timer = setTimeout(() => resolve('timeout'), entry.timeoutMs); });
    const base = { name: entry.name, timeoutMs: entry.timeoutMs };
    try {
      const outcome = await Promise.race([entry.pending.then(() => 'ok' as const), timedOut]);
      const ms = now() - started;
      return outcome === 'ok' ? { ...base, ok: true, ms } : { ...base, ok: false, ms, problem: 'timeout' };
    } catch (error) {
      return { ...base, ok: false, ms: now() - started, problem: 'failed', error };
    } finally {
      clearTimeout(timer);
    }
  }
}
