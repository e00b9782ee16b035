import { html } from 'htm/preact';
import { useEffect } from 'preact/hooks';
import type { Lang, LatLon } from '../../shared/types.js';
import { AlertTracker } from './AlertTracker.js';
import { PanicButtons } from './PanicButtons.js';
import { PinSettings } from './PinSettings.js';
import { SendingPanel } from './SendingPanel.js';
import { rememberCityLine, storedCityLine } from './store.js';
import { panicStrings } from './strings.js';
import { useFollow } from './useFollow.js';
import { usePanic } from './usePanic.js';

interface Props {
  lang: Lang;
  /** The city's SMS/phone line from /api/v1/config/public, once known. */
  cityLine: string | null;
  fallbackPoint: LatLon | null;
}

/**
 * The panic button and the alert it raised. Imports nothing of the map, so it works from the
 * first paint, before (or without) MapLibre. The unit coming is told in words (how far, how soon):
 * the server never says where a patrol car is, so there is nothing to draw.
 */
export function PanicSection({ lang, cityLine, fallbackPoint }: Props) {
  const t = panicStrings[lang];
  const follow = useFollow(lang);
  const panic = usePanic({ lang, fallbackPoint, onAccepted: follow.follow });
  useEffect(() => { if (cityLine) rememberCityLine(cityLine); }, [cityLine]);
  const line = cityLine ?? storedCityLine();

  const body = () => {
    if (follow.alert) {
      return html`<${AlertTracker} lang=${lang} alert=${follow.alert} approach=${follow.approach} offsetMs=${follow.offsetMs}
        connection=${follow.connection} onCancel=${follow.cancel} onDismiss=${follow.dismiss} />`;
    }
    const { sending } = panic;
    if (sending.phase !== 'idle') {
      return html`<${SendingPanel} lang=${lang} sending=${sending} cityLine=${line}
        onRetry=${() => panic.press(sending.phase === 'noLocation' ? sending.kind : 'other')}
        onDiscard=${panic.discard} onReset=${panic.reset} />`;
    }
    return html`<${PanicButtons} lang=${lang} onPress=${panic.press} />`;
  };

  return html`
    <section class="panic" aria-labelledby="panic-heading" data-testid="panic">
      <h2 id="panic-heading" class="panic-heading">${follow.alert ? t.trackingHeading : t.heading}</h2>
      ${body()}
      ${!follow.alert && panic.sending.phase === 'idle' && html`<${PinSettings} lang=${lang} />`}
    </section>`;
}
