import { html } from 'htm/preact';
import type { Lang } from '../shared/types.js';
import { money } from './format.js';
import { strings } from './strings.js';
import type { NumberPage, ReportView } from './types.js';
import type { TypeLabel } from './useTypes.js';

interface Props { page: NumberPage; lang: Lang; typeLabel: TypeLabel }

interface Account { kind: 'clabe' | 'card'; value: string; bank: string | null; reports: number }

/** The bank accounts and cards the callers asked victims to pay into: what ties numbers into a case. */
function accountsOf(reports: readonly ReportView[]): Account[] {
  const found = new Map<string, Account>();
  for (const r of reports) {
    for (const [kind, value] of [['clabe', r.clabe], ['card', r.card]] as const) {
      if (!value) continue;
      const key = `${kind}:${value}`;
      const known = found.get(key);
      if (known) known.reports += 1;
      // `bank` is the CLABE's bank when there is one, else the card's brand.
      else found.set(key, { kind, value, bank: kind === 'card' && r.clabe ? null : r.bank, reports: 1 });
    }
  }
  return [...found.values()].sort((a, b) => b.reports - a.reports);
}

function typeCounts(reports: readonly ReportView[]): Array<[string, number]> {
  const counts = new Map<string, number>();
  for (const r of reports) counts.set(r.type, (counts.get(r.type) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1]);
}

export function Summary({ page, lang, typeLabel }: Props) {
  const t = strings[lang];
  const reports = page.reports;
  const demanded = reports.reduce((s, r) => s + (r.amountMxn ?? 0), 0);
  const paid = reports.filter((r) => r.paid).reduce((s, r) => s + (r.amountMxn ?? 0), 0);
  const accounts = accountsOf(reports);
  return html`
    <section class="block" aria-labelledby="summary-title">
      <h2 id="summary-title">${t.summaryTitle}</h2>
      <dl class="facts">
        <div><dt>${t.demanded}</dt><dd data-testid="demanded">${money(demanded, lang)}</dd></div>
        <div><dt>${t.paidTotal}</dt><dd data-testid="paid-total">${money(paid, lang)}</dd></div>
      </dl>
      <h3>${t.typesTitle}</h3>
      <ul class="chips" data-testid="types">
        ${typeCounts(reports).map(([type, n]) => html`<li key=${type}>${typeLabel(type)} <strong>${n}</strong></li>`)}
      </ul>
      <h3>${t.accountsTitle}</h3>
      ${accounts.length === 0
        ? html`<p class="hint">${t.noAccounts}</p>`
        : html`<ul class="accounts" data-testid="accounts">
            ${accounts.map((a) => html`<li key=${a.kind + a.value} data-testid="account">
              <span class="small">${a.kind === 'clabe' ? t.clabe : t.card}</span>
              <code>${a.value}</code> ${a.bank && html`<span>${a.bank}</span>`}
              <span class="small">${t.reportsN(a.reports)}</span></li>`)}
          </ul>`}
    </section>`;
}
