import { html } from 'htm/preact';
import { useCallback, useEffect, useState } from 'preact/hooks';
import { ChangePasswordForm } from '../shared/StaffLogin.js';
import type { Lang } from '../shared/types.js';
import { useAction } from '../shared/useAction.js';
import { useSessionApi } from '../shared/useSessionApi.js';
import type { Session } from './types.js';
import { CREATABLE_ROLES, NewUserForm, ResetPasswordForm } from './UserForm.js';
import { usersApi, type ManagedRole, type ManagedUser, type UsersApi } from './usersApi.js';
import { usersStrings } from './usersStrings.js';
import './users.css';

interface Props {
  session: Session;
  lang: Lang;
  onClose: () => void;
  /** The person ended their own sessions (this one too). */
  onSignedOut: () => void;
  onExpired: () => void;
}

/**
 * Accounts, over the console: everyone's own (password, sign out everywhere) and, for admins, the
 * staff accounts — create, disable/enable, reset a password, change a role, end someone's sessions.
 * Every change is audited by the server and ends the person's sessions there (open sockets too).
 */
export function UsersPanel({ session, lang, onClose, onSignedOut, onExpired }: Props) {
  const t = usersStrings[lang];
  const api = useSessionApi(usersApi, session.token, lang, onExpired);
  const isAdmin = session.user.role === 'admin';
  const own = useAction(lang);
  const [users, setUsers] = useState<ManagedUser[] | null>(null);
  const [loadFailed, setLoadFailed] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const [changingPassword, setChangingPassword] = useState(false);

  const reload = useCallback(async (signal?: AbortSignal) => {
    try {
      setUsers(await api.list(signal));
      setLoadFailed(false);
    } catch {
      if (!signal?.aborted) setLoadFailed(true);
    }
  }, [api]);
  useEffect(() => {
    if (!isAdmin) return;
    const abort = new AbortController();
    void reload(abort.signal);
    return () => abort.abort();
  }, [isAdmin, reload]);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => { if (e.key === 'Escape') onClose(); };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);

  const changed = (user: ManagedUser, message: string) => {
    setUsers((list) => list && list.map((u) => (u.id === user.id ? user : u)));
    setNotice(message);
  };
  const created = (user: ManagedUser) => {
    setUsers((list) => [...(list ?? []), user].sort((a, b) => a.username.localeCompare(b.username)));
    setCreating(false);
    setNotice(t.done.created(user.username));
  };
  const signOutEverywhere = async () => {
    if (await own.run('everywhere', () => api.signOutEverywhere())) onSignedOut();
  };

  return html`
    <div class="users-overlay" onClick=${(e: Event) => { if (e.target === e.currentTarget) onClose(); }}>
      <section class="users-panel" role="dialog" aria-modal="true" aria-labelledby="users-title" data-testid="users-panel">
        <header class="detail-head">
          <h2 id="users-title">${t.title}</h2>
          <button type="button" class="link" data-testid="users-close" onClick=${onClose}>${t.close}</button>
        </header>
        <section class="users-mine" aria-label=${t.mine}>
          <h3>${t.mine}</h3>
          <p class="small">${t.signedInAs(session.user.displayName ?? session.user.username, t.roles[session.user.role] ?? session.user.role)}</p>
          ${changingPassword
            ? html`<${ChangePasswordForm} lang=${lang} token=${session.token} onChanged=${() => undefined} onCancel=${() => setChangingPassword(false)} />`
            : html`<button type="button" class="secondary" data-testid="own-password-open" onClick=${() => setChangingPassword(true)}>${t.changeMine}</button>`}
          <p class="small">${t.signOutEverywhereHint}</p>
          ${own.error && html`<p class="error" role="alert">${own.error}</p>`}
          <button type="button" class="secondary" data-testid="sign-out-everywhere" disabled=${own.busy !== null}
            onClick=${signOutEverywhere}>${t.signOutEverywhere}</button>
        </section>
        ${isAdmin && html`
          <section class="users-admin" aria-labelledby="users-admin-title">
            <h3 id="users-admin-title">${t.users}</h3>
            <p class="small">${t.usersHint}</p>
            ${notice && html`<p class="done" role="status" data-testid="users-notice">${notice}</p>`}
            ${creating
              ? html`<${NewUserForm} api=${api} lang=${lang} onCreated=${created} onClose=${() => setCreating(false)} />`
              : html`<button type="button" class="secondary wide-button" data-testid="user-create-open" onClick=${() => setCreating(true)}>${t.newUser}</button>`}
            ${loadFailed ? html`<p class="error" role="alert">${t.loadFailed}</p>`
              : !users ? html`<p class="hint">${t.loading}</p>`
              : html`<ul class="user-list" data-testid="user-list">
                  ${users.map((u) => html`<${UserRow} key=${u.id} user=${u} self=${u.id === session.user.id} api=${api} lang=${lang} onChanged=${changed} />`)}
                </ul>`}
          </section>`}
      </section>
    </div>`;
}

