import { describe, expect, it } from 'vitest';
import { can, isRole, PERMISSIONS, ROLES } from './roles.js';

describe('roles', () => {
  it('gives admins every permission and citizens only the panic button', () => {
    for (const p of PERMISSIONS) {
      expect(can('admin', p)).toBe(true);
      expect(can('citizen', p)).toBe(p === 'alerts:raise');
    }
  });
  it('lets units respond to alerts but not run the console', () => {
    expect(can('unit', 'alerts:respond')).toBe(true);
    expect(can('unit', 'alerts:dispatch')).toBe(false);
    expect(can('dispatcher', 'alerts:dispatch')).toBe(true);
    expect(can('dispatcher', 'units:manage')).toBe(false);
  });
  it('lets analysts import crime statistics but not manage quadrants or users', () => {
    expect(can('analyst', 'crimes:import')).toBe(true);
    expect(can('analyst', 'quadrants:manage')).toBe(false);
    expect(can('analyst', 'users:manage')).toBe(false);
  });
  it('lets a fleet gateway post positions and nothing else', () => {
    for (const p of PERMISSIONS) expect(can('gateway', p)).toBe(p === 'positions:ingest');
    expect(can('unit', 'positions:ingest')).toBe(false);
  });
  it('recognises exactly the five audiences and the gateway', () => {
    expect(ROLES).toEqual(['citizen', 'unit', 'dispatcher', 'analyst', 'admin', 'gateway']);
    expect(isRole('dispatcher')).toBe(true);
    expect(isRole('root')).toBe(false);
  });
});
