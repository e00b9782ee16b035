import { html } from 'htm/preact';
import type { Lang } from '../shared/types.js';
import { CHANNELS, type Channel, type ScamType } from './api.js';
import { NumberInput, TextInput, TypeSelect } from './fields.js';
import { LevelBadge } from './LevelBadge.js';
import { strings } from './strings.js';
import type { CallNotes } from './useCallNotes.js';
import type { ReportState } from './useReport.js';

interface Props {
  lang: Lang;
  notes: CallNotes;
  types: ScamType[];
  state: ReportState;
  onChange: (patch: Partial<CallNotes>) => void;
  onSubmit: () => void;
  onAnother: () => void;
}

/** Step 6: the report, pre-filled from the call notes; afterwards, what the city now knows of the number. */
export function ReportForm({ lang, notes, types, state, onChange, onSubmit, onAnother }: Props) {
  const t = strings[lang];
  if (state.phase === 'done') {
    const r = state.result;
    return html`
      <div class="report-done" data-testid="report-result" data-number=${r.number}>
        <p class="ok" role="status">${t.reported}</p>
        <${LevelBadge} level=${r.level} lang=${lang} explanation=${r.explanation} testId="report-level" />
        <p class="small" data-testid="report-tally">${t.tally(r.reports, r.independentReporters)}</p>
        <button type="button" class="link-button" data-testid="report-another" onClick=${onAnother}>${t.reportAnother}</button>
      </div>`;
  }
  const submit = (e: Event) => { e.preventDefault(); onSubmit(); };
  return html`
    <form class="fields report-form" data-testid="report-form" onSubmit=${submit}>
      <${NumberInput} id="report-number" lang=${lang} value=${notes.number} onChange=${(number: string) => onChange({ number })} />
      <fieldset class="channels">
        <legend>${t.field.channel}</legend>
        ${CHANNELS.map((c) => html`
          <label key=${c} class="chip">
            <input type="radio" name="channel" value=${c} data-testid=${`report-channel-${c}`} checked=${notes.channel === c}
              onChange=${() => onChange({ channel: c as Channel })} />
            ${t.channels[c]}
          </label>`)}
      </fieldset>
      <${TypeSelect} id="report-type" lang=${lang} types=${types} required value=${notes.type} onChange=${(type: string) => onChange({ type })} />
      <${TextInput} id="report-claimed" label=${t.field.claimed} multiline placeholder=${t.field.claimedPlaceholder}
        value=${notes.claimed} onChange=${(claimed: string) => onChange({ claimed })} />
      <${TextInput} id="report-amount" label=${t.field.amount} inputmode="numeric" value=${notes.amount} onChange=${(amount: string) => onChange({ amount })} />
      <label class="check"><input type="checkbox" data-testid="report-paid" checked=${notes.paid}
        onChange=${(e: Event) => onChange({ paid: (e.target as HTMLInputElement).checked })} /> ${t.field.paid}</label>
      <details class="more">
        <summary>${t.field.more}</summary>
        <div class="fields">
          <${TextInput} id="report-clabe" label=${t.field.clabe} inputmode="numeric" value=${notes.clabe} onChange=${(clabe: string) => onChange({ clabe })} />
          <${TextInput} id="report-card" label=${t.field.card} inputmode="numeric" value=${notes.card} onChange=${(card: string) => onChange({ card })} />
          <${TextInput} id="report-notes" label=${t.field.notes} multiline value=${notes.notes} onChange=${(v: string) => onChange({ notes: v })} />
        </div>
      </details>
      ${state.phase === 'failed' && html`<p class="error" role="alert" data-testid="report-error">${state.message}</p>`}
      <button type="submit" class="primary big" data-testid="report-submit" disabled=${state.phase === 'sending'}>
        ${state.phase === 'sending' ? t.reporting : t.report}
      </button>
    </form>`;
}
