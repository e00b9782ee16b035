import { html } from 'htm/preact';
import type { Lang } from '../shared/types.js';
import { dateTime, money } from './format.js';
import { strings } from './strings.js';
import type { NumberReport } from './types.js';
import type { TypeLabel } from './useTypes.js';

interface Props { reports: readonly NumberReport[]; lang: Lang; typeLabel: TypeLabel }

/** Every report of the number, newest first, with what the caller said and where money went. */
export function Timeline({ reports, lang, typeLabel }: Props) {
  const t = strings[lang];
  const rows = [...reports].sort((a, b) => Date.parse(b.occurredAt) - Date.parse(a.occurredAt));
  return html`
    <section class="block" aria-labelledby="timeline-title">
      <h2 id="timeline-title">${t.timelineTitle} <span class="count">${reports.length}</span></h2>
      <ol class="timeline" data-testid="timeline">
        ${rows.map((r) => html`<${Entry} key=${r.id} report=${r} lang=${lang} typeLabel=${typeLabel} />`)}
      </ol>
    </section>`;
}

function Entry({ report: r, lang, typeLabel }: { report: NumberReport; lang: Lang; typeLabel: TypeLabel }) {
  const t = strings[lang];
  const fact = (label: string, value: unknown, testid?: string) =>
    value !== null && value !== undefined && value !== '' && html`<div><dt>${label}</dt><dd data-testid=${testid}>${value}</dd></div>`;
  return html`
    <li data-testid="timeline-entry" data-report-id=${r.id} data-status=${r.status}>
      <div class="entry-head">
        <time>${dateTime(r.occurredAt, lang)}</time>
        <strong data-testid="entry-type">${typeLabel(r.type)}</strong>
        <span class="tag">${t.channels[r.channel] ?? r.channel}</span>
        <span class="tag">${t.reportStatus[r.status] ?? r.status}</span>
        <span class="tag" data-testid="entry-reporter">${t.reporter(r.reporter)}</span>
      </div>
      ${r.claimed && html`<blockquote data-testid="entry-claimed">«${r.claimed}»</blockquote>`}
      <dl class="facts compact">
        ${fact(t.amount, r.amountMxn !== null ? `${money(r.amountMxn, lang)} · ${r.paid ? t.paid : t.notPaid}` : null, 'entry-amount')}
        ${fact(t.clabe, r.clabe && html`<code>${r.clabe}</code>`)}
        ${fact(t.card, r.card && html`<code>${r.card}</code>`)}
        ${fact(t.bank, r.bank)}
        ${fact(t.notes, r.notes)}
        ${fact(t.reported, dateTime(r.reportedAt, lang))}
      </dl>
    </li>`;
}
