import { describe, expect, it } from 'vitest';
import { DEFAULT_DISPATCH, onCreated, onDeadline, ring1, ring2, type AlertSnapshot, type UnitCandidate } from './escalation.js';

const u = (id: string, quadrantIds: string[], state: UnitCandidate['state'] = 'available', distanceM: number | null = null): UnitCandidate => ({ id, quadrantIds, state, distanceM });
const snap = (over: Partial<AlertSnapshot> = {}): AlertSnapshot => ({ status: 'new', ring: 0, quadrantId: 'Q1', createdAt: 1000, alreadyPaged: new Set(), ...over });

describe('escalation ladder', () => {
  const units = [
    u('a', ['Q1']), u('b', ['Q1'], 'busy'), u('c', ['Q1'], 'off_duty'),
    u('n1', ['Q2'], 'available', 900), u('n2', ['Q3'], 'busy', 100),
    u('far', ['Q9'], 'available', 5000), u('near', ['Q8'], 'available', 300), u('x', ['Q7'], 'available', null),
  ];

  it("pages the quadrant's available units first, never busy or off-duty ones", () => {
    expect(ring1('Q1', units, new Set())).toEqual(['a']);
    expect(onCreated(snap(), ['Q2', 'Q3'], units, DEFAULT_DISPATCH)).toEqual({ kind: 'page', ring: 1, unitIds: ['a'], stage: 1, nextDeadline: 1000 + 30_000 });
  });

  it('rings neighbouring quadrants and the nearest available units next, skipping those already paged', () => {
    expect(ring2(['Q2', 'Q3'], units, new Set(['a']), 1)).toEqual(['n1', 'near']);
    expect(ring2(['Q2', 'Q3'], units, new Set(['a', 'n1']), 2)).toEqual(['far', 'near']);
  });

  it('never pages a far unit as "nearest": beyond the distance cap only 911 helps', () => {
    expect(ring2([], units, new Set(), 3, 500)).toEqual(['near']);
    expect(ring2([], units, new Set(), 3, 1000)).toEqual(['n1', 'near']);
  });

  it('goes to ring 2 straight away when the quadrant has nobody available', () => {
    const d = onCreated(snap({ quadrantId: 'Q5' }), ['Q2'], units, DEFAULT_DISPATCH);
    expect(d).toMatchObject({ kind: 'page', ring: 2, stage: 2, nextDeadline: 1000 + 90_000 });
  });

  it('hands an alert outside every quadrant, or with nobody to page at all, to 911 at once', () => {
    expect(onCreated(snap({ quadrantId: null }), [], units, DEFAULT_DISPATCH)).toEqual({ kind: 'escalate' });
    expect(onCreated(snap(), [], [u('b', ['Q1'], 'busy')], DEFAULT_DISPATCH)).toEqual({ kind: 'escalate' });
  });

  it('at the acknowledgement deadline pages ring 2, then at escalateAfter hands over to 911', () => {
    const paged = new Set(['a']);
    const d1 = onDeadline(snap({ status: 'paging', ring: 1, alreadyPaged: paged }), 31_000, ['Q2'], units, DEFAULT_DISPATCH);
    expect(d1).toMatchObject({ kind: 'page', ring: 2, stage: 2, nextDeadline: 91_000 });
    expect(d1.kind === 'page' && d1.unitIds.includes('a')).toBe(false);
    expect(onDeadline(snap({ status: 'paging', ring: 2, alreadyPaged: paged }), 91_000, ['Q2'], units, DEFAULT_DISPATCH)).toEqual({ kind: 'escalate' });
  });

  it('waits for escalateAfter when ring 2 has nobody new to page', () => {
    const all = new Set(units.map((x) => x.id));
    expect(onDeadline(snap({ status: 'paging', ring: 1, alreadyPaged: all }), 31_000, ['Q2'], units, DEFAULT_DISPATCH)).toEqual({ kind: 'wait', stage: 2, nextDeadline: 91_000 });
  });

  it('escalates directly when the deadline is processed late, after escalateAfter (e.g. after a restart)', () => {
    expect(onDeadline(snap({ status: 'paging', ring: 1, alreadyPaged: new Set(['a']) }), 500_000, ['Q2'], units, DEFAULT_DISPATCH)).toEqual({ kind: 'escalate' });
  });

  it('does nothing once a human has the alert or it was already escalated', () => {
    for (const status of ['acknowledged', 'en_route', 'resolved', 'cancelled', 'escalated'] as const) {
      expect(onDeadline(snap({ status, ring: 1 }), 500_000, [], units, DEFAULT_DISPATCH)).toEqual({ kind: 'none' });
    }
  });
});
