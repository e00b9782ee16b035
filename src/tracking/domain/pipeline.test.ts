// Each pipeline step on a table of fixtures, then the whole row in order.
import { describe, expect, it } from 'vitest';
import type { Fix } from './fix.js';
import {
  DEFAULT_PIPELINE, FILTERS, assignQuadrant, dropDuplicate, dropFuture, dropImplausibleJump, dropInaccurate, dropStale, markLate, runPipeline, validate,
  type PipelineContext, type Step,
} from './pipeline.js';
import { geofenceStep, INSIDE } from './geofence.js';

const NOW = Date.UTC(2026, 10, 22, 12, 0, 0);
const fix = (over: Partial<Fix> = {}): Fix => ({
  unitId: 'u1', unitType: 'car', source: 'osmand', trackerId: 't1', at: NOW - 1000, receivedAt: NOW, lat: 19.43, lon: -99.13,
  speedMps: 8, course: 90, altitudeM: 2240, accuracyM: 8, batteryPct: 80, alarm: null, attributes: {}, quadrantId: null, late: false, ...over,
});
const ctx = (last?: Fix, over: Partial<PipelineContext> = {}): PipelineContext => ({
  now: NOW, settings: DEFAULT_PIPELINE, last: () => last, locate: (lon, lat) => (lat > 19.4 && lon < -99.1 ? 'C-1.1.3' : null), ...over,
});
const outcome = (step: Step, f: Fix, c: PipelineContext) => {
  const r = step(f, c);
  return 'drop' in r ? r.drop : 'pass';
};

describe('pipeline steps', () => {
  const last = fix({ at: NOW - 10_000 });
  it.each<[string, Step, Fix, PipelineContext, string]>([
    ['validate: a good fix', validate, fix(), ctx(), 'pass'],
    ['validate: latitude out of range', validate, fix({ lat: 91 }), ctx(), 'invalid'],
    ['validate: longitude out of range', validate, fix({ lon: -181 }), ctx(), 'invalid'],
    ['validate: NaN', validate, fix({ lat: Number.NaN }), ctx(), 'invalid'],
    ['validate: null island (0,0)', validate, fix({ lat: 0, lon: 0 }), ctx(), 'invalid'],
    ['dropFuture: 4 min ahead (clock skew)', dropFuture, fix({ at: NOW + 4 * 60_000 }), ctx(), 'pass'],
    ['dropFuture: next year', dropFuture, fix({ at: NOW + 365 * 24 * 3600_000 }), ctx(), 'future'],
    ['dropStale: an hour old (buffered)', dropStale, fix({ at: NOW - 3600_000 }), ctx(), 'pass'],
    ['dropStale: 1970', dropStale, fix({ at: 0 }), ctx(), 'stale'],
    ['dropDuplicate: same time and place again', dropDuplicate, fix({ at: last.at }), ctx(last), 'duplicate'],
    ['dropDuplicate: same time, moved', dropDuplicate, fix({ at: last.at, lat: 19.44 }), ctx(last), 'pass'],
    ['dropInaccurate: 30 m', dropInaccurate, fix({ accuracyM: 30 }), ctx(), 'pass'],
    ['dropInaccurate: 2 km (cell tower)', dropInaccurate, fix({ accuracyM: 2000 }), ctx(), 'inaccurate'],
    ['dropImplausibleJump: car, 100 m in 10 s', dropImplausibleJump, fix({ lat: last.lat + 0.0009 }), ctx(last), 'pass'],
    ['dropImplausibleJump: car, 10 km in 10 s', dropImplausibleJump, fix({ lat: last.lat + 0.09 }), ctx(last), 'implausible_speed'],
    ['dropImplausibleJump: bicycle at car speed (500 m in 10 s)', dropImplausibleJump, fix({ unitType: 'bicycle', lat: last.lat + 0.0045 }), ctx(last), 'implausible_speed'],
    ['dropImplausibleJump: no previous fix', dropImplausibleJump, fix({ lat: 19.9 }), ctx(), 'pass'],
    ['dropImplausibleJump: older than the last fix is not judged', dropImplausibleJump, fix({ at: NOW - 20_000, lat: 19.9 }), ctx(last), 'pass'],
  ])('%s', (_, step, f, c, expected) => {
    expect(outcome(step, f, c)).toBe(expected);
  });

  it('marks a fix older than the last known one as late', () => {
    const last = fix({ at: NOW - 1000 });
    expect((markLate(fix({ at: NOW - 5000 }), ctx(last)) as { fix: Fix }).fix.late).toBe(true);
    expect((markLate(fix({ at: NOW }), ctx(last)) as { fix: Fix }).fix.late).toBe(false);
  });

  it('assigns the quadrant, or none outside the city', () => {
    expect((assignQuadrant(fix(), ctx()) as { fix: Fix }).fix.quadrantId).toBe('C-1.1.3');
    expect((assignQuadrant(fix({ lat: 18 }), ctx()) as { fix: Fix }).fix.quadrantId).toBeNull();
  });

  it('runs the steps in the documented order', () => {
    expect(FILTERS.map(([name]) => name)).toEqual(['validate', 'dropFuture', 'dropStale', 'dropDuplicate', 'dropInaccurate', 'dropImplausibleJump', 'markLate', 'assignQuadrant']);
  });
});

describe('the whole pipeline', () => {
  const recorder = () => {
    const calls: string[] = [];
    return { calls, effects: { geofence: () => calls.push('geofence'), updateLast: () => calls.push('updateLast'), persist: () => calls.push('persist'), publish: () => calls.push('publish') } };
  };

  it('runs geofence, last known, persist, publish in order for a good fix', () => {
    const r = recorder();
    const out = runPipeline(fix(), ctx(), r.effects);
    expect('fix' in out && out.fix.quadrantId).toBe('C-1.1.3');
    expect(r.calls).toEqual(['geofence', 'updateLast', 'persist', 'publish']);
  });

  it('keeps a late fix in history but never moves the unit back', () => {
    const r = recorder();
    runPipeline(fix({ at: NOW - 60_000 }), ctx(fix({ at: NOW - 1000 })), r.effects);
    expect(r.calls).toEqual(['persist']);
  });

  it('stops at the first drop, touching nothing', () => {
    const r = recorder();
    expect(runPipeline(fix({ lat: 200 }), ctx(), r.effects)).toEqual({ drop: 'invalid' });
    expect(r.calls).toEqual([]);
  });
});

describe('geofence', () => {
  const allowance = 5 * 60_000;
  it('records leaving, raises one event after the allowance, and records the return', () => {
    let s = INSIDE;
    const step = (q: string | null, at: number) => { const r = geofenceStep(s, 'u1', ['C-1.1.3'], q, at, allowance); s = r.state; return r.events.map((e) => e.type); };
    expect(step('C-1.1.3', 0)).toEqual([]);
    expect(step('C-1.1.2', 1000)).toEqual(['left_assignment']);
    expect(step('C-1.1.1', 2000)).toEqual([]);
    expect(step(null, 1000 + allowance)).toEqual(['outside_too_long']);
    expect(step(null, 1000 + 2 * allowance)).toEqual([]);
    expect(step('C-1.1.3', 1000 + 3 * allowance)).toEqual(['returned']);
    expect(step('C-1.1.2', 1000 + 4 * allowance)).toEqual(['left_assignment']);
  });
  it('never flags a unit with no assignment', () => {
    expect(geofenceStep(INSIDE, 'u1', [], 'X', 0, 1).events).toEqual([]);
  });
});
