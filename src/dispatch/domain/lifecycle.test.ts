import { describe, expect, it } from 'vitest';
import { ALERT_STATUSES, checkTransition, EVENTS, isOpen, step, TRANSITIONS, type Action, type Actor, type AlertStatus, type LifecycleEvent, type LifecycleFacts } from './lifecycle.js';

const ACTORS = ['system', 'owner', 'unit', 'dispatcher'] as const;
const fresh = (over: Partial<LifecycleFacts> = {}): LifecycleFacts => ({
  status: 'new', hold: null, duress: false, escalatedAt: null, ring: 0, nextDeadlineAt: null, assignedUnitId: null, outcome: null,
  confirmedAt: null, acknowledgedAt: null, enRouteAt: null, onSceneAt: null, closedAt: null, ...over,
});

describe('alert lifecycle', () => {
  it.each<[AlertStatus, Action, Actor, AlertStatus]>([
    ['new', 'page', 'system', 'paging'],
    ['paging', 'acknowledge', 'unit', 'acknowledged'],
    ['escalated', 'acknowledge', 'unit', 'acknowledged'],
    ['acknowledged', 'en_route', 'unit', 'en_route'],
    ['en_route', 'on_scene', 'unit', 'on_scene'],
    ['acknowledged', 'on_scene', 'dispatcher', 'on_scene'],
    ['paging', 'cancel', 'owner', 'cancelled'],
    ['paging', 'escalate', 'system', 'escalated'],
    ['new', 'escalate', 'dispatcher', 'escalated'],
  ])('%s --%s by %s--> %s', (from, action, actor, to) => {
    expect(checkTransition(from, action, actor)).toEqual({ ok: true, to });
  });

  it.each<[AlertStatus, Action, Actor, string]>([
    ['resolved', 'acknowledge', 'unit', 'invalid_transition'],
    ['cancelled', 'cancel', 'owner', 'invalid_transition'],
    ['paging', 'en_route', 'unit', 'invalid_transition'],
    ['on_scene', 'cancel', 'owner', 'invalid_transition'],
    ['escalated', 'escalate', 'system', 'invalid_transition'],
    ['paging', 'acknowledge', 'owner', 'not_allowed'],
    ['paging', 'escalate', 'unit', 'not_allowed'],
    ['on_scene', 'resolve', 'owner', 'not_allowed'],
  ])('refuses %s --%s by %s (%s)', (from, action, actor, reason) => {
    expect(checkTransition(from, action, actor)).toEqual({ ok: false, reason });
  });

  it('requires an outcome to resolve', () => {
    expect(checkTransition('on_scene', 'resolve', 'unit')).toEqual({ ok: false, reason: 'outcome_required' });
    expect(checkTransition('on_scene', 'resolve', 'unit', 'attended')).toEqual({ ok: true, to: 'resolved' });
  });

  it('is closed over its states: every transition starts and ends in a known state, and closed states have no way out', () => {
    for (const a of EVENTS) {
      for (const [from, to] of Object.entries(TRANSITIONS[a].edges)) {
        expect(ALERT_STATUSES).toContain(from);
        expect(ALERT_STATUSES).toContain(to);
      }
    }
    for (const closed of ['resolved', 'cancelled'] as const) {
      expect(isOpen(closed)).toBe(false);
      for (const a of EVENTS) for (const actor of ACTORS) {
        expect(checkTransition(closed, a, actor, 'attended').ok).toBe(false);
      }
    }
  });

  it('lets every open alert still reach a human: an unanswered one can always be acknowledged or escalated', () => {
    for (const s of ['new', 'paging'] as const) {
      expect(checkTransition(s, 'acknowledge', 'dispatcher').ok).toBe(true);
      expect(checkTransition(s, 'escalate', 'system').ok).toBe(true);
    }
    expect(checkTransition('escalated', 'acknowledge', 'dispatcher').ok).toBe(true);
  });

  it('takes assign, paging, duress and confirm as transitions of the table', () => {
    expect(checkTransition('paging', 'assign', 'dispatcher')).toEqual({ ok: true, to: 'acknowledged' });
    expect(checkTransition('escalated', 'assign', 'dispatcher')).toEqual({ ok: true, to: 'acknowledged' });
    expect(checkTransition('en_route', 'assign', 'dispatcher')).toEqual({ ok: true, to: 'en_route' });
    expect(checkTransition('resolved', 'assign', 'dispatcher')).toEqual({ ok: false, reason: 'invalid_transition' });
    expect(checkTransition('paging', 'assign', 'unit')).toEqual({ ok: false, reason: 'not_allowed' });
    expect(checkTransition('paging', 'page', 'system')).toEqual({ ok: true, to: 'paging' });
    expect(checkTransition('acknowledged', 'page', 'system')).toEqual({ ok: false, reason: 'invalid_transition' });
    expect(checkTransition('en_route', 'duress_cancel', 'owner')).toEqual({ ok: true, to: 'en_route' });
    expect(checkTransition('on_scene', 'duress_cancel', 'owner')).toEqual({ ok: false, reason: 'invalid_transition' });
    expect(checkTransition('paging', 'duress_cancel', 'dispatcher')).toEqual({ ok: false, reason: 'not_allowed' });
  });

  it('shows the owner of a duress-cancelled alert a cancelled one: every further act of theirs is refused as such', () => {
    for (const e of ['cancel', 'duress_cancel'] as const) {
      expect(checkTransition('paging', e, 'owner', null, false, { duress: true })).toEqual({ ok: false, reason: 'invalid_transition' });
    }
    expect(step(fresh({ status: 'paging', duress: true }), 'cancel', 'owner', 5)).toEqual({ ok: false, reason: 'invalid_transition', seen: 'cancelled' });
    // …while staff still work it where it is.
    expect(checkTransition('paging', 'acknowledge', 'unit', null, false, { duress: true })).toEqual({ ok: true, to: 'acknowledged' });
  });

  it('escalates once: escalatedAt is the one record, and only the escalate event leads into `escalated`', () => {
    for (const e of EVENTS) for (const [from, to] of Object.entries(TRANSITIONS[e].edges)) if (to === 'escalated' && from !== 'escalated') expect(e).toBe('escalate');
    const s = step(fresh({ status: 'paging', nextDeadlineAt: 10 }), 'escalate', 'system', 7);
    expect(s).toMatchObject({ ok: true, to: 'escalated', alert: { status: 'escalated', escalatedAt: 7, nextDeadlineAt: null } });
    const acked = step(fresh({ status: 'escalated', escalatedAt: 7 }), 'acknowledge', 'unit', 9, { unitId: 'u1' });
    expect(acked).toMatchObject({ ok: true, alert: { status: 'acknowledged', escalatedAt: 7, acknowledgedAt: 9, assignedUnitId: 'u1' } });
    // Never twice, even from a status that would allow it (data from before 0006).
    expect(checkTransition('paging', 'escalate', 'dispatcher', null, false, { escalated: true })).toEqual({ ok: false, reason: 'invalid_transition' });
  });

  it('is exhaustive: every event of every state and actor either is refused or yields a known state, with the effects of that event', () => {
    const facts = [fresh(), fresh({ hold: 'saturation' }), fresh({ duress: true }), fresh({ escalatedAt: 1 })];
    let allowed = 0;
    for (const status of ALERT_STATUSES) for (const e of EVENTS) for (const actor of ACTORS) for (const f of facts) {
      const s = step({ ...f, status }, e, actor, 100, { outcome: 'attended', unitId: 'u9', ring: 2, nextDeadlineAt: 200, reason: 'saturation' });
      if (!s.ok) { expect(['invalid_transition', 'not_allowed', 'outcome_required']).toContain(s.reason); continue; }
      allowed++;
      expect(ALERT_STATUSES).toContain(s.alert.status);
      expect(s.alert.status).toBe(TRANSITIONS[e].edges[status]);
      // The escalation clock runs only while nobody has it.
      if (s.alert.status !== 'new' && s.alert.status !== 'paging') expect(s.alert.nextDeadlineAt).toBeNull();
      // Into `escalated` only with its record (staying there is the caller's own row, from before 0006).
      if (s.alert.status === 'escalated' && status !== 'escalated') expect(s.alert.escalatedAt).toBe(e === 'escalate' ? 100 : f.escalatedAt);
      if (f.hold !== null && actor === 'system') expect(e).toBe('hold');
    }
    expect(allowed).toBeGreaterThan(40);
  });

  it('stamps each event with its own effect', () => {
    const cases: [LifecycleEvent, Partial<LifecycleFacts>, Partial<LifecycleFacts>][] = [
      ['page', { status: 'new' }, { status: 'paging', ring: 1, nextDeadlineAt: 30 }],
      ['hold', { status: 'new' }, { status: 'new', hold: 'unverified_sos' }],
      ['confirm', { status: 'new', hold: 'saturation' }, { status: 'new', hold: null, confirmedAt: 5 }],
      ['assign', { status: 'paging', hold: 'saturation' }, { status: 'acknowledged', assignedUnitId: 'u2', acknowledgedAt: 5, hold: null }],
      ['resolve', { status: 'on_scene' }, { status: 'resolved', closedAt: 5, outcome: 'referred' }],
      ['duress_cancel', { status: 'paging' }, { status: 'paging', duress: true }],
    ];
    const actorOf: Record<string, Actor> = { page: 'system', hold: 'system', confirm: 'dispatcher', assign: 'dispatcher', resolve: 'unit', duress_cancel: 'owner' };
    for (const [e, before, after] of cases) {
      const s = step(fresh(before), e, actorOf[e]!, 5, { ring: 1, nextDeadlineAt: 30, reason: 'unverified_sos', unitId: 'u2', outcome: 'referred' });
      expect(s).toMatchObject({ ok: true, alert: after });
    }
  });
});
