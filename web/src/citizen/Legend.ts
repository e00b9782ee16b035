import { html } from 'htm/preact';
import { common } from '../shared/i18n.js';
import { THREAT_LEVELS, threatColor } from '../shared/threat.js';
import type { Lang } from '../shared/types.js';
import { strings } from './strings.js';

export function Legend({ lang }: { lang: Lang }) {
  return html`
    <figure class="legend" data-testid="legend">
      <figcaption>${strings[lang].threatLevel}</figcaption>
      <ol>
        ${THREAT_LEVELS.map((level) => html`
          <li key=${level}>
            <span class="swatch" style=${{ background: threatColor(level) }} aria-hidden="true"></span>
            ${level} · ${common[lang].threatLevels[level - 1]}
          </li>`)}
      </ol>
    </figure>`;
}
