import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import { PasswordChangeStep } from '../shared/StaffLogin.js';
import type { StaffSession } from '../shared/session.js';
import type { Lang } from '../shared/types.js';
import { useSignIn } from '../shared/useSignIn.js';
import { strings } from './strings.js';

interface Props { lang: Lang; notice: string | null; onSignedIn: (session: StaffSession) => void; onGesture: () => void }

export function SignIn({ lang, notice, onSignedIn, onGesture }: Props) {
  const t = strings[lang];
  // A reset password must be replaced before the desk opens (shared/StaffLogin.ts).
  const [pending, setPending] = useState<{ session: StaffSession; password: string } | null>(null);
  const { username, password, busy, error, submit, onUsername, onPassword } = useSignIn(lang, (session) => {
    if (session.user.role !== 'unit' || !session.user.unitId) return t.notAUnit;
    if (session.mustChangePassword) { setPending({ session, password }); return null; }
    onSignedIn(session);
    return null;
  });
  const onSubmit = (e: Event) => {
    onGesture(); // a tap: the moment the browser lets the page make sound later
    void submit(e);
  };

  if (pending) {
    return html`<${PasswordChangeStep} lang=${lang} session=${pending.session} currentPassword=${pending.password} submitClass="primary"
      formClass="sign-in" onSignedIn=${onSignedIn} onCancel=${() => setPending(null)} />`;
  }
  return html`
    <form class="sign-in" onSubmit=${onSubmit} data-testid="unit-sign-in">
      <h1>${t.signInTitle}</h1>
      <p>${t.signInIntro}</p>
      ${notice && html`<p class="notice" role="status">${notice}</p>`}
      <label for="username">${t.username}</label>
      <input id="username" data-testid="unit-username" autocomplete="username" autocapitalize="none" spellcheck="false" required
        value=${username} onInput=${onUsername} />
      <label for="password">${t.password}</label>
      <input id="password" data-testid="unit-password" type="password" autocomplete="current-password" required
        value=${password} onInput=${onPassword} />
      ${error && html`<p class="error" role="alert" data-testid="unit-sign-in-error">${error}</p>`}
      <button type="submit" class="primary" data-testid="unit-sign-in-submit" disabled=${busy}>${busy ? t.signingIn : t.signIn}</button>
    </form>`;
}
