import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { addContact, askCheckin, listCheckins, listContacts } from '../family/api.js';
import type { Checkin, Contact } from '../family/types.js';
import type { ServerMessage } from '../shared/alerts.js';
import { deviceToken, ensureDeviceToken, forgetDeviceIfRefused } from '../shared/device.js';
import { failureMessage } from '../shared/errors.js';
import type { Lang } from '../shared/types.js';
import { useRealtime } from '../shared/useRealtime.js';

// Step 3: the person's trusted contacts (on this device's anonymous credential, the same one the
// panic button uses) and the "¿Estás bien?" check-ins sent from this page. An answer arrives live
// over the realtime socket, which is opened only while a check-in is waiting; while it is down
// the list is polled, and it is re-read once on connecting so an answer in between is not lost.

export type ContactsState = { phase: 'loading' } | { phase: 'ready'; contacts: Contact[] } | { phase: 'failed'; message: string };

const POLL_MS = 10_000;

export function useVerify(lang: Lang) {
  const [token, setToken] = useState(deviceToken);
  const [contacts, setContacts] = useState<ContactsState>(() => (token ? { phase: 'loading' } : { phase: 'ready', contacts: [] }));
  /** The latest check-in per contact id, as sent from this page. */
  const [checkins, setCheckins] = useState<ReadonlyMap<string, Checkin>>(new Map());
  const langRef = useRef(lang);
  langRef.current = lang;

  useEffect(() => {
    if (!token) return;
    listContacts({ lang, token }).then((list) => setContacts({ phase: 'ready', contacts: list }), (err: unknown) => {
      if (forgetDeviceIfRefused(err)) { setToken(null); setContacts({ phase: 'ready', contacts: [] }); }
      else setContacts({ phase: 'failed', message: failureMessage(err, langRef.current) });
    });
  }, []);

  const merge = useCallback((incoming: Checkin) => setCheckins((known) => {
    for (const [contactId, c] of known) {
      if (c.id === incoming.id) return new Map(known).set(contactId, { ...c, ...incoming });
    }
    return known;
  }), []);

  const add = useCallback(async (name: string, phone: string): Promise<void> => {
    const t = await ensureDeviceToken(langRef.current);
    setToken(t);
    const contact = await addContact(name, phone, { lang: langRef.current, token: t });
    setContacts((s) => ({ phase: 'ready', contacts: [...(s.phase === 'ready' ? s.contacts : []), contact] }));
  }, []);

  const ask = useCallback(async (contact: Contact): Promise<void> => {
    const t = deviceToken();
    if (!t) throw new Error('no device credential');
    const checkin = await askCheckin(contact.id, { lang: langRef.current, token: t });
    setCheckins((known) => new Map(known).set(contact.id, { ...checkin, contactName: checkin.contactName || contact.name }));
  }, []);

  const refresh = useCallback(() => {
    const t = deviceToken();
    if (t) listCheckins({ lang: langRef.current, token: t }).then((list) => list.forEach(merge), () => undefined);
  }, [merge]);

  const waiting = [...checkins.values()].some((c) => c.status === 'pending');
  const onMessage = useCallback((m: ServerMessage) => {
    if (m.type === 'checkin' && typeof m.checkin?.id === 'string') merge(m.checkin);
  }, [merge]);
  const { state } = useRealtime(waiting ? token : null, onMessage);

  useEffect(() => { if (state === 'connected') refresh(); }, [state, refresh]);
  useEffect(() => {
    if (!waiting || state === 'connected') return;
    const timer = setInterval(refresh, POLL_MS);
    return () => clearInterval(timer);
  }, [waiting, state, refresh]);

  return { contacts, checkins, add, ask };
}
