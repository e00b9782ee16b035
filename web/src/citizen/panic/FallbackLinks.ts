import { html } from 'htm/preact';
import type { Lang, LatLon } from '../../shared/types.js';
import { displayPhone } from '../../../../src/rules/phone-format.js';
import { smsHref } from './store.js';
import { panicStrings } from './strings.js';

interface Props { lang: Lang; cityLine: string | null; point: LatLon | null; big?: boolean; testId: string }

/** 911 always; an SMS to the city's line (which needs no data) when its number is known. */
export function FallbackLinks({ lang, cityLine, point, big = false, testId }: Props) {
  const t = panicStrings[lang];
  return html`
    <div class=${big ? 'fallbacks big' : 'fallbacks'}>
      <a class="call call-911" href="tel:911" data-testid=${`${testId}-911`}>${t.call911}</a>
      ${cityLine && html`
        <a class="call sms" href=${smsHref(cityLine, point)} data-testid=${`${testId}-sms`}>${t.sms(displayPhone(cityLine))}</a>`}
    </div>`;
}
