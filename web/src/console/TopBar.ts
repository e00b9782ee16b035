import { html } from 'htm/preact';
import type { ComponentChildren } from 'preact';
import { LangToggle } from '../shared/LangToggle.js';
import type { Lang } from '../shared/types.js';
import { strings } from './strings.js';

interface Props { lang: Lang; onLang: (l: Lang) => void; children?: ComponentChildren }

export function TopBar({ lang, onLang, children }: Props) {
  return html`
    <header class="top">
      <div class="brand"><span class="logo" aria-hidden="true"></span>Cuadrante <span class="page-name">· ${strings[lang].title}</span></div>
      <div class="top-right">
        ${children}
        <${LangToggle} lang=${lang} onChange=${onLang} />
      </div>
    </header>`;
}
