import { tabSession } from '../shared/session.js';
import type { AnalystRole } from './types.js';

// The signed-in analyst's token, kept for this browser tab only, like the operations console.

export const isAnalyst = (role: string | undefined): role is AnalystRole => role === 'analyst' || role === 'admin';

export const analystSession = tabSession('cuadrante.analyst.session', isAnalyst);
