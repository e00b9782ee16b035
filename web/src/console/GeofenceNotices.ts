import { html } from 'htm/preact';
import type { Unit } from '../shared/alerts.js';
import type { Lang } from '../shared/types.js';
import { useFleetVersion, type FleetStore } from './fleet.js';
import { timeOfDay } from './format.js';
import { strings } from './strings.js';

interface Props { fleet: FleetStore; units: readonly Unit[]; lang: Lang; onShow: (unitId: string) => void }

const SHOWN = 3;

/** Units outside their quadrants for too long, until they return or the dispatcher dismisses them. */
export function GeofenceNotices({ fleet, units, lang, onShow }: Props) {
  useFleetVersion(fleet, 500);
  const notices = fleet.notices();
  if (notices.length === 0) return null;
  const t = strings[lang];
  const callsign = (id: string) => units.find((u) => u.id === id)?.callsign ?? fleet.get(id)?.callsign ?? id;
  return html`
    <div class="notices" role="alert" data-testid="geofence-notices">
      ${notices.slice(0, SHOWN).map((e) => html`
        <p class="notice" key=${`${e.unitId}|${e.at}`} data-testid="geofence-notice" data-unit-id=${e.unitId}>
          <span class="what">${t.outsideNotice(callsign(e.unitId), e.quadrantId ?? t.outsideQuadrants)}</span>
          <time class="small" datetime=${e.at}>${timeOfDay(e.at, lang)}</time>
          <button type="button" class="link" data-testid="geofence-show" onClick=${() => onShow(e.unitId)}>${t.show}</button>
          <button type="button" class="link" data-testid="geofence-dismiss" onClick=${() => fleet.dismiss(e)}>${t.dismiss}</button>
        </p>`)}
      ${notices.length > SHOWN && html`<p class="small">${t.moreNotices(notices.length - SHOWN)}</p>`}
    </div>`;
}
