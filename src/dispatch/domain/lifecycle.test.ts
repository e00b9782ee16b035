import { describe, expect, it } from 'vitest';
import { ACTIONS, ALERT_STATUSES, checkTransition, isOpen, TRANSITIONS, type Action, type Actor, type AlertStatus } from './lifecycle.js';

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
    for (const a of ACTIONS) {
      const t = TRANSITIONS[a];
      expect(ALERT_STATUSES).toContain(t.to);
      for (const f of t.from) expect(ALERT_STATUSES).toContain(f);
    }
    for (const closed of ['resolved', 'cancelled'] as const) {
      expect(isOpen(closed)).toBe(false);
      for (const a of ACTIONS) for (const actor of ['system', 'owner', 'unit', 'dispatcher'] as const) {
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
});
