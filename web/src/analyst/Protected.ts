import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import { useAction } from '../shared/useAction.js';
import { LoadStatus } from './LoadStatus.js';
import { strings } from './strings.js';
import { useLoad } from './useLoad.js';
import type { ViewProps } from './viewProps.js';

/** Emergency, government, bank and business lines; admins edit the list, analysts read it. */
export function Protected({ api, lang, onOpen, isAdmin }: ViewProps & { isAdmin: boolean }) {
  const t = strings[lang];
  const list = useLoad(() => api.protectedNumbers(), 'protected');
  const { busy, error, run } = useAction(lang);
  const [number, setNumber] = useState('');
  const [label, setLabel] = useState('');

  const add = async (e: Event) => {
    e.preventDefault();
    if (await run('add', () => api.protect(number.trim(), label.trim()))) {
      setNumber('');
      setLabel('');
      list.reload();
    }
  };
  const remove = async (n: string) => {
    if (await run(n, () => api.unprotect(n))) list.reload();
  };

  return html`
    <section class="panel" aria-labelledby="protected-title">
      <h1 id="protected-title">${t.protectedTitle}</h1>
      <p class="hint">${t.protectedHint}</p>
      ${isAdmin
        ? html`<form class="inline-form" onSubmit=${add} data-testid="protect-form">
            <label>${t.number}<input type="tel" required data-testid="protect-number" value=${number}
              onInput=${(e: Event) => setNumber((e.target as HTMLInputElement).value)} /></label>
            <label>${t.label}<input type="text" required minlength="2" maxlength="120" data-testid="protect-label" value=${label}
              onInput=${(e: Event) => setLabel((e.target as HTMLInputElement).value)} /></label>
            <button type="submit" class="primary" data-testid="protect-submit" disabled=${busy !== null}>${t.protect}</button>
          </form>`
        : html`<p class="small" data-testid="admin-only">${t.adminOnly}</p>`}
      ${error && html`<p class="error" role="alert">${error}</p>`}
      <${LoadStatus} state=${list} lang=${lang} onRetry=${list.reload} />
      ${list.data?.length === 0 && html`<p class="hint">${t.protectedEmpty}</p>`}
      ${list.data && list.data.length > 0 && html`
        <table class="grid" data-testid="protected">
          <thead><tr><th>${t.number}</th><th>${t.label}</th>${isAdmin && html`<th></th>`}</tr></thead>
          <tbody>${list.data.map((p) => html`
            <tr key=${p.e164} data-testid="protected-row" data-number=${p.e164}>
              <td><button type="button" class="link number" onClick=${() => onOpen(p.e164)}>${p.e164}</button></td>
              <td>${p.label}</td>
              ${isAdmin && html`<td><button type="button" class="link danger-text" data-testid="unprotect"
                disabled=${busy !== null} onClick=${() => remove(p.e164)}>${t.unprotect}</button></td>`}
            </tr>`)}
          </tbody>
        </table>`}
    </section>`;
}
