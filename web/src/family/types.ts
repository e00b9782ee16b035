import type { CheckinStatus } from '../shared/alerts.js';

// Shapes of the family API (src/extortion/checkins.ts, routes under /api/v1/contacts,
// /code-word, /checkins and /checkin-links) as these pages read them. A check-in itself is
// shared with the realtime messages, so it lives in shared/alerts.ts.

export type { Checkin, CheckinStatus } from '../shared/alerts.js';

export interface Contact { id: string; name: string; phone: string; createdAt?: string }

export interface CodeWordCheck { set: boolean; matches: boolean }

/** What the contact's link says about itself: nothing about who asked. */
export interface LinkState { status: CheckinStatus; expiresAt: string }

export type Answer = 'fine' | 'need_help';
export interface AnswerResult { status: CheckinStatus; alertId: string | null }
