import { describe, expect, it } from 'vitest';
import { percentile, responseStats, type TimedAlert } from './stats.js';

const a = (sector: string, ackS: number | null, arriveS: number | null, alcaldia = 'CUAUHTEMOC'): TimedAlert => ({
  quadrantId: `${sector}-1`, sector, alcaldia, createdAt: 0,
  acknowledgedAt: ackS === null ? null : ackS * 1000, onSceneAt: arriveS === null ? null : arriveS * 1000,
});

describe('response-time statistics', () => {
  it('uses nearest-rank percentiles', () => {
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 50)).toBe(5);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90)).toBe(9);
    expect(percentile([7], 90)).toBe(7);
    expect(percentile([], 50)).toBeNull();
  });

  it('measures acknowledgement and arrival per group against the target', () => {
    const stats = responseStats([a('CENTRO', 10, 100), a('CENTRO', 20, 200), a('CENTRO', 30, null), a('NORTE', null, null)], 'sector', 170_000);
    expect(stats).toEqual([
      { group: 'CENTRO', alerts: 3, acknowledged: 3, onScene: 2, ackMedianS: 20, ackP90S: 30, arriveMedianS: 100, arriveP90S: 200, withinTargetShare: 0.5 },
      { group: 'NORTE', alerts: 1, acknowledged: 0, onScene: 0, ackMedianS: null, ackP90S: null, arriveMedianS: null, arriveP90S: null, withinTargetShare: null },
    ]);
  });

  it('groups alerts outside every quadrant under their own name, and the whole city together', () => {
    const outside: TimedAlert = { quadrantId: null, sector: null, alcaldia: null, createdAt: 0, acknowledgedAt: 5000, onSceneAt: 60_000 };
    expect(responseStats([outside], 'alcaldia', 170_000)[0]!.group).toBe('(fuera de cuadrante)');
    expect(responseStats([outside, a('X', 1, 1)], 'city', 170_000)).toHaveLength(1);
  });
});
