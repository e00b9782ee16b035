// What each kind of account may do, as the stories the product promises — not a copy of the grant
// table: a grant moved by mistake breaks a sentence here.
import { describe, expect, it } from 'vitest';
import { can, isRole, PERMISSIONS, ROLES, type Permission, type Role } from './roles.js';

const people = ROLES.filter((r) => r !== 'gateway');
const staff: Role[] = ['unit', 'dispatcher', 'analyst', 'admin'];
const allowed = (role: Role) => PERMISSIONS.filter((p) => can(role, p));

describe('roles', () => {
  it('lets only an admin create accounts, change roles, read the audit log or redraw the city', () => {
    for (const p of ['users:manage', 'audit:read', 'quadrants:manage', 'contacts:manage', 'units:manage', 'extortion:protect'] as Permission[]) {
      expect(ROLES.filter((r) => can(r, p)), p).toEqual(['admin']);
    }
  });

  it('lets an admin do anything, so no other role can do something an admin cannot', () => {
    expect(allowed('admin')).toEqual([...PERMISSIONS]);
    for (const role of ROLES) for (const p of allowed(role)) expect(can('admin', p), `${role}: ${p}`).toBe(true);
  });

  it('lets a citizen press the panic button and see nothing staff see', () => {
    expect(allowed('citizen')).toEqual(['alerts:raise']);
    expect(can('citizen', 'units:read')).toBe(false);
    expect(can('citizen', 'stats:read')).toBe(false);
  });

  it('lets every person raise an alert, for themselves or on someone\'s behalf, but not the analysts (they work no street)', () => {
    expect(people.filter((r) => can(r, 'alerts:raise'))).toEqual(['citizen', 'unit', 'dispatcher', 'admin']);
  });

  it('lets a patrol unit work its alerts and its shift, but not run the console, see KPIs or create units', () => {
    expect(can('unit', 'alerts:respond')).toBe(true);
    expect(can('unit', 'units:shift')).toBe(true);
    expect(can('unit', 'alerts:dispatch')).toBe(false);
    expect(can('unit', 'stats:read')).toBe(false);
    expect(can('unit', 'units:manage')).toBe(false);
  });

  it('lets a dispatcher run the console and read the KPIs, but not answer as a unit or manage units', () => {
    expect(can('dispatcher', 'alerts:dispatch')).toBe(true);
    expect(can('dispatcher', 'stats:read')).toBe(true);
    expect(can('dispatcher', 'alerts:respond')).toBe(false);
    expect(can('dispatcher', 'units:manage')).toBe(false);
  });

  it('lets an analyst review extortion reports and import crime statistics, but not dispatch or protect numbers', () => {
    expect(can('analyst', 'extortion:review')).toBe(true);
    expect(can('analyst', 'crimes:import')).toBe(true);
    expect(can('analyst', 'alerts:dispatch')).toBe(false);
    expect(can('analyst', 'extortion:protect')).toBe(false);
  });

  it('shows the list of units (callsigns, phones) to staff only', () => {
    expect(ROLES.filter((r) => can(r, 'units:read'))).toEqual(staff);
  });

  it('lets a fleet gateway — a machine — post positions and nothing a person does; no person posts batches', () => {
    expect(allowed('gateway')).toEqual(['positions:ingest']);
    expect(people.filter((r) => can(r, 'positions:ingest'))).toEqual(['admin']);
  });

  it('recognises the five audiences and the gateway, and a stored role only when it is spelled exactly', () => {
    for (const r of ['citizen', 'unit', 'dispatcher', 'analyst', 'admin', 'gateway']) expect(isRole(r), r).toBe(true);
    expect(ROLES).toHaveLength(6);
    for (const s of ['root', '', 'Admin', 'dispatcher ', 'gateway\n']) expect(isRole(s), JSON.stringify(s)).toBe(false);
  });
});
