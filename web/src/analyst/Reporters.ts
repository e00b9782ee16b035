import { html } from 'htm/preact';
import { useMemo } from 'preact/hooks';
import type { Lang } from '../shared/types.js';
import { shortKey } from './format.js';
import { groupReporters, type Reporter } from './groupReporters.js';
import { strings } from './strings.js';
import type { NumberPage } from './types.js';

/** Who stands behind the reports. Account ids appear only here, for analysts. */
export function Reporters({ page, lang }: { page: NumberPage; lang: Lang }) {
  const t = strings[lang];
  const { people, networks } = useMemo(() => groupReporters(page.reports), [page.reports]);
  return html`
    <section class="block" aria-labelledby="reporters-title">
      <h2 id="reporters-title">${t.reportersTitle}</h2>
      <p class="small">${t.reportersHint}</p>
      <p data-testid="reporters-summary">${t.reportersSummary(people.length, networks, page.reputation.independentReporters)}</p>
      <ol class="people" data-testid="reporters">
        ${people.map((p) => html`<${Person} key=${p.n} person=${p} lang=${lang} />`)}
      </ol>
    </section>`;
}

function Person({ person: p, lang }: { person: Reporter; lang: Lang }) {
  const t = strings[lang];
  const keys = (label: string, values: string[], short = true) =>
    values.length > 0 && html`<span><span class="small">${label}</span> ${values.map((v) => html`<code key=${v} title=${v}>${short ? shortKey(v) : v}</code> `)}</span>`;
  return html`
    <li data-testid="reporter" data-reports=${p.reports.length}>
      <strong>${t.reporter(p.n)}</strong> <span class="small">${t.reportsN(p.reports.length)}</span>
      <div class="keys">
        ${p.userIds.length === 0 && p.devices.length === 0 && html`<span class="small">${t.anonymous}</span>`}
        ${keys(t.account, p.userIds, false)}
        ${keys(t.device, p.devices)}
        ${p.networks.length > 0 && html`<span><span class="small">${t.network}</span> ${p.networks.join(', ')}</span>`}
      </div>
    </li>`;
}
