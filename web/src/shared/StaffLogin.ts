import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import { request, type AuthOptions } from './api.js';
import { logout } from './dispatchApi.js';
import { failureMessage } from './errors.js';
import { defineStrings } from './i18n.js';
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

/** The words of the password change, the same on every staff page. */
export const passwordStrings = defineStrings({
  es: {
    title: 'Cambia tu contraseña',
    intro: 'Esta contraseña la asignó otra persona o se imprimió al instalar. Antes de entrar, elige una nueva que solo tú conozcas.',
    current: 'Contraseña actual',
    next: 'Nueva contraseña',
    repeat: 'Repite la nueva contraseña',
    hint: 'Al menos 12 caracteres. Tus otras sesiones se cerrarán.',
    submitFirst: 'Guardar y entrar',
    submit: 'Cambiar contraseña',
    saving: 'Guardando…',
    cancel: 'Cancelar',
    mismatch: 'Las dos contraseñas nuevas no coinciden.',
    tooShort: 'La nueva contraseña debe tener al menos 12 caracteres.',
    same: 'La nueva contraseña debe ser distinta de la actual.',
    changed: 'Contraseña cambiada. Tus otras sesiones se cerraron.',
  },
  en: {
    title: 'Change your password',
    intro: 'This password was set by someone else or printed at installation. Before you continue, choose a new one only you know.',
    current: 'Current password',
    next: 'New password',
    repeat: 'Repeat the new password',
    hint: 'At least 12 characters. Your other sessions will be signed out.',
    submitFirst: 'Save and continue',
    submit: 'Change password',
    saving: 'Saving…',
    cancel: 'Cancel',
    mismatch: 'The two new passwords do not match.',
    tooShort: 'The new password needs at least 12 characters.',
    same: 'The new password must differ from the current one.',
    changed: 'Password changed. Your other sessions were signed out.',
  },
});

const MIN_PASSWORD = 12;

/** POST /api/v1/auth/password: the session's own password, proven with the current one. */
export const changePassword = (currentPassword: string, newPassword: string, opts: AuthOptions) =>
  request<void>('POST', '/api/v1/auth/password', { currentPassword, newPassword }, opts);

interface ChangeProps {
  lang: Lang;
  token: string;
  /** Known when the person has just typed it to sign in: then it is not asked again. */
  currentPassword?: string;
  /** First sign-in: a heading, an explanation and "save and continue". */
  first?: boolean;
  submitClass?: string;
  /** The form's class on a first sign-in (default: the staff pages' login-card). */
  formClass?: string;
  onChanged: () => void;
  onCancel?: () => void;
}

/** A new password for the signed-in account (the server checks the rules again and has the last word). */
export function ChangePasswordForm({ lang, token, currentPassword, first, submitClass, formClass, onChanged, onCancel }: ChangeProps) {
  const t = passwordStrings[lang];
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [repeat, setRepeat] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState(false);

  const submit = async (e: Event) => {
    e.preventDefault();
    const old = currentPassword ?? current;
    const problem = next.length < MIN_PASSWORD ? t.tooShort : next !== repeat ? t.mismatch : next === old ? t.same : null;
    setError(problem);
    setDone(false);
    if (problem) return;
    setBusy(true);
    try {
      await changePassword(old, next, { lang, token });
      setCurrent(''); setNext(''); setRepeat('');
      setDone(true);
      onChanged();
    } catch (err) {
      setError(failureMessage(err, lang));
    } finally {
      setBusy(false);
    }
  };
  const field = (set: (v: string) => void) => (e: Event) => set((e.target as HTMLInputElement).value);

  return html`
    <form class=${first ? `${formClass ?? 'login-card'} password-change` : 'password-change'} onSubmit=${submit} data-testid="password-change-form" novalidate>
      ${first ? html`<h1>${t.title}</h1><p>${t.intro}</p>` : html`<h3>${t.title}</h3>`}
      ${currentPassword === undefined && html`
        <label>${t.current}
          <input type="password" autocomplete="current-password" required data-testid="password-current" value=${current} onInput=${field(setCurrent)} />
        </label>`}
      <label>${t.next}
        <input type="password" autocomplete="new-password" required minLength=${MIN_PASSWORD} data-testid="password-new" value=${next} onInput=${field(setNext)} />
      </label>
      <label>${t.repeat}
        <input type="password" autocomplete="new-password" required data-testid="password-repeat" value=${repeat} onInput=${field(setRepeat)} />
      </label>
      <p class="small">${t.hint}</p>
      ${error && html`<p class="error" role="alert" data-testid="password-error">${error}</p>`}
      ${done && !first && html`<p class="done" role="status" data-testid="password-changed">${t.changed}</p>`}
      <div class="buttons">
        <button type="submit" class=${submitClass} data-testid="password-submit" disabled=${busy}>${busy ? t.saving : first ? t.submitFirst : t.submit}</button>
        ${onCancel && html`<button type="button" class="link" data-testid="password-cancel" onClick=${onCancel}>${t.cancel}</button>`}
      </div>
    </form>`;
}

interface PendingProps {
  lang: Lang;
  /** A session the server said must change its password before anything else. */
  session: StaffSession;
  /** The password just typed to sign in. */
  currentPassword: string;
  submitClass?: string;
  formClass?: string;
  onSignedIn: (s: StaffSession) => void;
  onCancel: () => void;
}

/** The step between signing in with a printed or reset password and entering the page. */
export function PasswordChangeStep({ lang, session, currentPassword, submitClass, formClass, onSignedIn, onCancel }: PendingProps) {
  const cancel = () => {
    void logout({ lang, token: session.token }).catch(() => undefined);
    onCancel();
  };
  return html`
    <${ChangePasswordForm} lang=${lang} token=${session.token} currentPassword=${currentPassword} first=${true} submitClass=${submitClass} formClass=${formClass}
      onChanged=${() => onSignedIn({ ...session, mustChangePassword: false })} onCancel=${cancel} />`;
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

/**
 * Username and password sign-in for a staff page (analysts, operations console). An account that
 * must change its password (the first admin's printed one, an admin's reset) does so here first.
 */
export function StaffLogin({ lang, strings: t, allowed, submitClass, notice, onSignedIn }: Props) {
  const [pending, setPending] = useState<{ session: StaffSession; password: string } | null>(null);
  const { username, password, busy, error, submit, onUsername, onPassword } = useSignIn(lang, (session) => {
    if (!allowed(session.user.role)) {
      // Leave no token behind for an account that cannot use this page.
      void logout({ lang, token: session.token }).catch(() => undefined);
      return t.notAllowed;
    }
    if (session.mustChangePassword) { setPending({ session, password }); return null; }
    onSignedIn(session);
    return null;
  });

  if (pending) {
    return html`
      <main class="login">
        <${PasswordChangeStep} lang=${lang} session=${pending.session} currentPassword=${pending.password} submitClass=${submitClass}
          onSignedIn=${onSignedIn} onCancel=${() => setPending(null)} />
      </main>`;
  }

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
