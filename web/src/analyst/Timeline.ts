import { html } from 'htm/preact';
import type { Lang } from '../shared/types.js';
import { dateTime, money } from './format.js';
import { strings } from './strings.js';
import type { ReportRow } from './types.js';
import type { TypeLabel } from './useTypes.js';

interface Props { reports: readonly ReportRow[]; lang: Lang; typeLabel: TypeLabel }

/** Every report of the number, newest first, with what the caller said and where money went. */
export function Timeline({ reports, lang, typeLabel }: Props) {
  const t = strings[lang];
  const rows = [...reports].sort((a, b) => b.occurred_at - a.occurred_at);
  return html`
    <section class="block" aria-labelledby="timeline-title">
      <h2 id="timeline-title">${t.timelineTitle} <span class="count">${reports.length}</span></h2>
      <ol class="timeline" data-testid="timeline">
        ${rows.map((r) => html`<${Entry} key=${r.id} report=${r} lang=${lang} typeLabel=${typeLabel} />`)}
      </ol>
    </section>`;
}

function Entry({ report: r, lang, typeLabel }: { report: ReportRow; lang: Lang; typeLabel: TypeLabel }) {
  const t = strings[lang];
  const fact = (label: string, value: unknown, testid?: string) =>
    value !== null && value !== undefined && value !== '' && html`<div><dt>${label}</dt><dd data-testid=${testid}>${value}</dd></div>`;
  return html`
    <li data-testid="timeline-entry" data-report-id=${r.id} data-status=${r.status}>
      <div class="entry-head">
        <time>${dateTime(r.occurred_at, lang)}</time>
        <strong data-testid="entry-type">${typeLabel(r.type)}</strong>
        <span class="tag">${t.channels[r.channel] ?? r.channel}</span>
        <span class="tag">${t.reportStatus[r.status] ?? r.status}</span>
      </div>
      ${r.claimed && html`<blockquote data-testid="entry-claimed">«${r.claimed}»</blockquote>`}
      <dl class="facts compact">
        ${fact(t.amount, r.amount_mxn !== null ? `${money(r.amount_mxn, lang)} · ${r.paid === 1 ? t.paid : t.notPaid}` : null, 'entry-amount')}
        ${fact(t.clabe, r.clabe && html`<code>${r.clabe}</code>`)}
        ${fact(t.card, r.card_masked && html`<code>${r.card_masked}</code>`)}
        ${fact(t.bank, r.bank)}
        ${fact(t.notes, r.notes)}
        ${fact(t.reported, dateTime(r.created_at, lang))}
      </dl>
    </li>`;
}
