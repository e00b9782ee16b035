import { html } from 'htm/preact';
import { CITIZEN_ALERT_KINDS, type AlertKind } from '../../shared/alerts.js';
import type { Lang } from '../../shared/types.js';
import { panicStrings } from './strings.js';

interface Props { lang: Lang; onPress: (kind: AlertKind) => void }

const SPECIFIC = CITIZEN_ALERT_KINDS.filter((k) => k !== 'other');

/**
 * Every button here sends the alert on the first tap. Asking "what is happening?" before
 * sending would cost a frightened person a second tap and seconds of reading; asking after
 * would need an API to change the kind. So the big button sends kind "other" at once, and each
 * smaller button is itself a panic button that also says what is happening.
 */
export function PanicButtons({ lang, onPress }: Props) {
  const t = panicStrings[lang];
  return html`
    <button type="button" class="panic-button" data-testid="panic-button" onClick=${() => onPress('other')}>
      <span class="panic-label">${t.button}</span>
      <span class="panic-hint">${t.buttonHint}</span>
    </button>
    <p class="small kinds-hint">${t.kindsHint}</p>
    <div class="kinds">
      ${SPECIFIC.map((kind) => html`
        <button type="button" key=${kind} class="kind" data-testid=${`panic-kind-${kind}`} onClick=${() => onPress(kind)}>
          ${t.kinds[kind]}
        </button>`)}
    </div>
    <p class="small">${t.locationNote}</p>
    <a class="coach-link" href="/llamada" data-testid="panic-coach-link">${t.coachLink}</a>`;
}
