import { html } from 'htm/preact';
import type { ComponentChildren } from 'preact';
import { LangToggle } from './LangToggle.js';
import type { Lang } from './types.js';

interface Props { title: string; lang: Lang; onLang: (l: Lang) => void; children?: ComponentChildren }

/** The staff pages' header: brand and page name, the page's own controls, the language switch. */
export function TopBar({ title, lang, onLang, children }: Props) {
  return html`
    <header class="top">
      <div class="brand"><span class="logo" aria-hidden="true"></span>Cuadrante <span class="page-name">· ${title}</span></div>
      <div class="top-right">
        ${children}
        <${LangToggle} lang=${lang} onChange=${onLang} />
      </div>
    </header>`;
}
