import { useState } from 'preact/hooks';
import { login } from './dispatchApi.js';
import { failureMessage } from './errors.js';
import type { StaffSession } from './session.js';
import type { Lang } from './types.js';

/**
 * A username and password form's state and submission. `accept` gets the new session and answers
 * the words to show when this page cannot use it, or null once it has taken it.
 */
export function useSignIn(lang: Lang, accept: (session: StaffSession) => string | null) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      setError(accept(await login(username.trim(), password, { lang })));
    } catch (err) {
      setError(failureMessage(err, lang));
    } finally {
      setBusy(false);
    }
  };

  const field = (set: (v: string) => void) => (e: Event) => set((e.target as HTMLInputElement).value);
  return { username, password, busy, error, submit, onUsername: field(setUsername), onPassword: field(setPassword) };
}
