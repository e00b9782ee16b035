import { describe, expect, it } from 'vitest';
import { Lifecycle, type Part } from './composition.js';

function recorder() {
  const log: string[] = [];
  const part = (name: string, failStart = false, failStop = false): Part => ({
    name,
    start: async () => { log.push(`start ${name}`); if (failStart) throw new Error(`${name} refused`); },
    stop: async () => { log.push(`stop ${name}`); if (failStop) throw new Error(`${name} stuck`); },
  });
  return { log, part };
}

describe('Lifecycle', () => {
  it('starts parts in order and stops them in reverse, once', async () => {
    const { log, part } = recorder();
    const life = new Lifecycle([part('storage'), part('scheduler'), part('http')]);
    await life.start();
    expect(life.running).toEqual(['storage', 'scheduler', 'http']);
    await Promise.all([life.stop(), life.stop()]);
    expect(log).toEqual(['start storage', 'start scheduler', 'start http', 'stop http', 'stop scheduler', 'stop storage']);
  });

  it('a part that fails to start stops those already started, and the error reaches the caller', async () => {
    const { log, part } = recorder();
    const life = new Lifecycle([part('storage'), part('scheduler'), part('http', true), part('never')]);
    await expect(life.start()).rejects.toThrow('http refused');
    expect(log).toEqual(['start storage', 'start scheduler', 'start http', 'stop scheduler', 'stop storage']);
  });

  it('one part failing to stop does not keep the others from stopping', async () => {
    const { log, part } = recorder();
    const failed: string[] = [];
    const life = new Lifecycle([part('storage'), part('sender', false, true), part('http')], (name) => failed.push(name));
    await life.start();
    await life.stop();
    expect(log.slice(3)).toEqual(['stop http', 'stop sender', 'stop storage']);
    expect(failed).toEqual(['sender']);
  });
});
