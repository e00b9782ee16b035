import { html } from 'htm/preact';
import type { Lang } from '../shared/types.js';
import { strings } from './strings.js';
import { useCheckinLink, type Busy, type LinkPhase } from './useCheckinLink.js';

/** The trusted contact's page: two big answers, and what happens next in plain words. */
export function VerifyPage({ token, lang }: { token: string; lang: Lang }) {
  const t = strings[lang];
  const { state, busy, answer, reload } = useCheckinLink(token, lang);
  return html`
    <main class="family verify" data-testid="verify" data-phase=${state.phase}>
      <h1 class="verify-ask">${t.verifyAsk}</h1>
      ${state.phase === 'loading' && html`<p class="family-small">${t.loading}</p>`}
      ${state.phase === 'open' && html`
        <p>${t.verifyHint}</p>
        <${Buttons} busy=${busy} lang=${lang} onAnswer=${answer} />`}
      ${state.phase === 'answered' && html`<${Answered} state=${state} busy=${busy} lang=${lang} onAnswer=${answer} />`}
      ${state.phase === 'expired' && html`
        <p class="family-warn" data-testid="verify-expired">${t.expired}</p>
        <p>${t.linkExpiredHint}</p>
        <${Call911} lang=${lang} />`}
      ${state.phase === 'failed' && html`
        <p class="family-error" role="alert" data-testid="verify-error">${state.message}</p>
        <button type="button" class="family-secondary" onClick=${reload}>${t.retry}</button>
        <${Call911} lang=${lang} />`}
      <p class="family-small">${t.privacy}</p>
    </main>`;
}

interface ButtonsProps { busy: Busy; lang: Lang; onAnswer: (a: 'fine' | 'need_help') => void; onlyHelp?: boolean }

function Buttons({ busy, lang, onAnswer, onlyHelp = false }: ButtonsProps) {
  const t = strings[lang];
  const helpLabel = busy === 'locating' ? t.locating : busy === 'sending' ? t.sending : t.needHelp;
  return html`
    <div class="verify-buttons" aria-busy=${busy !== null}>
      ${!onlyHelp && html`<button type="button" class="verify-fine" data-testid="answer-fine" disabled=${busy !== null}
        onClick=${() => onAnswer('fine')}>${busy === 'fine' ? t.sending : t.fine}</button>`}
      <button type="button" class="verify-help" data-testid="answer-help" disabled=${busy !== null}
        onClick=${() => onAnswer('need_help')}>${helpLabel}</button>
    </div>`;
}

type AnsweredState = Extract<LinkPhase, { phase: 'answered' }>;

function Answered({ state: s, busy, lang, onAnswer }: { state: AnsweredState; busy: Busy; lang: Lang; onAnswer: ButtonsProps['onAnswer'] }) {
  const t = strings[lang];
  if (s.status === 'fine') {
    return html`
      <p class="family-ok" role="status" data-testid="verify-result" data-result=${s.justNow ? 'fine' : 'used-fine'}>${s.justNow ? t.sentFine : t.usedFine}</p>
      <p>${t.changeToHelp}</p>
      <${Buttons} busy=${busy} lang=${lang} onAnswer=${onAnswer} onlyHelp=${true} />`;
  }
  const text = !s.justNow ? t.usedHelp : s.located ? t.sentHelp : t.sentHelpNoLocation;
  const key = !s.justNow ? 'used-help' : s.located ? 'help' : 'help-no-location';
  return html`
    <p class=${s.justNow && !s.located ? 'family-error' : 'family-warn'} role="alert" data-testid="verify-result" data-result=${key}>${text}</p>
    <${Call911} lang=${lang} />`;
}

function Call911({ lang }: { lang: Lang }) {
  return html`<a class="family-call verify-call" href="tel:911" data-testid="call-911">${strings[lang].call911}</a>`;
}
