import { html } from 'htm/preact';
import { useEffect, useState } from 'preact/hooks';
import { OUTCOMES, isOpenStatus, type AlertAction, type AlertStatus, type Outcome, type StaffAlertView, type Unit } from '../shared/alerts.js';
import type { Lang, LatLon } from '../shared/types.js';
import { useAction } from '../shared/useAction.js';
import { checkTransition } from '../../../src/rules/lifecycle.js';
import type { StaffApi } from './api.js';
import type { FleetStore } from './fleet.js';
import { DuressBadge, HoldBadge, StatusBadge } from './Badges.js';
import { Countdown } from './Countdown.js';
import { EventLog } from './EventLog.js';
import { clock, coordinate, timeOfDay } from './format.js';
import { strings } from './strings.js';
import { UnitPicker } from './UnitPicker.js';
import { isHeld } from './urgency.js';
import { useNow } from './useNow.js';

interface Props {
  alert: StaffAlertView;
  units: readonly Unit[];
  fleet: FleetStore;
  centroids: ReadonlyMap<string, LatLon>;
  api: StaffApi;
  lang: Lang;
  /** The server's answer to an action, applied at once (the socket confirms it shortly after). */
  onChanged: (alert: StaffAlertView) => void;
  onClose: () => void;
}

/**
 * What a dispatcher may do from each status (mirrors the server's transition table). Only a held
 * alert rests in `new`: it may be confirmed (units are paged from then) or closed as a false alarm.
 */
// What the server's lifecycle table lets a dispatcher do now (src/rules/lifecycle.ts, the same
// table the server judges with). The outcome is picked after the button, so any one stands in. An
// alert rests in `new` only while held; an unheld one there is being paged this instant.
const may = (action: Exclude<AlertAction, 'acknowledge'>, status: AlertStatus, held: boolean) =>
  checkTransition(status, action, 'dispatcher', 'attended', held).ok && (action !== 'resolve' || status !== 'new' || held);

