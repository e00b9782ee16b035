import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import { LevelBadge } from '../coach/LevelBadge.js';
import { displayPhone } from '../../../src/rules/phone-format.js';
import { loadPhoneRule } from '../shared/phoneRule.js';
import type { Lang } from '../shared/types.js';
import { checkStrings } from './checkStrings.js';
import { explanationOf, useNumberCheck, type Check } from './useNumberCheck.js';

/** "¿Quién me llama?": a private reputation check, and the way to the call coach. */
export function NumberCheck({ lang }: { lang: Lang }) {
  const t = checkStrings[lang];
  const [raw, setRaw] = useState('');
  const { check, run } = useNumberCheck(lang);
  const submit = (e: Event) => { e.preventDefault(); void run(raw); };
  return html`
    <section class="panel number-check" aria-labelledby="number-check-title" data-testid="number-check">
      <h2 id="number-check-title">${t.title}</h2>
      <p>${t.intro}</p>
      <form class="check-form" onSubmit=${submit}>
        <label for="check-number" class="visually-hidden">${t.label}</label>
        <input id="check-number" data-testid="check-number" type="tel" inputmode="tel" autocomplete="off" maxlength="64"
          placeholder=${t.placeholder} value=${raw} onFocus=${preload} onInput=${(e: Event) => setRaw((e.target as HTMLInputElement).value)} />
        <button type="submit" class="check-submit" data-testid="check-submit" disabled=${check.phase === 'checking'}>
          ${check.phase === 'checking' ? t.checking : t.submit}
        </button>
      </form>
      <div aria-live="polite" data-testid="check-result" data-phase=${check.phase}>${result(check, lang)}</div>
      <p class="small">${t.privacy}</p>
      <a class="coach-link" href="/llamada" data-testid="coach-link">${t.onCall}</a>
    </section>`;
}

/** Fetches the phone rule while the person types, so the check answers at once. */
const preload = () => { loadPhoneRule().catch(() => { /* offline: run() says so */ }); };

function result(check: Check, lang: Lang) {
  const t = checkStrings[lang];
  switch (check.phase) {
    case 'idle': case 'checking': return null;
    case 'short': return html`<p class="notice" data-testid="check-short">${check.code} ${t.short[check.service]}. ${t.shortTail}</p>`;
    case 'invalid': return check.problem === 'empty' ? null
      : html`<p class="error" data-testid="check-invalid">${check.problem === 'local_only' ? t.local : `${t.malformed} (${check.detail[lang]})`}</p>`;
    case 'failed': return html`<p class="error" role="alert">${check.message}</p>`;
    case 'done': {
      const shown = displayPhone(check.e164);
      return html`
        <p class="checked-number" data-testid="checked-number">${shown}</p>
        <${LevelBadge} level=${check.entry?.level ?? 'none'} lang=${lang} explanation=${explanationOf(check.entry)} testId="check-level" />
        <a class="report-link" href=${`/llamada?numero=${encodeURIComponent(check.e164)}#reportar`} data-testid="check-report">${t.reportIt}</a>`;
    }
  }
}
