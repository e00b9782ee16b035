import { html } from 'htm/preact';
import { failureMessage } from '../shared/errors.js';
import type { Lang } from '../shared/types.js';
import { strings } from './strings.js';
import type { Loaded } from './useLoad.js';

interface Props { state: Loaded<unknown>; lang: Lang; onRetry: () => void }

/** "Loading…" before the first answer, or the failure with a retry; nothing once loaded. */
export function LoadStatus({ state, lang, onRetry }: Props) {
  const t = strings[lang];
  if (state.status === 'failed') {
    return html`<p class="error" role="alert" data-testid="load-error">
      ${t.loadFailed} ${failureMessage(state.error, lang)}
      <button type="button" class="link" onClick=${onRetry}>${t.retry}</button></p>`;
  }
  if (state.status === 'loading' && state.data === null) return html`<p class="hint" data-testid="loading">${t.loading}</p>`;
  return null;
}
