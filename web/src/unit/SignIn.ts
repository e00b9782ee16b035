import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import { ApiError, NetworkError } from '../shared/api.js';
import { login } from '../shared/dispatchApi.js';
import { common } from '../shared/i18n.js';
import type { StaffSession } from '../shared/session.js';
import type { Lang } from '../shared/types.js';
import { strings } from './strings.js';

interface Props { lang: Lang; notice: string | null; onSignedIn: (session: StaffSession) => void; onGesture: () => void }

export function SignIn({ lang, notice, onSignedIn, onGesture }: Props) {
  const t = strings[lang];
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (e: Event) => {
    e.preventDefault();
    onGesture(); // a tap: the moment the browser lets the page make sound later
    setBusy(true);
    setError(null);
    try {
      const session = await login(username.trim(), password, { lang });
      if (session.user.role !== 'unit' || !session.user.unitId) setError(t.notAUnit);
      else onSignedIn(session);
    } catch (err) {
      setError(err instanceof ApiError && err.message ? err.message : err instanceof NetworkError ? common[lang].networkError : common[lang].genericError);
    } finally {
      setBusy(false);
    }
  };

  return html`
    <form class="sign-in" onSubmit=${submit} data-testid="unit-sign-in">
      <h1>${t.signInTitle}</h1>
      <p>${t.signInIntro}</p>
      ${notice && html`<p class="notice" role="status">${notice}</p>`}
      <label for="username">${t.username}</label>
      <input id="username" data-testid="unit-username" autocomplete="username" autocapitalize="none" spellcheck="false" required
        value=${username} onInput=${(e: Event) => setUsername((e.target as HTMLInputElement).value)} />
      <label for="password">${t.password}</label>
      <input id="password" data-testid="unit-password" type="password" autocomplete="current-password" required
        value=${password} onInput=${(e: Event) => setPassword((e.target as HTMLInputElement).value)} />
      ${error && html`<p class="error" role="alert" data-testid="unit-sign-in-error">${error}</p>`}
      <button type="submit" class="primary" data-testid="unit-sign-in-submit" disabled=${busy}>${busy ? t.signingIn : t.signIn}</button>
    </form>`;
}
