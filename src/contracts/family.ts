// What the family routes answer: a citizen's trusted contacts, code word checks, check-ins, and
// the contact's side of a check-in link. Imports nothing but typebox (the pages import these types).
import { Type, type Static } from 'typebox';
import { IsoTime, Nullable } from './common.js';

export const Contact = Type.Object({ id: Type.String(), name: Type.String(), phone: Type.String({ description: 'E.164' }), createdAt: IsoTime() });
export type Contact = Static<typeof Contact>;

export const CheckinStatus = Type.Union([Type.Literal('pending'), Type.Literal('fine'), Type.Literal('need_help'), Type.Literal('expired')]);
export type CheckinStatus = Static<typeof CheckinStatus>;

/** A check-in as its sender sees it (GET /api/v1/checkins and the `checkin` realtime message). */
export const Checkin = Type.Object({
  id: Type.String(), contactId: Type.String(), contactName: Type.String(), status: CheckinStatus,
  createdAt: IsoTime(), answeredAt: Nullable(IsoTime()), alertId: Nullable(Type.String()),
});
export type Checkin = Static<typeof Checkin>;

export const CodeWordCheck = Type.Object({ set: Type.Boolean(), matches: Type.Boolean() });
export type CodeWordCheck = Static<typeof CodeWordCheck>;

/** What the contact's link says about itself: nothing about who asked. */
export const LinkState = Type.Object({ status: CheckinStatus, expiresAt: IsoTime() });
export type LinkState = Static<typeof LinkState>;

export const Answer = Type.Union([Type.Literal('fine'), Type.Literal('need_help')]);
export type Answer = Static<typeof Answer>;

export const AnswerResult = Type.Object({ status: CheckinStatus, alertId: Nullable(Type.String({ description: 'The alert raised for "need help" (when a position came with it)' })) });
export type AnswerResult = Static<typeof AnswerResult>;

// ——— requests ———

export const ContactBody = Type.Object({ name: Type.String({ minLength: 1, maxLength: 80 }), phone: Type.String({ minLength: 3, maxLength: 32 }) }, { additionalProperties: false });
export type ContactBody = Static<typeof ContactBody>;
export const CodeWordBody = Type.Object({ word: Type.String({ minLength: 3, maxLength: 64 }) }, { additionalProperties: false });
export const CodeWordCheckBody = Type.Object({ word: Type.String({ minLength: 1, maxLength: 64 }) }, { additionalProperties: false });
export const CheckinBody = Type.Object({ contactId: Type.String({ maxLength: 64 }) }, { additionalProperties: false });
/** A link's token: the only credential, carried in a POST body (never a URL, where logs would keep it). */
export const LinkToken = Type.String({ minLength: 10, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' });
export const LinkBody = Type.Object({ token: LinkToken }, { additionalProperties: false });
export const AnswerBody = Type.Object({
  token: LinkToken, answer: Answer,
  lat: Type.Optional(Type.Number({ minimum: -90, maximum: 90 })), lon: Type.Optional(Type.Number({ minimum: -180, maximum: 180 })),
}, { additionalProperties: false });
export type AnswerBody = Static<typeof AnswerBody>;
