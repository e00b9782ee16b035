import { html } from 'htm/preact';
import { DisputeList } from './DisputeList.js';
import { LoadStatus } from './LoadStatus.js';
import { strings } from './strings.js';
import { useLoad } from './useLoad.js';
import type { ViewProps } from './viewProps.js';

export function Disputes({ api, lang, onOpen }: ViewProps) {
  const t = strings[lang];
  const open = useLoad(() => api.disputes('open'), 'disputes');
  return html`
    <section class="panel" aria-labelledby="disputes-title">
      <div class="panel-head">
        <h1 id="disputes-title">${t.disputesTitle} <span class="count" data-testid="disputes-count">${open.data?.length ?? 0}</span></h1>
        <button type="button" class="secondary" onClick=${open.reload}>${t.refresh}</button>
      </div>
      <${LoadStatus} state=${open} lang=${lang} onRetry=${open.reload} />
      ${open.data?.length === 0 && html`<p class="hint" data-testid="disputes-empty">${t.disputesEmpty}</p>`}
      ${open.data && open.data.length > 0 && html`<${DisputeList} disputes=${open.data} api=${api} lang=${lang} onResolved=${open.reload} onOpen=${onOpen} />`}
    </section>`;
}
