import { html } from 'htm/preact';
import type { StaffAlertView, Unit } from '../shared/alerts.js';
import { formatDistance } from '../shared/i18n.js';
import type { Lang, LatLon } from '../shared/types.js';
import { ShiftBadge } from './Badges.js';
import { useFleetVersion, type FleetStore } from './fleet.js';
import { useUnitPositions } from './positions.js';
import { strings } from './strings.js';
import { rankUnits } from './urgency.js';

interface Props {
  alert: StaffAlertView;
  units: readonly Unit[];
  fleet: FleetStore;
  centroids: ReadonlyMap<string, LatLon>;
  lang: Lang;
  busy: boolean;
  onAssign: (unit: Unit) => void;
}

/** Distances need not follow every move: re-ranked every few seconds at most. */
const RERANK_EVERY_MS = 3000;

/** Every unit with its state: available first, nearest first (from its last fix, else its quadrant's centroid). */
export function UnitPicker({ alert, units, fleet, centroids, lang, busy, onAssign }: Props) {
  const t = strings[lang];
  const version = useFleetVersion(fleet, RERANK_EVERY_MS);
  const positions = useUnitPositions(units, fleet, centroids, version);
  const choices = rankUnits(units, positions, alert);
  const verb = alert.assignedUnit ? t.reassign : t.assign;
  return html`
    <section class="picker" aria-labelledby="picker-title">
      <h3 id="picker-title">${t.assignTitle}</h3>
      ${choices.length === 0 ? html`<p class="hint">${t.noUnits}</p>` : html`
        <ul class="units" data-testid="unit-picker">
          ${choices.map(({ unit, distanceM }) => {
            const current = alert.assignedUnit?.id === unit.id;
            return html`
              <li key=${unit.id} data-testid="unit-option" data-unit-id=${unit.id} data-callsign=${unit.callsign} data-state=${unit.shiftState}>
                <span class="callsign">${unit.callsign}</span>
                <span class="small">${t.unitTypes[unit.type] ?? unit.type} · ${unit.quadrantIds.join(', ')}</span>
                <span class="marks"><${ShiftBadge} state=${unit.shiftState} lang=${lang} />${fleet.isSilent(unit.id)
                  && html` <span class="badge no-signal" data-testid="unit-option-no-signal">${t.noSignal}</span>`}</span>
                <span class="small distance">${distanceM === null ? t.distanceUnknown : t.distance(formatDistance(distanceM, lang))}</span>
                <button type="button" class="secondary" data-testid="assign-unit" disabled=${busy || current}
                  onClick=${() => onAssign(unit)} aria-label=${`${verb} ${unit.callsign}`}>${verb}</button>
              </li>`;
          })}
        </ul>`}
    </section>`;
}