/** The selected alert: facts, timeline, actions, unit picker and log. */
export function Detail({ alert: a, units, fleet, centroids, api, lang, onChanged, onClose }: Props) {
  const t = strings[lang];
  const open = isOpenStatus(a.status);
  const held = isHeld(a) ? a.hold : null;
  const now = useNow(1000, open);
  const action = useAction(lang);
  const [outcome, setOutcome] = useState<Outcome>('attended');
  const [confirmCancel, setConfirmCancel] = useState(false);
  useEffect(() => { setConfirmCancel(false); action.clear(); }, [a.id]);

  const act = async (name: AlertAction, withOutcome?: Outcome) => {
    const result = await action.run(name, () => api.act(a.id, name, withOutcome));
    if (result) onChanged(result);
    setConfirmCancel(false);
  };
  const assign = async (unit: Unit) => {
    const result = await action.run('assign', () => api.assign(a.id, unit.id));
    if (result) onChanged(result);
  };
  const busy = action.busy !== null;

  return html`
    <section class="detail" data-testid="detail" data-alert-id=${a.id} data-status=${a.status} aria-labelledby="detail-title">
      <header class="detail-head">
        <h2 id="detail-title">${t.kinds[a.kind] ?? a.kind}</h2>
        <button type="button" class="link" onClick=${onClose} data-testid="detail-close">${t.close}</button>
      </header>
      <p class="line">
        ${held && html`<${HoldBadge} reason=${held} lang=${lang} />`}
        ${a.duress && html`<${DuressBadge} lang=${lang} />`}
        <${StatusBadge} status=${a.status} lang=${lang} />
        <span class="small">${t.source[a.source] ?? a.source}</span>
        ${open && html`<${Countdown} alert=${a} now=${now} lang=${lang} />`}
      </p>
      ${held && html`<p class="warning" data-testid="hold-hint">${t.holdHint[held]}</p>`}
      ${a.duress && html`<p class="warning">${t.duressHint}</p>`}
      <dl class="facts">
        <div><dt>${t.quadrant}</dt><dd data-testid="detail-quadrant">${a.quadrant?.id ?? t.outsideQuadrants}</dd></div>
        <div><dt>${t.sector}</dt><dd>${a.quadrant?.sector ?? '—'}</dd></div>
        <div><dt>${t.alcaldia}</dt><dd>${a.quadrant?.alcaldia ?? '—'}</dd></div>
        ${a.address && html`<div class="wide"><dt>${t.address}</dt><dd data-testid="detail-address">${a.address}</dd></div>`}
        ${a.note && html`<div class="wide"><dt>${t.note}</dt><dd>${a.note}</dd></div>`}
        <div class="wide"><dt>${t.coordinates}</dt>
          <dd>${coordinate(a.lat)}, ${coordinate(a.lon)}${a.accuracyM !== null ? ` (${t.accuracy(a.accuracyM)})` : ''}</dd></div>
        ${a.assignedUnit && html`<div><dt>${t.assignedTo}</dt><dd data-testid="detail-unit">${a.assignedUnit.callsign}</dd></div>`}
        ${a.outcome && html`<div><dt>${t.outcome}</dt><dd data-testid="detail-outcome">${t.outcomes[a.outcome]}</dd></div>`}
      </dl>
      <${Timeline} alert=${a} lang=${lang} />
      ${open ? html`
        <section class="actions" aria-labelledby="actions-title">
          <h3 id="actions-title">${t.actionsTitle}</h3>
          <div class="buttons">
            ${may('confirm', a.status, !!held) && html`<button type="button" class="danger" data-testid="action-confirm" disabled=${busy} onClick=${() => act('confirm')}>${t.confirm}</button>`}
            ${may('escalate', a.status, !!held) && html`<button type="button" class="danger" data-testid="action-escalate" disabled=${busy} onClick=${() => act('escalate')}>${t.escalate}</button>`}
            ${may('en_route', a.status, !!held) && html`<button type="button" class="secondary" data-testid="action-en-route" disabled=${busy} onClick=${() => act('en_route')}>${t.markEnRoute}</button>`}
            ${may('on_scene', a.status, !!held) && html`<button type="button" class="secondary" data-testid="action-on-scene" disabled=${busy} onClick=${() => act('on_scene')}>${t.markOnScene}</button>`}
          </div>
          ${may('resolve', a.status, !!held) && html`
            <form class="resolve" onSubmit=${(e: Event) => { e.preventDefault(); void act('resolve', outcome); }}>
              <label>${t.outcome}
                <select data-testid="resolve-outcome" value=${outcome} onChange=${(e: Event) => setOutcome((e.target as HTMLSelectElement).value as Outcome)}>
                  ${OUTCOMES.map((o) => html`<option key=${o} value=${o}>${t.outcomes[o]}</option>`)}
                </select>
              </label>
              <button type="submit" data-testid="action-resolve" disabled=${busy}>${t.resolve}</button>
            </form>`}
          ${may('cancel', a.status, !!held) && (confirmCancel
            ? html`<p class="confirm">${t.cancelQuestion}
                <button type="button" class="danger" data-testid="action-cancel-confirm" disabled=${busy} onClick=${() => act('cancel')}>${t.confirmCancel}</button>
                <button type="button" class="link" onClick=${() => setConfirmCancel(false)}>${t.keep}</button></p>`
            : html`<button type="button" class="link danger-text" data-testid="action-cancel" disabled=${busy} onClick=${() => setConfirmCancel(true)}>${t.cancel}</button>`)}
          ${action.error && html`<p class="error" role="alert" data-testid="action-error">${action.error}</p>`}
        </section>
        <${UnitPicker} alert=${a} units=${units} fleet=${fleet} centroids=${centroids} lang=${lang} busy=${busy} onAssign=${assign} />`
      : html`<p class="hint" data-testid="closed-notice">${t.closedNotice}</p>`}
      <${EventLog} alert=${a} units=${units} api=${api} lang=${lang} />
    </section>`;
}

function Timeline({ alert: a, lang }: { alert: StaffAlertView; lang: Lang }) {
  const t = strings[lang];
  const created = Date.parse(a.createdAt);
  const steps: Array<[string, string | null]> = [
    [t.created, a.createdAt], [t.acknowledged, a.acknowledgedAt], [t.enRoute, a.enRouteAt], [t.onScene, a.onSceneAt], [t.closedAt, a.closedAt],
  ];
  return html`
    <ol class="timeline" data-testid="timeline">
      ${steps.map(([label, at], i) => html`
        <li key=${label} class=${at ? 'done' : ''}>
          <span class="small">${label}</span>
          <span>${at ? timeOfDay(at, lang) : '—'}</span>
          ${at && i > 0 && html`<span class="small">+${clock(Date.parse(at) - created)}</span>`}
        </li>`)}
    </ol>`;
}
