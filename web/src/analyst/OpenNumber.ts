import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import type { Lang } from '../shared/types.js';
import { strings } from './strings.js';

/** Any number, as written (044 55…, +52 1 55…): the server normalises it. */
export function OpenNumber({ lang, onOpen }: { lang: Lang; onOpen: (n: string) => void }) {
  const t = strings[lang];
  const [value, setValue] = useState('');
  const submit = (e: Event) => {
    e.preventDefault();
    const n = value.trim();
    if (n) onOpen(n);
  };
  return html`
    <form class="open-number" role="search" onSubmit=${submit}>
      <label class="sr-only" for="open-number">${t.openNumber}</label>
      <input id="open-number" type="tel" inputmode="tel" placeholder=${t.openNumber} data-testid="open-number-input"
        value=${value} onInput=${(e: Event) => setValue((e.target as HTMLInputElement).value)} />
      <button type="submit" class="secondary" data-testid="open-number-submit">${t.open}</button>
    </form>`;
}
