import { html } from 'htm/preact';
import { logout } from './dispatchApi.js';
import type { StaffSession } from './session.js';
import type { Lang } from './types.js';
import { useSignIn } from './useSignIn.js';

/** The page's own words for its sign-in form. */
export interface LoginStrings {
  signInTitle: string;
  username: string;
  password: string;
  signIn: string;
  signingIn: string;
  /** Shown when the account is real but its role may not use this page. */
  notAllowed: string;
}

interface Props {
  lang: Lang;
  strings: LoginStrings;
  /** The roles this page accepts. */
  allowed: (role: string) => boolean;
  /** The submit button's class, to match the page's own buttons. */
  submitClass?: string;
  notice: string | null;
  onSignedIn: (s: StaffSession) => void;
}

/** Username and password sign-in for a staff page (analysts, operations console). */
export function StaffLogin({ lang, strings: t, allowed, submitClass, notice, onSignedIn }: Props) {
  const { username, password, busy, error, submit, onUsername, onPassword } = useSignIn(lang, (session) => {
    if (!allowed(session.user.role)) {
      // Leave no token behind for an account that cannot use this page.
      void logout({ lang, token: session.token }).catch(() => undefined);
      return t.notAllowed;
    }
    onSignedIn(session);
    return null;
  });

  return html`
    <main class="login">
      <form class="login-card" onSubmit=${submit} data-testid="login-form">
        <h1>${t.signInTitle}</h1>
        ${notice && html`<p class="warning" data-testid="login-notice">${notice}</p>`}
        <label>${t.username}
          <input type="text" name="username" autocomplete="username" required data-testid="login-username"
            value=${username} onInput=${onUsername} />
        </label>
        <label>${t.password}
          <input type="password" name="password" autocomplete="current-password" required data-testid="login-password"
            value=${password} onInput=${onPassword} />
        </label>
        ${error && html`<p class="error" role="alert" data-testid="login-error">${error}</p>`}
        <button type="submit" class=${submitClass} data-testid="login-submit" disabled=${busy}>${busy ? t.signingIn : t.signIn}</button>
      </form>
    </main>`;
}
