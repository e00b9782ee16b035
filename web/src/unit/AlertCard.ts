import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import { OUTCOMES, isOpenStatus, type AlertAction, type Outcome, type StaffAlertView } from '../shared/alerts.js';
import { distanceM } from '../shared/geo.js';
import { checkTransition } from '../../../src/rules/lifecycle.js';
import { formatDistance } from '../shared/i18n.js';
import type { Lang, LatLon } from '../shared/types.js';
import { isMine, isRinging, takenByOther } from './alertList.js';
import { strings, type Strings } from './strings.js';
import type { ActResult } from './useDesk.js';

export interface Reference { point: LatLon; quadrantId: string }

interface Props {
  alert: StaffAlertView;
  unitId: string | null;
  lang: Lang;
  now: number;
  /** The officer's own position, if they allowed it; else their quadrant's interior point. */
  me: LatLon | null;
  home: Reference | null;
  /** The unit's own quadrants: an alert in one of them is simply "in your quadrant". */
  ownQuadrants: readonly string[];
  onAct: (id: string, action: AlertAction, outcome?: Outcome) => Promise<ActResult>;
  onDismiss: (id: string) => void;
}

/**
 * The steps in the order they happen. Each is enabled when the server's lifecycle table allows it a
 * unit (src/rules/lifecycle.ts); resolving is offered only once this unit has acknowledged (the
 * table would also let a unit close an alert nobody answered, a dispatcher's call here).
 */
const STEPS: ReadonlyArray<{ action: Exclude<AlertAction, 'cancel' | 'escalate' | 'confirm'>; doneAt: keyof StaffAlertView }> = [
  { action: 'acknowledge', doneAt: 'acknowledgedAt' },
  { action: 'en_route', doneAt: 'enRouteAt' },
  { action: 'on_scene', doneAt: 'onSceneAt' },
  { action: 'resolve', doneAt: 'closedAt' },
];
const allowed = (action: (typeof STEPS)[number]['action'], alert: StaffAlertView) =>
  checkTransition(alert.status, action, 'unit', 'attended').ok && (action !== 'resolve' || alert.acknowledgedAt !== null);
/** The natural next step, drawn as the primary button. */
const NEXT: Record<string, string> = { new: 'acknowledge', paging: 'acknowledge', escalated: 'acknowledge', acknowledged: 'en_route', en_route: 'on_scene', on_scene: 'resolve' };

export function AlertCard({ alert, unitId, lang, now, me, home, ownQuadrants, onAct, onDismiss }: Props) {
  const t = strings[lang];
  const [busy, setBusy] = useState(false);
  const [closing, setClosing] = useState(false);
  const [error, setError] = useState('');
  const ringing = isRinging(alert);
  const mine = isMine(alert, unitId);
  const other = takenByOther(alert, unitId);
  const open = isOpenStatus(alert.status);
  const distance = distanceText(alert, me, home, ownQuadrants, lang, t);

  const run = async (action: AlertAction, outcome?: Outcome) => {
    setBusy(true);
    setError('');
    const result = await onAct(alert.id, action, outcome);
    setBusy(false);
    if (result.ok) setClosing(false);
    else setError(result.message);
  };

  const cls = ['alert-card', ringing && 'ringing', other && 'taken', !open && 'closed'].filter(Boolean).join(' ');
  return html`
    <article class=${cls} data-testid="unit-alert" data-alert-id=${alert.id} data-status=${alert.status}>
      <header class="alert-head">
        <h2 class="alert-kind" data-testid="unit-alert-kind">${t.kinds[alert.kind] ?? alert.kind}</h2>
        <span class="badge" data-testid="unit-alert-status">${t.status[alert.status]}${alert.outcome ? ` · ${t.outcomes[alert.outcome]}` : ''}</span>
      </header>
      <p class="meta">
        <span data-testid="unit-alert-age">${t.age(ago(now - Date.parse(alert.createdAt)))}</span>
        ${distance && html` · <strong data-testid="unit-alert-distance">${distance}</strong>`}
      </p>
      ${alert.duress && html`<p class="duress" role="alert" data-testid="unit-alert-duress">${t.duress}</p>`}
      <dl class="alert-facts">
        ${alert.quadrant && html`<div><dt>${t.quadrant}</dt><dd data-testid="unit-alert-quadrant">
          ${alert.quadrant.id}${alert.quadrant.sector ? ` · ${alert.quadrant.sector}` : ''}${alert.quadrant.alcaldia ? ` · ${alert.quadrant.alcaldia}` : ''}</dd></div>`}
        ${alert.address && html`<div><dt>${t.address}</dt><dd>${alert.address}</dd></div>`}
        ${alert.note && html`<div><dt>${t.note}</dt><dd>${alert.note}</dd></div>`}
      </dl>
      <a class="maps-link" href=${`geo:${alert.lat},${alert.lon}`}>${t.openMaps}</a>
      ${other && html`<p class="taken-by" data-testid="unit-alert-taken">${alert.assignedUnit ? t.takenBy(alert.assignedUnit.callsign) : t.takenByOther}</p>`}
      ${mine && open && html`<p class="yours">${t.yours}</p>`}
      ${alert.status === 'cancelled' && !alert.duress && html`<p>${t.citizenCancelled}</p>`}
      ${(ringing || (mine && open)) && html`
        <div class="steps-actions">
          ${STEPS.map((step) => {
            const done = Boolean(alert[step.doneAt]);
            const enabled = !busy && allowed(step.action, alert);
            const primary = NEXT[alert.status] === step.action;
            const click = step.action === 'resolve' ? () => setClosing(true) : () => run(step.action);
            return html`
              <button type="button" key=${step.action} class=${primary ? 'step primary' : 'step'} disabled=${!enabled}
                data-testid=${`action-${step.action}`} data-done=${done} onClick=${click}>
                ${done ? '✓ ' : ''}${t.actions[step.action]}
              </button>`;
          })}
        </div>`}
      ${closing && mine && open && html`
        <fieldset class="outcomes" data-testid="outcomes">
          <legend>${t.outcomeTitle}</legend>
          ${OUTCOMES.map((o) => html`
            <button type="button" key=${o} class="step" disabled=${busy} data-testid=${`outcome-${o}`} onClick=${() => run('resolve', o)}>${t.outcomes[o]}</button>`)}
          <button type="button" class="link-button" onClick=${() => setClosing(false)}>${t.back}</button>
        </fieldset>`}
      ${error && html`<p class="error" role="alert" data-testid="unit-alert-error">${error}</p>`}
      ${(!open || other) && html`<button type="button" class="link-button" data-testid="unit-alert-dismiss" onClick=${() => onDismiss(alert.id)}>${t.dismiss}</button>`}
    </article>`;
}

function distanceText(alert: StaffAlertView, me: LatLon | null, home: Reference | null, own: readonly string[], lang: Lang, t: Strings): string | null {
  const at = { lat: alert.lat, lon: alert.lon };
  if (me) return t.fromYou(formatDistance(distanceM(me, at), lang));
  if (alert.quadrant && own.includes(alert.quadrant.id)) return t.inYourQuadrant;
  if (home) return t.fromQuadrant(formatDistance(distanceM(home.point, at), lang), home.quadrantId);
  return null;
}

function ago(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  return m < 60 ? `${m} min` : `${Math.floor(m / 60)} h ${m % 60} min`;
}
