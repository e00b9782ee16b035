import { html } from 'htm/preact';
import { pick } from '../shared/i18n.js';
import type { Lang } from '../shared/types.js';
import { Decision } from './Decision.js';
import { DisputeList } from './DisputeList.js';
import { dateTime } from './format.js';
import { LevelBadge } from './LevelBadge.js';
import { LoadStatus } from './LoadStatus.js';
import { PickBox } from './PickBox.js';
import { Reporters } from './Reporters.js';
import { strings } from './strings.js';
import { Summary } from './Summary.js';
import { Timeline } from './Timeline.js';
import type { NumberPage } from './types.js';
import { useLoad } from './useLoad.js';
import type { ViewProps } from './viewProps.js';

interface Props extends ViewProps { number: string; onBack: () => void }

/** Everything known about one number, and the analyst's decision on it. */
export function NumberView({ number, onBack, ...props }: Props) {
  const { api, lang } = props;
  const t = strings[lang];
  const page = useLoad(() => api.number(number), number);
  const p = page.data;
  return html`
    <section class="panel number-page" data-testid="number-page" data-number=${p?.e164}>
      <div class="panel-head">
        <button type="button" class="link" data-testid="back" onClick=${onBack}>← ${t.back}</button>
        ${p && html`<${PickBox} number=${p.e164} picked=${props.picked} onPick=${props.onPick} lang=${lang} withLabel=${true} />`}
      </div>
      <${LoadStatus} state=${page} lang=${lang} onRetry=${page.reload} />
      ${p && html`
        <${Header} page=${p} lang=${lang} />
        <div class="columns">
          <div>
            <${Decision} api=${api} lang=${lang} page=${p} onDecided=${page.reload} />
            <${Summary} page=${p} lang=${lang} typeLabel=${props.typeLabel} />
            <${Reporters} page=${p} lang=${lang} />
          </div>
          <div>
            ${p.disputes.length > 0 && html`
              <h2>${t.numberDisputes}</h2>
              <${DisputeList} disputes=${p.disputes} api=${api} lang=${lang} onResolved=${page.reload} />`}
            <${Timeline} reports=${p.reports} lang=${lang} typeLabel=${props.typeLabel} />
          </div>
        </div>`}
    </section>`;
}

function Header({ page: p, lang }: { page: NumberPage; lang: Lang }) {
  const t = strings[lang];
  const r = p.reputation;
  return html`
    <header class="number-head">
      <h1 class="number" data-testid="number-e164">${p.e164}</h1>
      <p class="level-line"><${LevelBadge} level=${r.level} lang=${lang} />
        ${r.basis && html`<span class="small" data-testid="basis">${t.basis[r.basis] ?? r.basis}</span>`}</p>
      <p data-testid="explanation">${pick(r.explanation, lang)}</p>
      ${r.underReview && html`<p class="warning" data-testid="under-review">${t.underReview}</p>`}
      ${p.protectedLabel && html`<p class="notice" data-testid="protected-label">${t.protectedAs(p.protectedLabel)}</p>`}
      <dl class="facts">
        <div><dt>${t.reports}</dt><dd data-testid="reports-count">${r.reports}</dd></div>
        <div><dt>${t.independent}</dt><dd data-testid="independent-count">${r.independentReporters}</dd></div>
        <div><dt>${t.lastReport}</dt><dd>${dateTime(r.lastReportAt, lang)}</dd></div>
        ${p.decision && html`<div><dt>${t.decision}</dt><dd data-testid="decision">
          ${t.decisionBy(t.decisionStatus[p.decision.status] ?? p.decision.status, dateTime(p.decision.decidedAt, lang))}
          ${p.decision.note && html`<span class="small"> — ${p.decision.note}</span>`}</dd></div>`}
      </dl>
    </header>`;
}
