import { tabSession } from '../shared/session.js';
import { isAnalyst as mayReview } from '../../../src/rules/roles.js';
import type { AnalystRole } from './types.js';

// The signed-in analyst's token, kept for this browser tab only, like the operations console.

/** The server's grant table decides (`extortion:review`), not a list kept here. */
export const isAnalyst = (role: string | undefined): role is AnalystRole => mayReview(role);

export const analystSession = tabSession('cuadrante.analyst.session', isAnalyst);
