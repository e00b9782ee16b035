import { describe, expect, it } from 'vitest';
import * as contracts from '../contracts/dispatch.js';
import {
  ALERT_STATUSES, CLOSED_STATUSES, OPEN_STATUSES, OUTCOMES, ROLES, UNANSWERED_STATUSES,
  checkTransition, isAnalyst, isAwaitingDispatcher, isDispatchStaff, isOpen, isOpenForOwner, isUnanswered, servesFrozenView, statusSeenBy,
} from './index.js';

const literals = (schema: { anyOf?: Array<{ const?: unknown }> }) => (schema.anyOf ?? []).map((s) => s.const);

describe('alert status groups', () => {
  it('splits every status into open or closed, and unanswered ones are open', () => {
    expect([...OPEN_STATUSES, ...CLOSED_STATUSES].sort()).toEqual([...ALERT_STATUSES].sort());
    expect(CLOSED_STATUSES).toEqual(['resolved', 'cancelled']);
    for (const s of UNANSWERED_STATUSES) expect(isOpen(s), s).toBe(true);
    expect(ALERT_STATUSES.filter(isUnanswered)).toEqual(['new', 'paging', 'escalated']);
  });

  it('names the same statuses and outcomes as the API contract the pages read', () => {
    expect(literals(contracts.AlertStatus)).toEqual([...ALERT_STATUSES]);
    expect(literals(contracts.Outcome)).toEqual([...OUTCOMES]);
  });

  it('keeps an alert waiting for a dispatcher only while it is open', () => {
    expect(isAwaitingDispatcher({ status: 'new', hold: 'saturation' })).toBe(true);
    expect(isAwaitingDispatcher({ status: 'new', hold: null })).toBe(false);
    expect(isAwaitingDispatcher({ status: 'new', hold: undefined })).toBe(false);
    // A closed alert keeps its hold reason on record, but nobody waits on it any more.
    expect(isAwaitingDispatcher({ status: 'cancelled', hold: 'unverified_sos' })).toBe(false);
    expect(isAwaitingDispatcher({ status: 'resolved', hold: 'saturation' })).toBe(false);
  });
});

describe('who is staff', () => {
  it('lets exactly the roles granted alerts:dispatch use the console, and extortion:review the analysts’ desk', () => {
    expect(ROLES.filter(isDispatchStaff)).toEqual(['dispatcher', 'admin']);
    expect(ROLES.filter(isAnalyst)).toEqual(['analyst', 'admin']);
  });

  it('refuses what a stored session may hold that is no role at all', () => {
    for (const r of [undefined, null, '', 'Admin', 'root', 'toString', '__proto__']) {
      expect(isDispatchStaff(r), String(r)).toBe(false);
      expect(isAnalyst(r), String(r)).toBe(false);
    }
  });
});

describe('the duress freeze', () => {
  it('shows the owner a duress-cancelled alert as cancelled and staff its real status', () => {
    expect(statusSeenBy('owner', 'en_route', true)).toBe('cancelled');
    expect(statusSeenBy('citizen', 'paging', true)).toBe('cancelled');
    for (const viewer of ['unit', 'dispatcher', 'system', 'admin']) expect(statusSeenBy(viewer, 'en_route', true), viewer).toBe('en_route');
    expect(statusSeenBy('owner', 'en_route', false)).toBe('en_route');
  });

  it('never counts a duress-cancelled alert as open for its owner, and serves the owner the frozen view', () => {
    expect(isOpenForOwner({ status: 'on_scene', duress: true })).toBe(false);
    expect(isOpenForOwner({ status: 'on_scene', duress: false })).toBe(true);
    expect(isOpenForOwner({ status: 'resolved', duress: false })).toBe(false);
    expect(servesFrozenView('citizen', { duress: true })).toBe(true);
    expect(servesFrozenView('citizen', { duress: false })).toBe(false);
    expect(servesFrozenView('dispatcher', { duress: true })).toBe(false);
  });
});

describe('the lifecycle table the pages ask which buttons to offer', () => {
  const allowing = (event: Parameters<typeof checkTransition>[1], actor: Parameters<typeof checkTransition>[2], held = false) =>
    ALERT_STATUSES.filter((s) => checkTransition(s, event, actor, 'attended', held).ok);

  it('lets the owner cancel while the alert is open and nobody is on scene yet', () => {
    expect(allowing('cancel', 'owner')).toEqual(['new', 'paging', 'acknowledged', 'en_route', 'escalated']);
  });

  it('lets a unit take each step only from where it makes sense', () => {
    expect(allowing('acknowledge', 'unit')).toEqual(['new', 'paging', 'escalated']);
    expect(allowing('en_route', 'unit')).toEqual(['acknowledged']);
    expect(allowing('on_scene', 'unit')).toEqual(['acknowledged', 'en_route']);
    expect(allowing('cancel', 'unit')).toEqual([]);
  });

  it('offers confirm only for a held alert, and never a move by someone the table does not name', () => {
    expect(allowing('confirm', 'dispatcher', true)).toEqual(['new']);
    expect(allowing('confirm', 'dispatcher', false)).toEqual([]);
    expect(allowing('escalate', 'owner')).toEqual([]);
    expect(checkTransition('paging', 'page', 'system', null, true)).toEqual({ ok: false, reason: 'not_allowed' });
  });
});
