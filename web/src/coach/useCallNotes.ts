import { useCallback, useEffect, useState } from 'preact/hooks';
import type { Channel } from './api.js';

// What the person jots down during the call, used to pre-fill the report. Kept in sessionStorage:
// it survives a reload or a detour to another app, and is gone when the tab is closed.

export interface CallNotes {
  number: string;
  channel: Channel;
  type: string;
  claimed: string;
  amount: string;
  paid: boolean;
  clabe: string;
  card: string;
  notes: string;
}

const KEY = 'cuadrante.call.notes';
const EMPTY: CallNotes = { number: '', channel: 'call', type: '', claimed: '', amount: '', paid: false, clabe: '', card: '', notes: '' };

function load(): CallNotes {
  let saved: Partial<CallNotes> = {};
  try { saved = JSON.parse(sessionStorage.getItem(KEY) ?? '{}') as Partial<CallNotes>; } catch { /* none */ }
  // "Si te llamaron, repórtalo" on the citizen page links here with the number.
  const fromLink = new URLSearchParams(location.search).get('numero');
  return { ...EMPTY, ...saved, ...(fromLink ? { number: fromLink } : {}) };
}

export function useCallNotes() {
  const [notes, setNotes] = useState<CallNotes>(load);
  useEffect(() => {
    try { sessionStorage.setItem(KEY, JSON.stringify(notes)); } catch { /* storage disabled */ }
  }, [notes]);
  const update = useCallback((patch: Partial<CallNotes>) => setNotes((n) => ({ ...n, ...patch })), []);
  const clear = useCallback(() => setNotes({ ...EMPTY }), []);
  return { notes, update, clear };
}
