// Shapes of the family API (src/family/routes.ts: /api/v1/contacts, /code-word, /checkins and
// /checkin-links): the server's own contract, imported as types only.
export type { Answer, AnswerResult, Checkin, CheckinStatus, CodeWordCheck, Contact, LinkState } from '../../../src/contracts/family.js';
