// Shapes of the family API (src/extortion/checkins.ts, routes under /api/v1/contacts,
// /code-word, /checkins and /checkin-links) as these pages read them.

export interface Contact { id: string; name: string; phone: string; createdAt?: string }

export type CheckinStatus = 'pending' | 'fine' | 'need_help' | 'expired';

export interface Checkin {
  id: string;
  contactId?: string;
  contactName: string;
  status: CheckinStatus;
  createdAt?: string;
  answeredAt: string | null;
  alertId: string | null;
}

/** The realtime message that carries a check-in's answer to the person who asked. */
export interface CheckinMessage { type: 'checkin'; checkin: Checkin }

export interface CodeWordCheck { set: boolean; matches: boolean }

/** What the contact's link says about itself: nothing about who asked. */
export interface LinkState { status: CheckinStatus; expiresAt: string }

export type Answer = 'fine' | 'need_help';
export interface AnswerResult { status: CheckinStatus; alertId: string | null }
