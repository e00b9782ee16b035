import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import type { Lang } from '../shared/types.js';
import { useAction } from '../shared/useAction.js';
import type { AnalystApi } from './api.js';
import { strings } from './strings.js';
import type { NumberPage } from './types.js';

interface Props { api: AnalystApi; lang: Lang; page: NumberPage; onDecided: () => void }

type Choice = 'confirmed' | 'rejected' | null;

/** Confirm, clear or reset, with a note that goes to the audit log. */
export function Decision({ api, lang, page, onDecided }: Props) {
  const t = strings[lang];
  const [note, setNote] = useState('');
  const [saved, setSaved] = useState(false);
  const { busy, error, run } = useAction(lang);
  const current = page.decision?.status ?? null;

  const decide = async (status: Choice) => {
    setSaved(false);
    const done = await run(String(status), () => api.decide(page.e164, status, note.trim()));
    if (done) {
      setNote('');
      setSaved(true);
      onDecided();
    }
  };

  const button = (status: Choice, label: string, cls: string) => html`
    <button type="button" class=${cls} data-testid=${`decide-${status ?? 'reset'}`} disabled=${busy !== null || current === status}
      onClick=${() => decide(status)}>${label}</button>`;

  return html`
    <section class="block" aria-labelledby="decision-title">
      <h2 id="decision-title">${t.decisionTitle}</h2>
      <label>${t.note}
        <textarea rows="2" maxlength="1000" data-testid="decision-note" value=${note}
          onInput=${(e: Event) => setNote((e.target as HTMLTextAreaElement).value)}></textarea>
      </label>
      <div class="buttons">
        ${button('confirmed', t.confirm, 'danger')}
        ${button('rejected', t.reject, 'secondary')}
        ${current && button(null, t.reset, 'link')}
      </div>
      ${error && html`<p class="error" role="alert" data-testid="decision-error">${error}</p>`}
      ${saved && html`<p class="ok" role="status" data-testid="decision-saved">${t.saved}</p>`}
    </section>`;
}
