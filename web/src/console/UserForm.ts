import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import type { Lang } from '../shared/types.js';
import { useAction } from '../shared/useAction.js';
import { temporaryPassword, type ManagedRole, type ManagedUser, type UsersApi } from './usersApi.js';
import { usersStrings } from './usersStrings.js';

// An admin creates a staff account, or sets a temporary password for one. The server checks the
// same rules again and has the last word; its message is shown as it comes.

const MIN_PASSWORD = 12;
const USERNAME = /^[A-Za-z0-9._-]{3,64}$/;
/** Unit accounts are created with their unit, in the units panel. */
export const CREATABLE_ROLES: readonly ManagedRole[] = ['dispatcher', 'analyst', 'admin', 'gateway'];

const value = (e: Event) => (e.target as HTMLInputElement | HTMLSelectElement).value;

interface NewProps { api: UsersApi; lang: Lang; onCreated: (user: ManagedUser) => void; onClose: () => void }

export function NewUserForm({ api, lang, onCreated, onClose }: NewProps) {
  const t = usersStrings[lang];
  const [username, setUsername] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [role, setRole] = useState<ManagedRole>('dispatcher');
  const [password, setPassword] = useState('');
  const [mustChange, setMustChange] = useState(true);
  const [invalid, setInvalid] = useState<string | null>(null);
  const action = useAction(lang);

  const submit = async (e: Event) => {
    e.preventDefault();
    const problem = !USERNAME.test(username.trim()) ? t.usernameInvalid : password.length < MIN_PASSWORD ? t.passwordShort : null;
    setInvalid(problem);
    if (problem) return;
    const created = await action.run('create', () => api.create({
      username: username.trim(), password, role, mustChangePassword: mustChange, ...(displayName.trim() ? { displayName: displayName.trim() } : {}),
    }));
    if (created) onCreated(created);
  };

  return html`
    <form class="user-form" data-testid="user-form" onSubmit=${submit} novalidate>
      <h3>${t.newUser}</h3>
      <div class="pair">
        <label>${t.username}<input type="text" data-testid="user-username" maxLength=${64} autocomplete="off" value=${username} onInput=${(e: Event) => setUsername(value(e))} /></label>
        <label>${t.displayName}<input type="text" data-testid="user-display-name" maxLength=${120} value=${displayName} onInput=${(e: Event) => setDisplayName(value(e))} /></label>
      </div>
      <label>${t.role}
        <select data-testid="user-role" value=${role} onChange=${(e: Event) => setRole(value(e) as ManagedRole)}>
          ${CREATABLE_ROLES.map((r) => html`<option key=${r} value=${r}>${t.roles[r]}</option>`)}
        </select>
      </label>
      <div class="with-button">
        <label>${t.password}<input type="text" data-testid="user-password" autocomplete="off" spellcheck="false" value=${password} onInput=${(e: Event) => setPassword(value(e))} /></label>
        <button type="button" class="secondary" data-testid="user-generate" onClick=${() => setPassword(temporaryPassword())}>${t.generate}</button>
      </div>
      <label class="check"><input type="checkbox" data-testid="user-must-change" checked=${mustChange} onChange=${(e: Event) => setMustChange((e.target as HTMLInputElement).checked)} /> ${t.mustChangeField}</label>
      ${(invalid ?? action.error) && html`<p class="error" role="alert" data-testid="user-form-error">${invalid ?? action.error}</p>`}
      <div class="buttons">
        <button type="submit" data-testid="user-create-submit" disabled=${action.busy !== null}>${action.busy ? t.working : t.create}</button>
        <button type="button" class="link" onClick=${onClose}>${t.cancel}</button>
      </div>
    </form>`;
}

interface ResetProps { user: ManagedUser; api: UsersApi; lang: Lang; onDone: (user: ManagedUser) => void; onCancel: () => void }

export function ResetPasswordForm({ user, api, lang, onDone, onCancel }: ResetProps) {
  const t = usersStrings[lang];
  const [password, setPassword] = useState(temporaryPassword);
  const [invalid, setInvalid] = useState<string | null>(null);
  const action = useAction(lang);

  const submit = async (e: Event) => {
    e.preventDefault();
    const problem = password.length < MIN_PASSWORD ? t.passwordShort : null;
    setInvalid(problem);
    if (problem) return;
    const saved = await action.run('reset', () => api.resetPassword(user.id, password));
    if (saved) onDone(saved);
  };

  return html`
    <form class="user-form reset" data-testid="user-reset-form" onSubmit=${submit} novalidate>
      <div class="with-button">
        <label>${t.newPassword}<input type="text" data-testid="user-reset-password" autocomplete="off" spellcheck="false" value=${password} onInput=${(e: Event) => setPassword(value(e))} /></label>
        <button type="button" class="secondary" onClick=${() => setPassword(temporaryPassword())}>${t.generate}</button>
      </div>
      <p class="small">${t.resetHint}</p>
      ${(invalid ?? action.error) && html`<p class="error" role="alert" data-testid="user-reset-error">${invalid ?? action.error}</p>`}
      <div class="buttons">
        <button type="submit" data-testid="user-reset-save" disabled=${action.busy !== null}>${action.busy ? t.working : t.save}</button>
        <button type="button" class="link" onClick=${onCancel}>${t.cancel}</button>
      </div>
    </form>`;
}
