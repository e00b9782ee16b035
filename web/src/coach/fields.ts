import { html } from 'htm/preact';
import { normalizeNumber } from '../../../src/rules/phone.js';
import { displayPhone } from '../../../src/rules/phone-format.js';
import type { Lang } from '../shared/types.js';
import type { ScamType } from './api.js';
import { strings } from './strings.js';

// The inputs the call notes and the report form share; `id` keeps the two copies apart.

const value = (e: Event) => (e.target as HTMLInputElement).value;

interface Field<T> { id: string; lang: Lang; value: T; onChange: (v: T) => void }

export function NumberInput({ id, lang, value: v, onChange }: Field<string>) {
  const t = strings[lang].field;
  const parsed = v.trim() ? normalizeNumber(v) : null;
  const hint = !parsed ? t.numberHint
    : parsed.ok ? t.willReport(parsed.e164.startsWith('+52') ? `+52 ${displayPhone(parsed.e164)}` : parsed.e164)
    : parsed.reason === 'short_code' ? t.shortCode
    : parsed.problem === 'local_only' ? t.localNumber : t.numberHint;
  return html`
    <label for=${id}>${t.number}</label>
    <input id=${id} data-testid=${id} type="tel" inputmode="tel" autocomplete="off" maxlength="64" value=${v}
      onInput=${(e: Event) => onChange(value(e))} aria-describedby=${`${id}-hint`} />
    <p id=${`${id}-hint`} class="small" data-testid=${`${id}-hint`}>${hint}</p>`;
}

export function TypeSelect({ id, lang, value: v, onChange, types, required = false }: Field<string> & { types: ScamType[]; required?: boolean }) {
  const t = strings[lang].field;
  const hint = types.find((s) => s.id === v)?.hint?.[lang];
  return html`
    <label for=${id}>${t.type}</label>
    <select id=${id} data-testid=${id} required=${required} value=${v} onChange=${(e: Event) => onChange(value(e))}>
      <option value="">${t.typePick}</option>
      ${types.map((s) => html`<option key=${s.id} value=${s.id}>${s.label[lang]}</option>`)}
    </select>
    ${hint && html`<p class="small">${hint}</p>`}`;
}

export function TextInput({ id, label, value: v, onChange, placeholder, multiline = false, inputmode }: Omit<Field<string>, 'lang'> & { label: string; placeholder?: string; multiline?: boolean; inputmode?: string }) {
  const onInput = (e: Event) => onChange(value(e));
  return html`
    <label for=${id}>${label}</label>
    ${multiline
      ? html`<textarea id=${id} data-testid=${id} rows="2" maxlength="1000" placeholder=${placeholder} value=${v} onInput=${onInput}></textarea>`
      : html`<input id=${id} data-testid=${id} autocomplete="off" maxlength="40" inputmode=${inputmode} placeholder=${placeholder} value=${v} onInput=${onInput} />`}`;
}
