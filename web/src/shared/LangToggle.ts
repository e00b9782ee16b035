import { html } from 'htm/preact';
import { common, otherLang } from './i18n.js';
import type { Lang } from './types.js';

interface Props { lang: Lang; onChange: (lang: Lang) => void }

/** Names the other language in that language (marked with its lang), as language pickers should. */
export function LangToggle({ lang, onChange }: Props) {
  const next = otherLang(lang);
  return html`
    <button type="button" class="lang-toggle" data-testid="lang-toggle"
      title=${common[lang].switchToLabel} onClick=${() => onChange(next)}>
      <span lang=${next}>${common[lang].switchTo}</span>
    </button>`;
}
