import { html } from 'htm/preact';
import { useMemo } from 'preact/hooks';
import { dateTime, money } from './format.js';
import { LoadStatus } from './LoadStatus.js';
import { PickBox } from './PickBox.js';
import { strings } from './strings.js';
import type { ReportView } from './types.js';
import { useLoad } from './useLoad.js';
import type { ViewProps } from './viewProps.js';

interface NumberGroup { e164: string; reports: ReportView[]; types: string[]; lastClaim: string | null; demanded: number; paid: number; latest: number }

/** The queue answers newest first; one row per number reads faster than one per report. */
function byNumber(rows: readonly ReportView[]): NumberGroup[] {
  const groups = new Map<string, ReportView[]>();
  for (const r of rows) groups.set(r.e164, [...(groups.get(r.e164) ?? []), r]);
  return [...groups].map(([e164, reports]) => ({
    e164,
    reports,
    types: [...new Set(reports.map((r) => r.type))],
    lastClaim: reports.find((r) => r.claimed)?.claimed ?? null,
    demanded: reports.reduce((sum, r) => sum + (r.amountMxn ?? 0), 0),
    paid: reports.filter((r) => r.paid).length,
    latest: Math.max(...reports.map((r) => Date.parse(r.reportedAt))),
  })).sort((a, b) => b.reports.length - a.reports.length || b.latest - a.latest);
}

export function Queue({ api, lang, typeLabel, onOpen, picked, onPick }: ViewProps) {
  const t = strings[lang];
  const queue = useLoad(() => api.queue(), 'queue');
  const groups = useMemo(() => byNumber(queue.data ?? []), [queue.data]);
  return html`
    <section class="panel" aria-labelledby="queue-title">
      <div class="panel-head">
        <h1 id="queue-title">${t.tabs.queue} <span class="count" data-testid="queue-count">${queue.data?.length ?? 0}</span></h1>
        <button type="button" class="secondary" data-testid="queue-refresh" onClick=${queue.reload}>${t.refresh}</button>
      </div>
      <p class="hint">${t.queueHint}</p>
      <${LoadStatus} state=${queue} lang=${lang} onRetry=${queue.reload} />
      ${queue.data && groups.length === 0 && html`<p class="hint" data-testid="queue-empty">${t.queueEmpty}</p>`}
      ${groups.length > 0 && html`
        <table class="grid" data-testid="queue">
          <thead><tr>
            <th><span class="sr-only">${t.caseTitle}</span></th><th>${t.number}</th><th class="num">${t.reportsCol}</th>
            <th>${t.typesCol}</th><th>${t.claimCol}</th><th class="num">${t.amountCol}</th><th class="num">${t.paidCol}</th><th>${t.lastCol}</th>
          </tr></thead>
          <tbody>
            ${groups.map((g) => html`
              <tr key=${g.e164} data-testid="queue-row" data-number=${g.e164}>
                <td><${PickBox} number=${g.e164} picked=${picked} onPick=${onPick} lang=${lang} /></td>
                <td><button type="button" class="link number" data-testid="queue-open" onClick=${() => onOpen(g.e164)}>${g.e164}</button></td>
                <td class="num" data-testid="queue-reports">${g.reports.length}</td>
                <td>${g.types.map(typeLabel).join(', ')}</td>
                <td class="claim">${g.lastClaim ? `«${g.lastClaim}»` : '—'}</td>
                <td class="num">${g.demanded ? money(g.demanded, lang) : '—'}</td>
                <td class="num">${g.paid}</td>
                <td class="when">${dateTime(g.latest, lang)}</td>
              </tr>`)}
          </tbody>
        </table>`}
    </section>`;
}
