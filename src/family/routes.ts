// HTTP face of the family context: a citizen's trusted contacts, code word and check-ins, and the
// contact's side of a check-in link.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { negotiateLang } from '../kernel/index.js';
import { errorResponses } from '../http/route-contract.js';
import { AnswerBody, AnswerResult, Checkin, CheckinBody, CodeWordBody, CodeWordCheck, CodeWordCheckBody, Contact, ContactBody, LinkBody, LinkState } from '../contracts/family.js';
import { bearerSecurity } from '../http/auth.js';
import type { CheckinService } from './service.js';

export interface FamilyRoutesOptions { checkins: CheckinService }

// Every route here is the citizen's own but the two link routes (the token is the credential).
const own = [400, 401, 403] as const;
const withBody = [413, 415] as const;

export const familyRoutes: FastifyPluginAsyncTypebox<FamilyRoutesOptions> = async (app, o) => {
  // ——— trusted contacts, code word, check-ins (a citizen's own) ———
  const citizen = { access: 'alerts:raise' as const };
  app.get('/api/v1/contacts', { schema: { tags: ['family'], summary: 'My trusted contacts', security: bearerSecurity, response: { 200: Type.Array(Contact), ...errorResponses(401, 403) } }, config: citizen },
    async (req) => o.checkins.contacts(req.principal!.userId));
  app.post('/api/v1/contacts', {
    schema: { tags: ['family'], summary: 'Add a trusted contact (entered by hand: the app never reads the phone book)', security: bearerSecurity,
      body: ContactBody, response: { 201: Contact, ...errorResponses(...own, ...withBody) } },
    config: citizen,
  }, async (req, reply) => reply.status(201).send(await o.checkins.addContact(req.principal!.userId, req.body.name, req.body.phone)));
  app.delete('/api/v1/contacts/:id', { schema: { tags: ['family'], summary: 'Remove a contact', params: Type.Object({ id: Type.String({ maxLength: 64 }) }), security: bearerSecurity, response: { 204: Type.Null(), ...errorResponses(...own, 404, 414) } }, config: citizen },
    async (req, reply) => { await o.checkins.removeContact(req.principal!.userId, req.params.id); return reply.status(204).send(null); });
  app.put('/api/v1/code-word', {
    // 503: the password-hashing pool is full (the word is hashed like a password).
    schema: { tags: ['family'], summary: 'Set the family code word (stored only as a hash)', security: bearerSecurity, body: CodeWordBody, response: { 204: Type.Null(), ...errorResponses(...own, ...withBody, 503) } },
    config: citizen,
  }, async (req, reply) => { await o.checkins.setCodeWord(req.principal!.userId, req.body.word); return reply.status(204).send(null); });
  app.post('/api/v1/code-word/check', {
    schema: { tags: ['family'], summary: 'Does this word match the family code word? (misses make the next try wait longer)', security: bearerSecurity, body: CodeWordCheckBody, response: { 200: CodeWordCheck, ...errorResponses(...own, ...withBody, 429, 503) } },
    config: citizen,
  }, async (req) => o.checkins.checkCodeWord(req.principal!.userId, req.body.word, req.networkKey));
  app.get('/api/v1/checkins', { schema: { tags: ['family'], summary: 'My recent check-ins and their answers', security: bearerSecurity, response: { 200: Type.Array(Checkin), ...errorResponses(401, 403) } }, config: citizen },
    async (req) => o.checkins.list(req.principal!.userId));
  app.post('/api/v1/checkins', {
    schema: { tags: ['family'], summary: '"¿Estás bien?": send a contact a link to answer (limited per device per day and per destination)', security: bearerSecurity, body: CheckinBody, response: { 201: Checkin, ...errorResponses(...own, 404, ...withBody, 429) } },
    config: citizen,
  }, async (req, reply) => reply.status(201).send(await o.checkins.ask(req.principal!.userId, req.body.contactId, negotiateLang(req.headers['accept-language']))));
  // The contact's side. The token is the only credential: it travels in the link's fragment
  // (never sent to a server by the browser) and then in a POST body — never in a URL path, where
  // access logs, proxies and Referer headers would keep it.
  app.post('/api/v1/checkin-links/status', {
    schema: { tags: ['family'], summary: "The contact's side: is this check-in still open?", body: LinkBody, response: { 200: LinkState, ...errorResponses(400, 404, ...withBody) } },
  }, async (req) => o.checkins.byToken(req.body.token));
  app.post('/api/v1/checkin-links/answer', {
    schema: {
      tags: ['family'], summary: '"Estoy bien" or "Necesito ayuda" (help raises an alert where the contact is); one answer per link (409 CHECKIN_ANSWERED), but "fine" may still become "need help"',
      body: AnswerBody,
      response: { 200: AnswerResult, ...errorResponses(400, 404, 409, ...withBody) },
    },
  }, async (req) => {
    const { token, answer, lat, lon } = req.body;
    return o.checkins.answer(token, answer, lat !== undefined && lon !== undefined ? { lat, lon } : null);
  });
};
