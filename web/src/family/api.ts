import { request, type AuthOptions } from '../shared/api.js';
import type { Lang } from '../shared/types.js';
import type { Answer, AnswerResult, Checkin, CodeWordCheck, Contact, LinkState } from './types.js';

// The family calls: the owner's (with the device credential) and the contact's (with only the
// link's token, no account at all).

export const listContacts = (opts: AuthOptions) => request<Contact[]>('GET', '/api/v1/contacts', undefined, opts);

export const addContact = (name: string, phone: string, opts: AuthOptions) =>
  request<Contact>('POST', '/api/v1/contacts', { name, phone }, opts);

export const removeContact = (id: string, opts: AuthOptions) =>
  request<void>('DELETE', `/api/v1/contacts/${encodeURIComponent(id)}`, undefined, opts);

export const setCodeWord = (word: string, opts: AuthOptions) => request<void>('PUT', '/api/v1/code-word', { word }, opts);

export const checkCodeWord = (word: string, opts: AuthOptions) =>
  request<CodeWordCheck>('POST', '/api/v1/code-word/check', { word }, opts);

export const listCheckins = (opts: AuthOptions) => request<Checkin[]>('GET', '/api/v1/checkins', undefined, opts);

export const askCheckin = (contactId: string, opts: AuthOptions) => request<Checkin>('POST', '/api/v1/checkins', { contactId }, opts);

// The link's token came in the page's fragment and goes only in POST bodies: never in a URL
// path, where server logs, proxies and Referer headers would keep it.
export const linkState = (token: string, lang: Lang) => request<LinkState>('POST', '/api/v1/checkin-links/status', { token }, { lang });

export function answerLink(token: string, answer: Answer, at: { lat: number; lon: number } | null, lang: Lang) {
  const body = at ? { token, answer, lat: at.lat, lon: at.lon } : { token, answer };
  return request<AnswerResult>('POST', '/api/v1/checkin-links/answer', body, { lang });
}
