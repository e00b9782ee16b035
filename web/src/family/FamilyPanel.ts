import { html } from 'htm/preact';
import { render } from 'preact';
import type { Lang } from '../shared/types.js';
import { CodeWord } from './CodeWord.js';
import { Contacts } from './Contacts.js';
import { strings } from './strings.js';
import { useFamily } from './useFamily.js';
import './family.css';

// "Mi familia": trusted contacts, "¿Estás bien?" check-ins with the live answer, and the family
// code word. Self-contained (its own strings and styles, all scoped under .family) so any page
// can place it: the citizen page at /#familia, the call coach, and verificar.html without a token.

interface Props { lang: Lang; /** Heading level of the panel's title on the host page (default 2). */ level?: 1 | 2 }

export function FamilyPanel({ lang, level = 2 }: Props) {
  const t = strings[lang];
  const family = useFamily(lang);
  const Title = level === 1 ? 'h1' : 'h2';
  return html`
    <section class="family" id="familia" aria-labelledby="family-title" data-testid="family-panel">
      <${Title} id="family-title" class="family-title">${t.title}<//>
      <p class="family-intro">${t.intro}</p>
      <${Contacts} family=${family} lang=${lang} />
      <${CodeWord} family=${family} lang=${lang} />
    </section>`;
}

/** For a host that is not a Preact tree: renders the panel into `el`; returns the unmount function. */
export function mountFamilyPanel(el: HTMLElement, lang: Lang): () => void {
  render(html`<${FamilyPanel} lang=${lang} />`, el);
  return () => render(null, el);
}
