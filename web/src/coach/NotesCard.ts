import { html } from 'htm/preact';
import type { Lang } from '../shared/types.js';
import type { ScamType } from './api.js';
import { NumberInput, TextInput, TypeSelect } from './fields.js';
import { strings } from './strings.js';
import type { CallNotes } from './useCallNotes.js';

interface Props { lang: Lang; notes: CallNotes; types: ScamType[]; onChange: (patch: Partial<CallNotes>) => void }

/** Jotted during the call; step 6's report starts from these. */
export function NotesCard({ lang, notes, types, onChange }: Props) {
  const t = strings[lang];
  return html`
    <li class="notes-item"><details class="notes" data-testid="call-notes">
      <summary>${t.notes.title}</summary>
      <p class="small">${t.notes.intro}</p>
      <div class="fields">
        <${NumberInput} id="note-number" lang=${lang} value=${notes.number} onChange=${(number: string) => onChange({ number })} />
        <${TypeSelect} id="note-type" lang=${lang} types=${types} value=${notes.type} onChange=${(type: string) => onChange({ type })} />
        <${TextInput} id="note-claimed" label=${t.field.claimed} multiline placeholder=${t.field.claimedPlaceholder}
          value=${notes.claimed} onChange=${(claimed: string) => onChange({ claimed })} />
        <${TextInput} id="note-amount" label=${t.field.amount} inputmode="numeric" value=${notes.amount} onChange=${(amount: string) => onChange({ amount })} />
      </div>
    </details></li>`;
}
