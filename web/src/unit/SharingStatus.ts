import { html } from 'htm/preact';
import type { Lang } from '../shared/types.js';
import { strings } from './strings.js';
import type { Sharing } from './usePositionSharing.js';

/** Says plainly when the position is being shared (only on duty), or why it cannot be. */
export function SharingStatus({ sharing, lang }: { sharing: Sharing; lang: Lang }) {
  const t = strings[lang];
  if (sharing.state === 'off') return null;
  if (sharing.state === 'problem') {
    return html`<p class="sharing problem" role="alert" data-testid="position-sharing" data-state=${sharing.problem}>${t.sharing[sharing.problem]}</p>`;
  }
  const text = sharing.state === 'starting' ? t.sharing.starting : t.sharing.sharing;
  return html`
    <p class="sharing" role="status" data-testid="position-sharing" data-state=${sharing.state}>
      <span class="pulse" aria-hidden="true"></span>
      <span>${text}${sharing.state === 'sharing' ? html` <span class="small">(${t.accuracy(`${Math.round(sharing.accuracyM)} m`)})</span>` : ''}</span>
    </p>`;
}
