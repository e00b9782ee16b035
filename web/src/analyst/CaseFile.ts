import { html } from 'htm/preact';
import type { Lang } from '../shared/types.js';
import { useAction } from '../shared/useAction.js';
import { saveFile, type AnalystApi, type ExportFormat } from './api.js';
import { strings } from './strings.js';

interface Props {
  api: AnalystApi;
  lang: Lang;
  picked: ReadonlySet<string>;
  onPick: (n: string, on: boolean) => void;
  onClear: () => void;
  onOpen: (n: string) => void;
}

/** The numbers ticked for a case file, downloaded as JSON or CSV (the server leaves reporters out). */
export function CaseFile({ api, lang, picked, onPick, onClear, onOpen }: Props) {
  const t = strings[lang];
  const { busy, error, run } = useAction(lang);
  const numbers = [...picked];
  const download = async (format: ExportFormat) => {
    const file = await run(format, () => api.exportCase(numbers, format));
    if (file) saveFile(file);
  };
  return html`
    <aside class="case" aria-labelledby="case-title" data-testid="case-file">
      <h2 id="case-title">${t.caseTitle} <span class="count" data-testid="case-count">${numbers.length}</span></h2>
      <p class="small">${t.caseHint}</p>
      ${numbers.length === 0
        ? html`<p class="hint">${t.caseEmpty}</p>`
        : html`<ul class="case-numbers">${numbers.map((n) => html`<li key=${n}>
            <button type="button" class="link number" onClick=${() => onOpen(n)}>${n}</button>
            <button type="button" class="link" aria-label=${t.removeFromCase(n)} onClick=${() => onPick(n, false)}>×</button></li>`)}</ul>`}
      <div class="buttons">
        <button type="button" class="primary" data-testid="export-csv" disabled=${!numbers.length || busy !== null} onClick=${() => download('csv')}>${t.exportCsv}</button>
        <button type="button" class="secondary" data-testid="export-json" disabled=${!numbers.length || busy !== null} onClick=${() => download('json')}>${t.exportJson}</button>
        ${numbers.length > 0 && html`<button type="button" class="link" onClick=${onClear}>${t.clearCase}</button>`}
      </div>
      ${error && html`<p class="error" role="alert" data-testid="export-error">${error}</p>`}
    </aside>`;
}
