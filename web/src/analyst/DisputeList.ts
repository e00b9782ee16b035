import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import type { Lang } from '../shared/types.js';
import { useAction } from '../shared/useAction.js';
import type { AnalystApi } from './api.js';
import { dateTime } from './format.js';
import { strings } from './strings.js';
import type { Dispute } from './types.js';

interface Props { disputes: readonly Dispute[]; api: AnalystApi; lang: Lang; onResolved: () => void; onOpen?: (n: string) => void }

export function DisputeList({ disputes, ...rest }: Props) {
  return html`<ul class="disputes" data-testid="disputes">
    ${disputes.map((d) => html`<${DisputeItem} key=${d.id} dispute=${d} ...${rest} />`)}
  </ul>`;
}

interface ItemProps extends Omit<Props, 'disputes'> { dispute: Dispute }

/** An owner's claim that their number is legitimate; upholding it clears the number. */
function DisputeItem({ dispute: d, api, lang, onResolved, onOpen }: ItemProps) {
  const t = strings[lang];
  const [note, setNote] = useState('');
  const { busy, error, run } = useAction(lang);
  const resolve = async (outcome: 'upheld' | 'denied') => {
    if (await run(outcome, () => api.resolve(d.id, outcome, note.trim()))) onResolved();
  };
  return html`
    <li class="dispute" data-testid="dispute" data-dispute-id=${d.id} data-status=${d.status}>
      <div class="entry-head">
        ${onOpen
          ? html`<button type="button" class="link number" data-testid="dispute-number" onClick=${() => onOpen(d.e164)}>${d.e164}</button>`
          : html`<strong>${d.e164}</strong>`}
        <span class="tag" data-testid="dispute-status">${t.disputeStatus[d.status] ?? d.status}</span>
        <time class="small">${t.filed} ${dateTime(d.createdAt, lang)}</time>
      </div>
      <dl class="facts compact">
        <div><dt>${t.owner}</dt><dd data-testid="dispute-owner">${d.ownerName}</dd></div>
        <div><dt>${t.contact}</dt><dd>${d.contact}</dd></div>
        <div class="wide"><dt>${t.reason}</dt><dd data-testid="dispute-reason">${d.reason}</dd></div>
        ${d.resolutionNote && html`<div class="wide"><dt>${t.resolutionNote}</dt><dd>${d.resolutionNote}</dd></div>`}
      </dl>
      ${d.status === 'open' && html`
        <label>${t.resolutionNote}
          <input type="text" maxlength="1000" data-testid="dispute-note" value=${note}
            onInput=${(e: Event) => setNote((e.target as HTMLInputElement).value)} />
        </label>
        <div class="buttons">
          <button type="button" class="primary" data-testid="dispute-uphold" disabled=${busy !== null} onClick=${() => resolve('upheld')}>${t.uphold}</button>
          <button type="button" class="secondary" data-testid="dispute-deny" disabled=${busy !== null} onClick=${() => resolve('denied')}>${t.deny}</button>
        </div>`}
      ${error && html`<p class="error" role="alert">${error}</p>`}
    </li>`;
}
