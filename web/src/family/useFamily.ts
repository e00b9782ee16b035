import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import type { ServerMessage } from '../shared/alerts.js';
import { deviceToken, ensureDeviceToken, forgetDeviceIfRefused } from '../shared/device.js';
import { failureMessage } from '../shared/errors.js';
import type { Lang } from '../shared/types.js';
import { useRealtime } from '../shared/useRealtime.js';
import * as api from './api.js';
import type { Checkin, Contact } from './types.js';

// The owner's side of "Mi familia", on this device's anonymous credential (the one the panic
// button uses, created on first use). A check-in's answer arrives on the realtime socket, which
// is open only while an answer is awaited; while it is down the list is polled, and it is re-read
// on every (re)connection so an answer given in between is not missed.

export type ContactsState = { phase: 'loading' } | { phase: 'ready'; contacts: Contact[] } | { phase: 'failed'; message: string };

const POLL_MS = 10_000;
const EXPIRY_POLL_MS = 60_000;

/** The newest check-in per contact; a late cry for help on an older one still shows. */
function mergeCheckin(known: ReadonlyMap<string, Checkin>, incoming: Checkin): ReadonlyMap<string, Checkin> {
  const contactId = incoming.contactId ?? [...known].find(([, c]) => c.id === incoming.id)?.[0];
  if (!contactId) return known;
  const current = known.get(contactId);
  if (current && current.id !== incoming.id && incoming.status !== 'need_help' && isNewer(current, incoming)) return known;
  return new Map(known).set(contactId, { ...current, ...incoming, contactId });
}

const isNewer = (a: Checkin, b: Checkin) => Date.parse(a.createdAt ?? '') > Date.parse(b.createdAt ?? '');

export function useFamily(lang: Lang) {
  const [token, setToken] = useState(deviceToken);
  const [contacts, setContacts] = useState<ContactsState>(() => (token ? { phase: 'loading' } : { phase: 'ready', contacts: [] }));
  const [checkins, setCheckins] = useState<ReadonlyMap<string, Checkin>>(new Map());
  const langRef = useRef(lang);
  langRef.current = lang;
  const opts = (t: string) => ({ lang: langRef.current, token: t });

  const merge = useCallback((c: Checkin) => setCheckins((known) => mergeCheckin(known, c)), []);

  const refresh = useCallback(() => {
    const t = deviceToken();
    if (!t) return;
    // Oldest first, so the newest per contact wins.
    api.listCheckins(opts(t)).then((list) => [...list].reverse().forEach(merge), () => undefined);
  }, [merge]);

  useEffect(() => {
    if (!token) return;
    api.listContacts(opts(token)).then((list) => setContacts({ phase: 'ready', contacts: list }), (err: unknown) => {
      if (forgetDeviceIfRefused(err)) { setToken(null); setContacts({ phase: 'ready', contacts: [] }); }
      else setContacts({ phase: 'failed', message: failureMessage(err, langRef.current) });
    });
    refresh();
  }, []);

  const add = useCallback(async (name: string, phone: string) => {
    const t = await ensureDeviceToken(langRef.current);
    setToken(t);
    const contact = await api.addContact(name, phone, opts(t));
    setContacts((s) => ({ phase: 'ready', contacts: [...(s.phase === 'ready' ? s.contacts : []), contact] }));
  }, []);

  const remove = useCallback(async (contact: Contact) => {
    const t = deviceToken();
    if (t) await api.removeContact(contact.id, opts(t));
    setContacts((s) => (s.phase === 'ready' ? { phase: 'ready', contacts: s.contacts.filter((c) => c.id !== contact.id) } : s));
  }, []);

  const ask = useCallback(async (contact: Contact) => {
    const t = await ensureDeviceToken(langRef.current);
    const checkin = await api.askCheckin(contact.id, opts(t));
    setCheckins((known) => new Map(known).set(contact.id, { ...checkin, contactId: contact.id, contactName: checkin.contactName || contact.name }));
  }, []);

  const saveWord = useCallback(async (word: string) => {
    const t = await ensureDeviceToken(langRef.current);
    setToken(t);
    await api.setCodeWord(word, opts(t));
  }, []);

  const checkWord = useCallback(async (word: string) => {
    const t = deviceToken();
    return t ? api.checkCodeWord(word, opts(t)) : { set: false, matches: false };
  }, []);

  const waiting = [...checkins.values()].some((c) => c.status === 'pending');
  const onMessage = useCallback((m: ServerMessage) => {
    if (m.type === 'checkin' && typeof m.checkin?.id === 'string') merge(m.checkin);
  }, [merge]);
  const { state: connection } = useRealtime(waiting ? token : null, onMessage);

  useEffect(() => { if (connection === 'connected') refresh(); }, [connection, refresh]);
  // Polls fast while the socket is down; slowly while it is up, since only the server's list
  // turns an unanswered check-in into "expired" (no message announces it).
  useEffect(() => {
    if (!waiting) return;
    const timer = setInterval(refresh, connection === 'connected' ? EXPIRY_POLL_MS : POLL_MS);
    return () => clearInterval(timer);
  }, [waiting, connection, refresh]);

  return { contacts, checkins, waiting, connection, add, remove, ask, saveWord, checkWord };
}

export type Family = ReturnType<typeof useFamily>;
