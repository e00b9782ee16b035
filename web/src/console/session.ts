import { tabSession } from '../shared/session.js';
import type { StaffRole } from './types.js';

// The signed-in dispatcher's token, kept for this browser tab only: a reload keeps the console
// open, closing the tab signs the workstation out of this page.

export const isStaff = (role: string): role is StaffRole => role === 'dispatcher' || role === 'admin';

export const consoleSession = tabSession('cuadrante.console.session', isStaff);
