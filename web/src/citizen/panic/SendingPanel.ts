import { html } from 'htm/preact';
import type { Lang, LatLon } from '../../shared/types.js';
import { FallbackLinks } from './FallbackLinks.js';
import { panicStrings } from './strings.js';
import type { Sending } from './usePanic.js';

interface Props { lang: Lang; sending: Exclude<Sending, { phase: 'idle' }>; cityLine: string | null; onRetry: () => void; onDiscard: () => void; onReset: () => void }

/** Between the press and the server's answer: progress, or what to do when it cannot go out. */
export function SendingPanel({ lang, sending, cityLine, onRetry, onDiscard, onReset }: Props) {
  const t = panicStrings[lang];
  const point: LatLon | null = 'pending' in sending ? sending.pending.input : null;
  switch (sending.phase) {
    case 'locating':
    case 'sending':
      return html`
        <div class="sending" role="status" data-testid="panic-progress" data-phase=${sending.phase}>
          <p class="sending-text"><span class="spinner" aria-hidden="true"></span>${sending.phase === 'locating' ? t.locating : t.sending}</p>
          <${FallbackLinks} lang=${lang} cityLine=${cityLine} point=${point} testId="sending" />
        </div>`;
    case 'queued':
      return html`
        <div class="queued" role="alert" data-testid="alert-queued" data-busy=${sending.busy === true}>
          <h2>${sending.busy ? t.busyTitle : t.queuedTitle}</h2>
          <p>${sending.busy ? t.busyBody : t.queuedBody}</p>
          <${FallbackLinks} lang=${lang} cityLine=${cityLine} point=${point} big testId="queued" />
          <button type="button" class="link-button" data-testid="queued-discard" onClick=${onDiscard}>${t.discard}</button>
        </div>`;
    case 'noLocation':
    case 'refused':
      return html`
        <div class="queued" role="alert" data-testid="alert-not-sent">
          <p>${sending.phase === 'noLocation' ? t.noLocation[sending.reason] : `${t.refused} ${sending.message}`}</p>
          <${FallbackLinks} lang=${lang} cityLine=${cityLine} point=${null} big testId="not-sent" />
          <div class="row">
            <button type="button" class="secondary" onClick=${onRetry}>${t.tryAgain}</button>
            <button type="button" class="link-button" onClick=${onReset}>${t.dismiss}</button>
          </div>
        </div>`;
  }
}
