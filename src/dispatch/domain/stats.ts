// Response-time figures against the city's target (2 min 50 s in CDMX), per quadrant, sector or
// alcaldía. Pure: the same numbers for the console, the API and the planner.

export interface TimedAlert {
  quadrantId: string | null;
  sector: string | null;
  alcaldia: string | null;
  createdAt: number;
  acknowledgedAt: number | null;
  onSceneAt: number | null;
}

export type Grouping = 'quadrant' | 'sector' | 'alcaldia' | 'city';

export interface ResponseStats {
  group: string;
  alerts: number;
  acknowledged: number;
  onScene: number;
  ackMedianS: number | null;
  ackP90S: number | null;
  arriveMedianS: number | null;
  arriveP90S: number | null;
  /** Share of alerts (with a unit on scene) that got there within the target. */
  withinTargetShare: number | null;
}

/** Nearest-rank percentile of sorted values. */
export function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

const keyOf = (a: TimedAlert, g: Grouping): string =>
  g === 'city' ? 'city' : (g === 'quadrant' ? a.quadrantId : g === 'sector' ? a.sector : a.alcaldia) ?? '(fuera de cuadrante)';

const seconds = (ms: number) => Math.round(ms / 100) / 10;

export function responseStats(alerts: readonly TimedAlert[], group: Grouping, targetMs: number): ResponseStats[] {
  const groups = new Map<string, TimedAlert[]>();
  for (const a of alerts) groups.set(keyOf(a, group), [...(groups.get(keyOf(a, group)) ?? []), a]);
  return [...groups.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([key, list]) => {
    const ack = list.filter((a) => a.acknowledgedAt !== null).map((a) => a.acknowledgedAt! - a.createdAt).sort((x, y) => x - y);
    const arrive = list.filter((a) => a.onSceneAt !== null).map((a) => a.onSceneAt! - a.createdAt).sort((x, y) => x - y);
    const median = (xs: number[]) => { const v = percentile(xs, 50); return v === null ? null : seconds(v); };
    const p90 = (xs: number[]) => { const v = percentile(xs, 90); return v === null ? null : seconds(v); };
    return {
      group: key, alerts: list.length, acknowledged: ack.length, onScene: arrive.length,
      ackMedianS: median(ack), ackP90S: p90(ack), arriveMedianS: median(arrive), arriveP90S: p90(arrive),
      withinTargetShare: arrive.length ? Math.round((arrive.filter((t) => t <= targetMs).length / arrive.length) * 1000) / 1000 : null,
    };
  });
}
