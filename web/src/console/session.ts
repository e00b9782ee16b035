import { tabSession } from '../shared/session.js';
import { isDispatchStaff } from '../../../src/rules/roles.js';
import type { StaffRole } from './types.js';

// The signed-in dispatcher's token, kept for this browser tab only: a reload keeps the console
// open, closing the tab signs the workstation out of this page.

/** Who may use the console is the server's grant table (`alerts:dispatch`), not a list kept here. */
export const isStaff = (role: string): role is StaffRole => isDispatchStaff(role);

export const consoleSession = tabSession('cuadrante.console.session', isStaff);
