import { html } from 'htm/preact';
import type { ShiftState, Unit, UnitType } from '../shared/alerts.js';
import type { Lang } from '../shared/types.js';
import { ShiftBadge } from './Badges.js';
import { useFleetVersion, type FleetStore } from './fleet.js';
import { clock, coordinate, timeOfDay } from './format.js';
import { strings } from './strings.js';
import type { Trail } from './track.js';
import { useNow } from './useNow.js';

interface Props {
  unitId: string;
  /** The unit as dispatch knows it (absent for a unit that only appears in positions). */
  unit: Unit | null;
  fleet: FleetStore;
  trail: Trail | null;
  trailFailed: boolean;
  lang: Lang;
  onClose: () => void;
  /** Present when the unit was opened from the units list. */
  onBack?: (() => void) | undefined;
}

/** The selected unit: who it is, where it was last seen and how fresh that is, and its last hour. */
export function UnitDetail({ unitId, unit, fleet, trail, trailFailed, lang, onClose, onBack }: Props) {
  const t = strings[lang];
  useFleetVersion(fleet, 500);
  const now = useNow(1000);
  const fix = fleet.get(unitId);
  const silent = fleet.isSilent(unitId);
  const outside = fleet.outside(unitId);
  const callsign = unit?.callsign ?? fix?.callsign ?? unitId;
  const type = (unit?.type ?? fix?.type ?? '') as UnitType;
  const shift = (unit?.shiftState ?? fix?.shiftState ?? 'off_duty') as ShiftState;
  const points = trail?.points ?? null;

  return html`
    <section class="detail unit-detail" data-testid="unit-detail" data-unit-id=${unitId} data-no-signal=${silent}
      data-outside=${!!outside} aria-labelledby="unit-detail-title">
      <header class="detail-head">
        <h2 id="unit-detail-title" data-testid="unit-detail-callsign">${callsign}</h2>
        <span>
          ${onBack && html`<button type="button" class="link" onClick=${onBack} data-testid="unit-detail-back">${t.backToUnits}</button>`}
          <button type="button" class="link" onClick=${onClose} data-testid="unit-detail-close">${t.close}</button>
        </span>
      </header>
      <p class="line">
        <${ShiftBadge} state=${shift} lang=${lang} />
        ${silent && html`<span class="badge no-signal" data-testid="unit-no-signal">${t.noSignal}</span>`}
        ${!fix && html`<span class="badge no-fix" title=${t.noFixHint}>${t.noFix}</span>`}
        ${outside && html`<span class="badge outside" data-testid="unit-outside">${t.outsideTooLong}</span>`}
      </p>
      <dl class="facts">
        <div><dt>${t.type}</dt><dd data-testid="unit-type">${t.unitTypes[type] ?? type}</dd></div>
        <div><dt>${t.lastFix}</dt>
          <dd data-testid="unit-last-fix">${fix ? html`${t.ago(clock(now - fix.atMs))} <span class="small">${timeOfDay(fix.atMs, lang)}</span>` : '—'}</dd></div>
        <div><dt>${t.speed}</dt><dd data-testid="unit-speed">${fix && fix.speedMps !== null ? t.kmh(Math.round(fix.speedMps * 3.6)) : '—'}</dd></div>
        <div><dt>${t.currentQuadrant}</dt><dd data-testid="unit-quadrant">${fix ? fix.quadrantId ?? t.outsideQuadrants : '—'}</dd></div>
        <div><dt>${t.assignedQuadrants}</dt><dd>${unit?.quadrantIds.join(', ') || t.noQuadrant}</dd></div>
        <div><dt>${t.phone}</dt><dd>${unit?.phone ?? '—'}</dd></div>
        ${fix && html`<div class="wide"><dt>${t.coordinates}</dt>
          <dd>${coordinate(fix.lat)}, ${coordinate(fix.lon)}${fix.accuracyM !== null ? ` (${t.accuracy(fix.accuracyM)})` : ''}</dd></div>`}
      </dl>
      <section class="trail" aria-labelledby="trail-title">
        <h3 id="trail-title">${t.trailTitle}</h3>
        ${trailFailed ? html`<p class="error">${t.trailFailed}</p>`
          : !points ? html`<p class="hint">${t.trailLoading}</p>`
          : points.length === 0 ? html`<p class="hint" data-testid="trail-count" data-points="0">${t.trailEmpty}</p>`
          : html`<p data-testid="trail-count" data-points=${points.length}>
              <strong>${t.trailPoints(points.length)}</strong>
              <span class="small"> · ${timeOfDay(points[0]!.at, lang)} – ${timeOfDay(points[points.length - 1]!.at, lang)}</span></p>`}
      </section>
    </section>`;
}
