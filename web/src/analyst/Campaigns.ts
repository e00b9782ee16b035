import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import type { Lang } from '../shared/types.js';
import { dateTime } from './format.js';
import { LoadStatus } from './LoadStatus.js';
import { PickBox } from './PickBox.js';
import { strings } from './strings.js';
import type { Campaign, CampaignEvidence } from './types.js';
import { useLoad } from './useLoad.js';
import type { ViewProps } from './viewProps.js';

const WINDOWS = [7, 30, 90, 365];

/** Groups of numbers one gang probably runs, with the evidence that ties them. */
export function Campaigns({ api, lang, onOpen, picked, onPick }: ViewProps) {
  const t = strings[lang];
  const [days, setDays] = useState(30);
  const list = useLoad(() => api.campaigns(days), String(days));
  return html`
    <section class="panel" aria-labelledby="campaigns-title">
      <div class="panel-head">
        <h1 id="campaigns-title">${t.campaignsTitle} <span class="count" data-testid="campaigns-count">${list.data?.length ?? 0}</span></h1>
        <label class="row-label">${t.windowDays}
          <select data-testid="campaign-days" value=${days} onChange=${(e: Event) => setDays(Number((e.target as HTMLSelectElement).value))}>
            ${WINDOWS.map((d) => html`<option value=${d}>${d}</option>`)}
          </select>
        </label>
      </div>
      <p class="hint">${t.campaignsHint}</p>
      <${LoadStatus} state=${list} lang=${lang} onRetry=${list.reload} />
      ${list.data?.length === 0 && html`<p class="hint" data-testid="campaigns-empty">${t.campaignsEmpty}</p>`}
      <ol class="campaigns">
        ${list.data?.map((c) => html`<${CampaignCard} key=${c.id} campaign=${c} lang=${lang} onOpen=${onOpen} picked=${picked} onPick=${onPick} />`)}
      </ol>
    </section>`;
}

interface CardProps { campaign: Campaign; lang: Lang; onOpen: (n: string) => void; picked: ReadonlySet<string>; onPick: (n: string, on: boolean) => void }

function CampaignCard({ campaign: c, lang, onOpen, picked, onPick }: CardProps) {
  const t = strings[lang];
  return html`
    <li class="block campaign" data-testid="campaign" data-campaign-id=${c.id}>
      <div class="entry-head">
        <strong>${t.numbersN(c.numbers.length)}</strong>
        <span class="small">${t.reportsInCampaign(c.reportIds.length)} · ${t.campaignPeriod(dateTime(c.firstAt, lang), dateTime(c.lastAt, lang))}</span>
      </div>
      <ul class="evidence">${c.evidence.map((e, i) => html`<li key=${i} data-testid="evidence">${evidenceText(e, lang)}</li>`)}</ul>
      <ul class="chips">
        ${c.numbers.map((n) => html`<li key=${n}>
          <${PickBox} number=${n} picked=${picked} onPick=${onPick} lang=${lang} />
          <button type="button" class="link number" onClick=${() => onOpen(n)}>${n}</button></li>`)}
      </ul>
    </li>`;
}

function evidenceText(e: CampaignEvidence, lang: Lang) {
  const t = strings[lang];
  if (e.kind === 'script') {
    return html`${t.sameScript(Math.round(e.similarity * 100))}: <q>${e.example}</q> <span class="small">${t.numbersN(e.numbers.length)}</span>`;
  }
  const [kind, ...rest] = e.account.split(':');
  const label = kind === 'clabe' ? t.sameClabe(rest.join('')) : t.sameCard(`${rest[0] ?? ''} ••${rest[1] ?? ''}`);
  return html`${label} <span class="small">${t.numbersN(e.numbers.length)} · ${t.reportsInCampaign(e.reports)}</span>`;
}
