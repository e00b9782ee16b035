import { html } from 'htm/preact';
import { useMemo } from 'preact/hooks';
import type { Lang } from '../shared/types.js';
import { groupReporters, type Reporter } from './groupReporters.js';
import { strings } from './strings.js';
import type { NumberPage } from './types.js';

/** Who stands behind the reports: letters and counts only — reporters are protected from staff too. */
export function Reporters({ page, lang }: { page: NumberPage; lang: Lang }) {
  const t = strings[lang];
  const { people, networks } = useMemo(() => groupReporters(page), [page.reports, page.reporters]);
  return html`
    <section class="block" aria-labelledby="reporters-title">
      <h2 id="reporters-title">${t.reportersTitle}</h2>
      <p class="small">${t.reportersHint}</p>
      <p data-testid="reporters-summary">${t.reportersSummary(people.length, networks, page.reputation.independentReporters)}</p>
      <ol class="people" data-testid="reporters">
        ${people.map((p) => html`<${Person} key=${p.label} person=${p} lang=${lang} />`)}
      </ol>
    </section>`;
}

function Person({ person: p, lang }: { person: Reporter; lang: Lang }) {
  const t = strings[lang];
  const facts = [
    p.devices > 0 ? t.devicesN(p.devices) : null,
    t.networksN(p.networks),
    p.anonymous > 0 ? t.anonymousN(p.anonymous) : null,
  ].filter((f): f is string => f !== null);
  return html`
    <li data-testid="reporter" data-reporter=${p.label} data-reports=${p.reports}>
      <strong>${t.reporter(p.label)}</strong> <span class="small">${t.reportsN(p.reports)}</span>
      <div class="keys small" data-testid="reporter-facts">${facts.join(' · ')}</div>
    </li>`;
}
