// The sweep guard with a manual clock and no database: distinct unknown ids per network, a
// throttle past the allowance (at once, not at the next flush), one notice per episode, and
// networks that keep to themselves untouched.
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../kernel/index.js';
import { TrackerSweepGuard, type SweepNotice } from './sweeps.js';

function guard(max = 5) {
  const clock = new ManualClock();
  const notices: SweepNotice[] = [];
  const g = new TrackerSweepGuard(null, clock, { maxUnknownIds: max, windowMs: 3600_000, minBlockMs: 60_000 }, (n) => { notices.push(n); }, (e) => { throw e; });
  return { g, clock, notices };
}

describe('tracker sweep guard', () => {
  it('counts distinct ids: one phone repeating its unregistered id never trips it', async () => {
    const { g, notices } = guard();
    for (let i = 0; i < 100; i++) g.unknown('net-a', 'my-phone');
    await g.flush();
    expect(g.throttledFor('net-a')).toBe(0);
    expect(notices).toEqual([]);
  });

  it('throttles a network past its allowance at once, reports it once, and lets it go after a while', async () => {
    const { g, clock, notices } = guard(5);
    for (let i = 0; i < 5; i++) g.unknown('net-a', `id-${i}`);
    expect(g.throttledFor('net-a')).toBe(0);
    g.unknown('net-a', 'id-5');
    expect(g.throttledFor('net-a')).toBe(60);
    expect(g.throttledFor('net-b')).toBe(0);
    for (let i = 6; i < 20; i++) g.unknown('net-a', `id-${i}`);
    await g.flush();
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatchObject({ network: 'net-a', unknownIds: 6, windowMs: 3600_000 });
    clock.advance(61_000);
    // The window still remembers the sweep: the next new id throttles it again, a new episode with its own notice.
    expect(g.throttledFor('net-a')).toBe(0);
    g.unknown('net-a', 'id-99');
    expect(g.throttledFor('net-a')).toBeGreaterThan(0);
    expect(notices).toHaveLength(2);
  });

  it('forgets after the window', async () => {
    const { g, clock } = guard(5);
    for (let i = 0; i < 5; i++) g.unknown('net-a', `id-${i}`);
    await g.flush();
    clock.advance(3600_001);
    await g.flush();
    for (let i = 0; i < 5; i++) g.unknown('net-a', `new-${i}`);
    expect(g.throttledFor('net-a')).toBe(0);
  });
});
