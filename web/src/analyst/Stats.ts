import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import type { Lang } from '../shared/types.js';
import { count, dateInput, money } from './format.js';
import { LoadStatus } from './LoadStatus.js';
import { strings } from './strings.js';
import { useLoad } from './useLoad.js';
import type { ViewProps } from './viewProps.js';

const DAY = 86_400_000;

/** Reports by scam type and by ISO week as plain bars: no chart library for two lists. */
export function Stats({ api, lang, typeLabel }: ViewProps) {
  const t = strings[lang];
  const [range, setRange] = useState(() => ({ from: dateInput(new Date(Date.now() - 90 * DAY)), to: dateInput(new Date()) }));
  const [draft, setDraft] = useState(range);
  // The end date is inclusive: ask up to the start of the next day.
  const stats = useLoad(() => api.stats(new Date(`${range.from}T00:00`), new Date(Date.parse(`${range.to}T00:00`) + DAY)), `${range.from}/${range.to}`);
  const s = stats.data;
  const apply = (e: Event) => { e.preventDefault(); setRange(draft); };
  const field = (key: 'from' | 'to') => html`<label>${t[key]}
    <input type="date" data-testid=${`stats-${key}`} value=${draft[key]} required
      onInput=${(e: Event) => setDraft({ ...draft, [key]: (e.target as HTMLInputElement).value })} /></label>`;
  return html`
    <section class="panel" aria-labelledby="stats-title">
      <h1 id="stats-title">${t.statsTitle}</h1>
      <form class="inline-form" onSubmit=${apply}>${field('from')}${field('to')}
        <button type="submit" class="secondary">${t.show}</button></form>
      <${LoadStatus} state=${stats} lang=${lang} onRetry=${stats.reload} />
      ${s && html`
        <dl class="kpis">
          <div><dt>${t.totalReports}</dt><dd data-testid="stats-reports">${count(s.reports, lang)}</dd></div>
          <div><dt>${t.paidReports}</dt><dd data-testid="stats-paid">${count(s.paid, lang)}</dd></div>
          <div><dt>${t.amountPaid}</dt><dd data-testid="stats-amount">${money(s.amountPaidMxn, lang)}</dd></div>
        </dl>
        ${s.reports === 0 && html`<p class="hint">${t.statsEmpty}</p>`}
        <div class="columns">
          <${Bars} title=${t.byType} testid="by-type" lang=${lang} rows=${s.byType.map((r) => ({ key: r.type, label: typeLabel(r.type), count: r.count }))} />
          <${Bars} title=${t.byWeek} testid="by-week" lang=${lang} rows=${s.byWeek.map((r) => ({ key: r.week, label: r.week, count: r.count }))} />
        </div>`}
    </section>`;
}

interface Bar { key: string; label: string; count: number }

function Bars({ title, rows, testid, lang }: { title: string; rows: Bar[]; testid: string; lang: Lang }) {
  const max = Math.max(1, ...rows.map((r) => r.count));
  return html`
    <figure class="bars" data-testid=${testid}>
      <figcaption>${title}</figcaption>
      ${rows.map((r) => html`
        <div class="bar-row" key=${r.key} data-key=${r.key} data-count=${r.count}>
          <span class="bar-label">${r.label}</span>
          <span class="bar-track"><span class="bar" style=${{ width: `${(100 * r.count) / max}%` }}></span></span>
          <span class="num">${count(r.count, lang)}</span>
        </div>`)}
    </figure>`;
}
