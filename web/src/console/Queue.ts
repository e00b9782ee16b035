import { html } from 'htm/preact';
import type { StaffAlertView } from '../shared/alerts.js';
import type { Lang } from '../shared/types.js';
import { DuressBadge, HoldBadge, StatusBadge } from './Badges.js';
import { Countdown } from './Countdown.js';
import { clock } from './format.js';
import { strings } from './strings.js';
import { isHeld } from './urgency.js';
import { useNow } from './useNow.js';

interface Props { queue: readonly StaffAlertView[]; selectedId: string | null; lang: Lang; onSelect: (id: string) => void }

/** Open alerts, most urgent first, each with its age and escalation countdown. */
export function Queue({ queue, selectedId, lang, onSelect }: Props) {
  const t = strings[lang];
  const now = useNow(1000, queue.length > 0);
  return html`
    <section class="queue" aria-labelledby="queue-title">
      <h2 id="queue-title">${t.queueTitle} <span class="count" data-testid="queue-count">${queue.length}</span></h2>
      ${queue.length === 0
        ? html`<p class="hint" data-testid="queue-empty">${t.queueEmpty}</p>`
        : html`<ol class="rows" data-testid="queue">
            ${queue.map((a) => html`<${Row} key=${a.id} alert=${a} now=${now} lang=${lang}
              selected=${a.id === selectedId} onSelect=${onSelect} />`)}
          </ol>`}
    </section>`;
}

interface RowProps { alert: StaffAlertView; now: number; lang: Lang; selected: boolean; onSelect: (id: string) => void }

function Row({ alert: a, now, lang, selected, onSelect }: RowProps) {
  const t = strings[lang];
  const where = a.quadrant ? a.quadrant.id : t.outsideQuadrants;
  const units = a.assignedUnit
    ? html`${t.assignedTo} <strong data-testid="assigned-unit">${a.assignedUnit.callsign}</strong>`
    : html`${t.paged}: <span data-testid="paged-units">${a.pagedUnits.length ? a.pagedUnits.map((u) => u.callsign).join(', ') : t.nobodyPaged}</span>`;
  const held = isHeld(a) ? a.hold : null;
  const classes = ['row', selected && 'selected', held && 'is-held', a.duress && 'is-duress', a.escalated && 'is-escalated'].filter(Boolean).join(' ');
  return html`
    <li data-testid="queue-row" data-alert-id=${a.id} data-status=${a.status} data-duress=${a.duress} data-hold=${held ?? ''}>
      <button type="button" class=${classes} aria-pressed=${selected} onClick=${() => onSelect(a.id)}>
        <span class="line">
          ${held && html`<${HoldBadge} reason=${held} lang=${lang} />`}
          ${a.duress && html`<${DuressBadge} lang=${lang} />`}
          <strong class="kind" data-testid="row-kind">${t.kinds[a.kind] ?? a.kind}</strong>
          <span class="where" data-testid="row-quadrant">${where}</span>
          ${a.source === 'dispatcher' && html`<span class="tag">${t.fromCall}</span>`}
          <${StatusBadge} status=${a.status} lang=${lang} />
        </span>
        <span class="line small">
          <span class="age" data-testid="age">${t.age} ${clock(now - Date.parse(a.createdAt))}</span>
          <span class="row-units">${units}</span>
          <${Countdown} alert=${a} now=${now} lang=${lang} />
        </span>
      </button>
    </li>`;
}