interface RowProps { user: ManagedUser; self: boolean; api: UsersApi; lang: Lang; onChanged: (user: ManagedUser, message: string) => void }

function UserRow({ user: u, self, api, lang, onChanged }: RowProps) {
  const t = usersStrings[lang];
  const action = useAction(lang);
  const [role, setRole] = useState<ManagedRole | 'citizen'>(u.role);
  const [resetting, setResetting] = useState(false);
  useEffect(() => setRole(u.role), [u.role]);
  // A unit account keeps its unit: it can become staff, and staff cannot become a unit here.
  const roles: readonly ManagedRole[] = u.unitId ? ['unit', ...CREATABLE_ROLES] : CREATABLE_ROLES;
  const name = u.displayName && u.displayName !== u.username ? `${u.username} · ${u.displayName}` : u.username;

  const toggle = async () => {
    const saved = await action.run('toggle', () => (u.disabledAt ? api.enable(u.id) : api.disable(u.id)));
    if (saved) onChanged(saved, saved.disabledAt ? t.done.disabled(u.username) : t.done.enabled(u.username));
  };
  const saveRole = async () => {
    if (role === u.role || role === 'citizen') return;
    const saved = await action.run('role', () => api.setRole(u.id, role));
    if (saved) onChanged(saved, t.done.role(u.username, t.roles[saved.role] ?? saved.role));
  };
  const signOut = async () => {
    const r = await action.run('sign-out', () => api.signOut(u.id));
    if (r) onChanged(u, t.done.signedOut(u.username, r.revoked));
  };

  return html`
    <li data-testid="user-row" data-username=${u.username} data-role=${u.role} data-disabled=${u.disabledAt !== null}
      data-must-change=${u.mustChangePassword} class=${u.disabledAt ? 'disabled' : ''}>
      <div class="user-head">
        <strong>${name}</strong>${self && html` <span class="small">(${t.you})</span>`}
        <span class="marks">
          <span class=${`badge ${u.disabledAt ? 'off' : 'on'}`} data-testid="user-state">${u.disabledAt ? t.disabled : t.active}</span>
          ${u.mustChangePassword && html`<span class="badge must-change" data-testid="user-must-change-badge">${t.mustChange}</span>`}
        </span>
      </div>
      <div class="user-actions">
        <label class="inline">${t.role}
          <select data-testid="user-role-select" value=${role} onChange=${(e: Event) => setRole((e.target as HTMLSelectElement).value as ManagedRole)}>
            ${roles.map((r) => html`<option key=${r} value=${r}>${t.roles[r]}</option>`)}
          </select>
        </label>
        <button type="button" class="secondary" data-testid="user-role-save" disabled=${action.busy !== null || role === u.role} onClick=${saveRole}>${t.changeRole}</button>
        <button type="button" class=${u.disabledAt ? 'secondary' : 'danger'} data-testid=${u.disabledAt ? 'user-enable' : 'user-disable'}
          disabled=${action.busy !== null} onClick=${toggle}>${u.disabledAt ? t.enable : t.disable}</button>
        <button type="button" class="secondary" data-testid="user-reset-open" disabled=${action.busy !== null} onClick=${() => setResetting(!resetting)}>${t.resetPassword}</button>
        <button type="button" class="secondary" data-testid="user-sign-out" disabled=${action.busy !== null} onClick=${signOut}>${t.signOut}</button>
      </div>
      ${resetting && html`<${ResetPasswordForm} user=${u} api=${api} lang=${lang} onCancel=${() => setResetting(false)}
        onDone=${(saved: ManagedUser) => { setResetting(false); onChanged(saved, t.done.password(u.username)); }} />`}
      ${action.error && html`<p class="error" role="alert" data-testid="user-error">${action.error}</p>`}
    </li>`;
}
