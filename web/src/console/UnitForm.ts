import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import type { Unit, UnitType } from '../shared/alerts.js';
import type { Lang } from '../shared/types.js';
import { useAction } from '../shared/useAction.js';
import type { StaffApi } from './api.js';
import { strings, type Strings } from './strings.js';
import type { NewUnit, UnitChanges } from './types.js';

// An admin registers a unit (optionally with the officer's account) and edits its type, quadrants
// and phone. The server has the last word; its message is shown as it comes, in the page's language.

const TYPES: readonly UnitType[] = ['car', 'motorcycle', 'bicycle', 'foot'];
const MIN_PASSWORD = 12;

/** "P-1.4.8, p-1.4.9" → ["P-1.4.8", "P-1.4.9"] (quadrant ids are upper case). */
export const parseQuadrants = (text: string): string[] =>
  [...new Set(text.split(/[\s,;]+/).map((s) => s.trim().toUpperCase()).filter(Boolean))];

const value = (e: Event) => (e.target as HTMLInputElement | HTMLSelectElement).value;

function TypeSelect({ type, onChange, t, testid }: { type: UnitType; onChange: (t: UnitType) => void; t: Strings; testid: string }) {
  return html`
    <label>${t.type}
      <select data-testid=${testid} value=${type} onChange=${(e: Event) => onChange(value(e) as UnitType)}>
        ${TYPES.map((k) => html`<option key=${k} value=${k}>${t.unitTypes[k]}</option>`)}
      </select>
    </label>`;
}

function check(input: NewUnit, t: Strings): string | null {
  if (!input.callsign) return t.callsignRequired;
  if (input.quadrantIds.length === 0) return t.quadrantsRequired;
  if (!input.username !== !input.password) return t.accountIncomplete;
  if (input.password && input.password.length < MIN_PASSWORD) return t.passwordShort;
  return null;
}

interface NewProps { api: StaffApi; lang: Lang; onCreated: (unit: Unit) => void }

export function NewUnitForm({ api, lang, onCreated }: NewProps) {
  const t = strings[lang];
  const [callsign, setCallsign] = useState('');
  const [type, setType] = useState<UnitType>('car');
  const [quadrants, setQuadrants] = useState('');
  const [phone, setPhone] = useState('');
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [invalid, setInvalid] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const action = useAction(lang);

  const submit = async (e: Event) => {
    e.preventDefault();
    setDone(null);
    const input: NewUnit = {
      callsign: callsign.trim(), type, quadrantIds: parseQuadrants(quadrants),
      ...(phone.trim() ? { phone: phone.trim() } : {}),
      ...(username.trim() ? { username: username.trim() } : {}),
      ...(password ? { password } : {}),
    };
    const problem = check(input, t);
    setInvalid(problem);
    if (problem) return;
    const unit = await action.run('create', () => api.createUnit(input));
    if (!unit) return;
    onCreated(unit);
    setDone(t.unitCreated(unit.callsign));
    setCallsign(''); setQuadrants(''); setPhone(''); setUsername(''); setPassword('');
  };

  const field = (label: string, testid: string, v: string, set: (s: string) => void, extra: Record<string, unknown> = {}) => html`
    <label>${label}<input type="text" data-testid=${testid} value=${v} onInput=${(e: Event) => set(value(e))} ...${extra} /></label>`;

  return html`
    <form class="unit-form" data-testid="unit-form" onSubmit=${submit} novalidate>
      <h3>${t.newUnit}</h3>
      <div class="pair">
        ${field(t.callsign, 'unit-callsign', callsign, setCallsign, { maxLength: 32, autocomplete: 'off' })}
        <${TypeSelect} type=${type} onChange=${setType} t=${t} testid="unit-type" />
      </div>
      ${field(t.quadrantsField, 'unit-quadrants', quadrants, setQuadrants, { placeholder: 'P-1.4.8, P-1.4.9', autocomplete: 'off' })}
      <p class="small">${t.quadrantsHint}</p>
      ${field(t.phone, 'unit-phone', phone, setPhone, { type: 'tel', maxLength: 32 })}
      <fieldset>
        <legend>${t.officerAccount}</legend>
        <div class="pair">
          ${field(t.username, 'unit-username', username, setUsername, { maxLength: 64, autocomplete: 'off' })}
          ${field(t.password, 'unit-password', password, setPassword, { type: 'password', autocomplete: 'new-password' })}
        </div>
        <p class="small">${t.passwordHint}</p>
      </fieldset>
      ${(invalid ?? action.error) && html`<p class="error" role="alert" data-testid="unit-form-error">${invalid ?? action.error}</p>`}
      ${done && html`<p class="done" role="status" data-testid="unit-created">${done}</p>`}
      <button type="submit" data-testid="unit-submit" disabled=${action.busy !== null}>${action.busy ? t.saving : t.createUnit}</button>
    </form>`;
}

interface EditProps { unit: Unit; api: StaffApi; lang: Lang; onSaved: (unit: Unit) => void; onCancel: () => void }

/** Sends only what changed. */
export function EditUnitForm({ unit, api, lang, onSaved, onCancel }: EditProps) {
  const t = strings[lang];
  const [type, setType] = useState<UnitType>(unit.type);
  const [quadrants, setQuadrants] = useState(unit.quadrantIds.join(', '));
  const [phone, setPhone] = useState(unit.phone ?? '');
  const [invalid, setInvalid] = useState<string | null>(null);
  const action = useAction(lang);

  const submit = async (e: Event) => {
    e.preventDefault();
    const ids = parseQuadrants(quadrants);
    setInvalid(ids.length === 0 ? t.quadrantsRequired : null);
    if (ids.length === 0) return;
    const changes: UnitChanges = {
      ...(type !== unit.type ? { type } : {}),
      ...(ids.join() !== unit.quadrantIds.join() ? { quadrantIds: ids } : {}),
      ...(phone.trim() !== (unit.phone ?? '') ? { phone: phone.trim() || null } : {}),
    };
    if (Object.keys(changes).length === 0) { onCancel(); return; }
    const saved = await action.run('save', () => api.updateUnit(unit.id, changes));
    if (saved) onSaved(saved);
  };

  return html`
    <form class="unit-form edit" data-testid="unit-edit-form" onSubmit=${submit} novalidate>
      <${TypeSelect} type=${type} onChange=${setType} t=${t} testid="unit-edit-type" />
      <label>${t.quadrantsField}
        <input type="text" data-testid="unit-edit-quadrants" value=${quadrants} onInput=${(e: Event) => setQuadrants(value(e))} />
      </label>
      <label>${t.phone}
        <input type="tel" data-testid="unit-edit-phone" maxLength=${32} value=${phone} onInput=${(e: Event) => setPhone(value(e))} />
      </label>
      ${(invalid ?? action.error) && html`<p class="error" role="alert" data-testid="unit-edit-error">${invalid ?? action.error}</p>`}
      <div class="buttons">
        <button type="submit" data-testid="unit-edit-save" disabled=${action.busy !== null}>${action.busy ? t.saving : t.save}</button>
        <button type="button" class="link" onClick=${onCancel}>${t.cancelEdit}</button>
      </div>
    </form>`;
}
