import { html } from 'htm/preact';
import { useMemo, useState } from 'preact/hooks';
import type { Unit } from '../shared/alerts.js';
import type { Lang } from '../shared/types.js';
import type { StaffApi } from './api.js';
import { ShiftBadge } from './Badges.js';
import { useFleetVersion, type FleetStore } from './fleet.js';
import { strings } from './strings.js';
import { Trackers } from './Trackers.js';
import type { ConsoleSettings } from './types.js';
import { EditUnitForm, NewUnitForm } from './UnitForm.js';

interface Props {
  units: readonly Unit[];
  fleet: FleetStore;
  api: StaffApi;
  lang: Lang;
  /** Admins create and edit; dispatchers only look. */
  canManage: boolean;
  settings: ConsoleSettings | null;
  selectedUnitId: string | null;
  onSelectUnit: (unitId: string) => void;
  /** A unit the API just created or changed, applied at once (the socket confirms it). */
  onUnit: (unit: Unit) => void;
  onClose: () => void;
}

/** Every unit with its signal and geofence marks; for admins, registration, editing and trackers. */
export function UnitsPanel(props: Props) {
  const { units, fleet, api, lang, canManage, settings, onClose } = props;
  const t = strings[lang];
  const [filter, setFilter] = useState('');
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<string | null>(null);
  // Signal and geofence marks refresh once a second at most, however fast units move.
  useFleetVersion(fleet, 1000);

  const shown = useMemo(() => {
    const q = filter.trim().toUpperCase();
    return q ? units.filter((u) => u.callsign.includes(q) || u.quadrantIds.some((id) => id.includes(q))) : units;
  }, [units, filter]);

  return html`
    <section class="units-panel" data-testid="units-panel" aria-labelledby="units-title">
      <header class="detail-head">
        <h2 id="units-title">${t.unitsTitle} <span class="count" data-testid="units-count">${units.length}</span></h2>
        <button type="button" class="link" onClick=${onClose} data-testid="units-close">${t.close}</button>
      </header>
      ${!canManage && html`<p class="hint" data-testid="units-read-only">${t.unitsReadOnly}</p>`}
      ${canManage && (creating
        ? html`<${NewUnitForm} api=${api} lang=${lang} onCreated=${props.onUnit} />`
        : html`<button type="button" class="secondary wide-button" data-testid="unit-create-open" onClick=${() => setCreating(true)}>${t.newUnit}</button>`)}
      <input type="search" class="filter" data-testid="units-filter" placeholder=${t.filterUnits} aria-label=${t.filterUnits}
        value=${filter} onInput=${(e: Event) => setFilter((e.target as HTMLInputElement).value)} />
      ${units.length === 0 ? html`<p class="hint">${t.noUnits}</p>`
        : shown.length === 0 ? html`<p class="hint">${t.noMatch}</p>`
        : html`<ul class="units unit-list" data-testid="unit-list">
            ${shown.map((u) => editing === u.id
              ? html`<li key=${u.id} class="editing">
                  <strong class="callsign">${u.callsign}</strong>
                  <${EditUnitForm} unit=${u} api=${api} lang=${lang} onCancel=${() => setEditing(null)}
                    onSaved=${(saved: Unit) => { props.onUnit(saved); setEditing(null); }} />
                </li>`
              : html`<${UnitRow} key=${u.id} unit=${u} lang=${lang} fleet=${fleet} canManage=${canManage}
                  selected=${u.id === props.selectedUnitId} onSelect=${props.onSelectUnit} onEdit=${setEditing} />`)}
          </ul>`}
      ${canManage && html`<${Trackers} api=${api} units=${units} lang=${lang} settings=${settings} />`}
    </section>`;
}

interface RowProps {
  unit: Unit;
  lang: Lang;
  fleet: FleetStore;
  canManage: boolean;
  selected: boolean;
  onSelect: (unitId: string) => void;
  onEdit: (unitId: string) => void;
}

function UnitRow({ unit: u, lang, fleet, canManage, selected, onSelect, onEdit }: RowProps) {
  const t = strings[lang];
  const fix = fleet.get(u.id);
  const silent = fleet.isSilent(u.id);
  const outside = !!fleet.outside(u.id);
  return html`
    <li data-testid="unit-row" data-unit-id=${u.id} data-callsign=${u.callsign} data-state=${u.shiftState}
      data-no-signal=${silent} data-outside=${outside} class=${selected ? 'selected' : ''}>
      <button type="button" class="link callsign" data-testid="unit-select" onClick=${() => onSelect(u.id)}>${u.callsign}</button>
      <span class="small">${t.unitTypes[u.type] ?? u.type} · ${u.quadrantIds.join(', ')}</span>
      <span class="marks">
        <${ShiftBadge} state=${u.shiftState} lang=${lang} />
        ${!fix && html`<span class="badge no-fix" title=${t.noFixHint}>${t.noFix}</span>`}
        ${silent && html`<span class="badge no-signal" data-testid="unit-row-no-signal">${t.noSignal}</span>`}
        ${outside && html`<span class="badge outside" data-testid="unit-row-outside">${t.outsideTooLong}</span>`}
      </span>
      ${canManage && html`<button type="button" class="secondary" data-testid="unit-edit" onClick=${() => onEdit(u.id)}
        aria-label=${`${t.edit} ${u.callsign}`}>${t.edit}</button>`}
    </li>`;
}
