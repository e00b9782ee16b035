import { useCallback, useState } from 'preact/hooks';
import type { StaffSession, TabSession } from './session.js';

/** A staff page's sign-in state, kept in `store`; `expiredNotice` says the server ended it. */
export function useStaffSession(store: TabSession) {
  const [session, setSession] = useState<StaffSession | null>(store.load);
  const [expiredNotice, setExpiredNotice] = useState(false);
  const signedIn = useCallback((s: StaffSession) => { store.save(s); setExpiredNotice(false); setSession(s); }, [store]);
  const signedOut = useCallback(() => { store.save(null); setSession(null); }, [store]);
  const expired = useCallback(() => { store.save(null); setExpiredNotice(true); setSession(null); }, [store]);
  return { session, expiredNotice, signedIn, signedOut, expired };
}
