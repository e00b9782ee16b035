import { html } from 'htm/preact';
import type { AlertStatus, ShiftState } from '../shared/alerts.js';
import type { Lang } from '../shared/types.js';
import { SHIFT_COLORS, STATUS_COLORS, UNIT_STROKE } from './colors.js';
import { strings } from './strings.js';

const STATUSES: readonly AlertStatus[] = ['paging', 'escalated', 'acknowledged', 'en_route', 'on_scene'];
const SHIFTS: readonly ShiftState[] = ['available', 'busy', 'off_duty'];

/** What the map's colours mean, in words. */
export function Legend({ lang }: { lang: Lang }) {
  const t = strings[lang];
  return html`
    <div class="map-legend" data-testid="legend">
      <span class="legend-title">${t.legendAlerts}:</span>
      ${STATUSES.map((s) => html`<span key=${s}><i class="swatch" style=${{ background: STATUS_COLORS[s] }}></i>${t.statuses[s]}</span>`)}
      <span><i class="swatch duress-swatch"></i>${t.legendDuress}</span>
      <span class="legend-title">${t.legendUnits}:</span>
      ${SHIFTS.map((s) => html`<span key=${s}><i class="swatch unit-swatch" style=${{ background: SHIFT_COLORS[s], borderColor: UNIT_STROKE }}></i>${t.shift[s]}</span>`)}
      <span><i class="swatch unit-swatch no-signal-swatch"></i>${t.legendNoSignal}</span>
      <span><i class="heading-swatch" aria-hidden="true"></i>${t.legendHeading}</span>
      <span><i class="swatch outside-swatch"></i>${t.legendOutside}</span>
    </div>`;
}
