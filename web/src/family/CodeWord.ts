import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import { failureMessage } from '../shared/errors.js';
import type { Lang } from '../shared/types.js';
import { strings } from './strings.js';
import type { Family } from './useFamily.js';

type Result = { kind: 'saved' } | { kind: 'check'; set: boolean; matches: boolean } | { kind: 'error'; message: string };

/** Sets the family code word (the server keeps only a hash) and checks a word against it. */
export function CodeWord({ family, lang }: { family: Family; lang: Lang }) {
  const t = strings[lang];
  const [word, setWord] = useState('');
  const [probe, setProbe] = useState('');
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<Result | null>(null);

  const attempt = async (task: () => Promise<Result>) => {
    setBusy(true);
    setResult(null);
    try { setResult(await task()); } catch (err) { setResult({ kind: 'error', message: failureMessage(err, lang) }); } finally { setBusy(false); }
  };
  const save = (e: Event) => {
    e.preventDefault();
    if (word.trim().length < 3) { setResult({ kind: 'error', message: t.wordShort }); return; }
    void attempt(async () => { await family.saveWord(word); setWord(''); return { kind: 'saved' }; });
  };
  const check = (e: Event) => {
    e.preventDefault();
    void attempt(async () => ({ kind: 'check', ...(await family.checkWord(probe)) }));
  };

  return html`
    <div class="family-card">
      <h3>${t.codeWordTitle}</h3>
      <p class="family-small">${t.codeWordHint}</p>
      <form class="family-form family-row" onSubmit=${save} data-testid="code-word-form">
        <label>${t.codeWord}
          <input type="password" autocomplete="new-password" minlength="3" maxlength="64" required data-testid="code-word-input"
            value=${word} onInput=${(e: Event) => setWord((e.target as HTMLInputElement).value)} /></label>
        <button type="submit" class="family-secondary" data-testid="code-word-save" disabled=${busy}>${t.saveWord}</button>
      </form>
      <form class="family-form family-row" onSubmit=${check} data-testid="code-word-check-form">
        <label>${t.checkTitle}
          <input type="text" autocomplete="off" maxlength="64" required data-testid="code-word-check-input" aria-describedby="check-hint"
            value=${probe} onInput=${(e: Event) => setProbe((e.target as HTMLInputElement).value)} /></label>
        <button type="submit" class="family-secondary" data-testid="code-word-check" disabled=${busy}>${t.check}</button>
      </form>
      <p class="family-small" id="check-hint">${t.checkHint}</p>
      ${result && html`<${Outcome} result=${result} lang=${lang} />`}
    </div>`;
}

function Outcome({ result, lang }: { result: Result; lang: Lang }) {
  const t = strings[lang];
  if (result.kind === 'error') return html`<p class="family-error" role="alert" data-testid="code-word-result" data-result="error">${result.message}</p>`;
  if (result.kind === 'saved') return html`<p class="family-ok" role="status" data-testid="code-word-result" data-result="saved">${t.wordSaved}</p>`;
  const [key, text] = !result.set ? ['not-set', t.notSet] : result.matches ? ['match', t.matches] : ['no-match', t.noMatch];
  return html`<p class=${result.matches ? 'family-ok' : 'family-warn'} role="status" data-testid="code-word-result" data-result=${key}>${text}</p>`;
}
