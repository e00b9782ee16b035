import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import type { Lang } from '../shared/types.js';
import { logout } from '../shared/dispatchApi.js';
import { signIn } from './api.js';
import { isStaff } from './session.js';
import { strings } from './strings.js';
import type { Session } from './types.js';
import { failureMessage } from './useAction.js';

interface Props { lang: Lang; notice: string | null; onSignedIn: (s: Session) => void }

export function Login({ lang, notice, onSignedIn }: Props) {
  const t = strings[lang];
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const session = await signIn(username.trim(), password, lang);
      if (!isStaff(session.user.role)) {
        // Do not leave a console token behind for an account that cannot use it.
        void logout({ lang, token: session.token }).catch(() => undefined);
        setError(t.notStaff);
        return;
      }
      onSignedIn(session);
    } catch (err) {
      setError(failureMessage(err, lang));
    } finally {
      setBusy(false);
    }
  };

  return html`
    <main class="login">
      <form class="login-card" onSubmit=${submit} data-testid="login-form">
        <h1>${t.signInTitle}</h1>
        ${notice && html`<p class="warning" data-testid="login-notice">${notice}</p>`}
        <label>${t.username}
          <input type="text" name="username" autocomplete="username" required data-testid="login-username"
            value=${username} onInput=${(e: Event) => setUsername((e.target as HTMLInputElement).value)} />
        </label>
        <label>${t.password}
          <input type="password" name="password" autocomplete="current-password" required data-testid="login-password"
            value=${password} onInput=${(e: Event) => setPassword((e.target as HTMLInputElement).value)} />
        </label>
        ${error && html`<p class="error" role="alert" data-testid="login-error">${error}</p>`}
        <button type="submit" data-testid="login-submit" disabled=${busy}>${busy ? t.signingIn : t.signIn}</button>
      </form>
    </main>`;
}
