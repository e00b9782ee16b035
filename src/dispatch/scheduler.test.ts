import { describe, expect, it } from 'vitest';
import { ManualClock } from '../kernel/index.js';
import { DeadlineScheduler } from './scheduler.js';

/** Deadlines "in the database", as another instance (or a previous process) left them. */
function setup(stored: Map<string, number>) {
  const clock = new ManualClock();
  const fired: string[] = [];
  const asked: (number | null)[] = [];
  const scheduler = new DeadlineScheduler({
    clock, sweepMs: 5000, autoRun: false, onError: (e) => { throw e; },
    fire: async (id) => { fired.push(id); stored.delete(id); },
    load: async (until) => {
      asked.push(until);
      return [...stored].filter(([, at]) => until === null || at <= until).map(([id, at]) => ({ id, at }));
    },
  });
  return { clock, fired, asked, scheduler };
}

describe('DeadlineScheduler', () => {
  it('at start-up reads every stored deadline and fires the ones that passed while it was down, oldest first', async () => {
    const t0 = Date.UTC(2026, 0, 1);
    const stored = new Map([['late-b', t0 - 1000], ['late-a', t0 - 5000], ['later', t0 + 3_600_000]]);
    const { fired, asked, scheduler } = setup(stored);
    await scheduler.start();
    expect(asked).toEqual([null]);
    expect(fired).toEqual(['late-a', 'late-b']);
    expect(scheduler.pending()).toBe(1);
  });

  it('periodic sweeps read only deadlines due before the sweep after next, yet catch a far one before it falls due', async () => {
    const t0 = Date.UTC(2026, 0, 1);
    const stored = new Map<string, number>();
    const { clock, fired, asked, scheduler } = setup(stored);
    await scheduler.start();
    // Another instance stores a deadline an hour away: the next sweeps do not read it…
    stored.set('far', t0 + 3_600_000);
    await scheduler.sweep();
    expect(asked.at(-1)).toBe(t0 + 10_000);
    expect(scheduler.pending()).toBe(0);
    // …until it comes within the horizon, still before it is due; then it fires on time.
    clock.advance(3_600_000 - 8000);
    await scheduler.sweep();
    expect(scheduler.pending()).toBe(1);
    expect(fired).toEqual([]);
    clock.advance(8000);
    await scheduler.runDue();
    expect(fired).toEqual(['far']);
  });

  it('fires a deadline armed in this process without any sweep', async () => {
    const { clock, fired, scheduler } = setup(new Map());
    await scheduler.start();
    scheduler.arm('mine', clock.now().getTime() + 30_000);
    clock.advance(29_999);
    await scheduler.runDue();
    expect(fired).toEqual([]);
    clock.advance(1);
    await scheduler.runDue();
    expect(fired).toEqual(['mine']);
  });
});
