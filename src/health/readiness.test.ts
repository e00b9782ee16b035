import { describe, expect, it } from 'vitest';
import { Readiness } from './readiness.js';

const never = () => new Promise<void>(() => undefined);

describe('the readiness registry', () => {
  it('is ready when every check passes, and names the one that throws', async () => {
    const r = new Readiness();
    r.register({ name: 'database', check: () => undefined });
    r.register({ name: 'bus', check: () => { throw new Error('disconnected'); } });
    const report = await r.evaluate();
    expect(report.ready).toBe(false);
    expect(report.checks.map((c) => [c.name, c.ok, c.problem])).toEqual([['database', true, undefined], ['bus', false, 'failed']]);
    expect((report.checks[1]!.error as Error).message).toBe('disconnected');
  });

  it('counts a check that does not answer within its timeout as not ready, at that timeout', async () => {
    const r = new Readiness({ defaultTimeoutMs: 5000 });
    r.register({ name: 'consumers', check: never, timeoutMs: 60 });
    const started = Date.now();
    const report = await r.evaluate();
    expect(Date.now() - started).toBeLessThan(1000);
    expect(report.checks[0]).toMatchObject({ name: 'consumers', ok: false, problem: 'timeout', timeoutMs: 60 });
  });

  it('joins a check still running from the last probe instead of starting it again', async () => {
    let calls = 0;
    let finish = () => undefined as void;
    const r = new Readiness();
    r.register({ name: 'database', timeoutMs: 30, check: () => { calls++; return new Promise<void>((ok) => { finish = ok; }); } });
    expect((await r.evaluate()).ready).toBe(false);
    expect((await r.evaluate()).ready).toBe(false);
    expect(calls).toBe(1);
    finish();
    await new Promise((ok) => setTimeout(ok, 0));
    expect((await r.evaluate()).ready).toBe(false); // a new run, again stuck
    expect(calls).toBe(2);
  });

  it('drops a check on its removal and refuses a second check of the same name', async () => {
    const r = new Readiness();
    const off = r.register({ name: 'bus', check: () => { throw new Error('down'); } });
    expect(() => r.register({ name: 'bus', check: () => undefined })).toThrow(/already registered/);
    off();
    expect(r.names).toEqual([]);
    expect(await r.evaluate()).toEqual({ ready: true, checks: [] });
  });
});
