import { html } from 'htm/preact';
import { isOpenStatus, type CitizenAlertView, type UnitApproach } from '../../shared/alerts.js';
import type { ConnectionState } from '../../shared/realtime.js';
import type { Lang } from '../../shared/types.js';
import { checkTransition } from '../../../../src/rules/lifecycle.js';
import { CancelAlert } from './CancelAlert.js';
import { FallbackLinks } from './FallbackLinks.js';
import { formatCountdown, useNow } from '../../shared/useNow.js';
import { panicStrings } from './strings.js';
import type { CancelResult } from './useFollow.js';
import { LOCALES, formatDistance } from '../../shared/i18n.js';

interface Props {
  lang: Lang;
  alert: CitizenAlertView;
  /** How far the assigned unit is and how soon it arrives, while it is on its way. */
  approach: UnitApproach | null;
  offsetMs: number;
  connection: ConnectionState;
  onCancel: (pin?: string) => Promise<CancelResult>;
  onDismiss: () => void;
}

const STEPS = ['createdAt', 'acknowledgedAt', 'enRouteAt', 'onSceneAt', 'closedAt'] as const;
/** The server's lifecycle table says when the owner may still cancel (src/rules/lifecycle.ts). */
const cancellable = (status: CitizenAlertView['status']) => checkTransition(status, 'cancel', 'owner').ok;

/** The alert as it happens: status in words, the unit coming, each step's time, what's next. */
export function AlertTracker({ lang, alert, approach, offsetMs, connection, onCancel, onDismiss }: Props) {
  const t = panicStrings[lang];
  const unanswered = alert.status === 'new' || alert.status === 'paging';
  const now = useNow(unanswered && alert.nextDeadlineAt !== null) + offsetMs;
  const unit = alert.assignedUnit;
  const escalated = alert.status === 'escalated';
  const open = isOpenStatus(alert.status);
  // Received, and a dispatcher looks at it before units go (never why): 911 at once if it is urgent.
  const review = open && alert.review === true;
  return html`
    <div class=${`tracker status-${alert.status}`} data-testid="alert-tracker" data-alert-id=${alert.id}>
      <h2 class="alert-status" role="status" aria-live="assertive" data-testid="alert-status" data-status=${alert.status} data-review=${review}>
        ${review ? t.reviewStatus : t.status[alert.status](unit?.callsign ?? t.aUnit)}
      </h2>
      ${review && html`
        <div class="escalated review" data-testid="alert-review">
          <p>${t.reviewBody}</p>
          <a class="call call-911 huge" href=${`tel:${alert.emergencyNumber}`} data-testid="review-call-911">${t.call911}</a>
        </div>`}
      ${escalated && html`
        <div class="escalated" data-testid="alert-escalated">
          <p>${t.escalatedBody}</p>
          <a class="call call-911 huge" href=${`tel:${alert.emergencyNumber}`} data-testid="escalated-call-911">${t.call911}</a>
        </div>`}
      ${unit && html`
        <p class="unit" data-testid="alert-unit">
          ${t.unitLabel} <strong data-testid="alert-unit-callsign">${unit.callsign}</strong>
          ${' · '}${t.unitTypes[unit.type as keyof typeof t.unitTypes] ?? unit.type}
        </p>`}
      ${unit && approach && html`
        <p class="approach" data-testid="unit-approach" data-distance=${approach.distanceM} data-eta=${approach.etaMin}>
          ${t.approach(unit.callsign, approach.distanceM < 100 ? t.veryClose : formatDistance(approach.distanceM, lang), t.eta(approach.etaMin))}
        </p>`}
      ${alert.quadrant && html`<p class="small">${t.quadrant(alert.quadrant.id)}</p>`}
      ${unanswered && alert.nextDeadlineAt && html`
        <p class="countdown" data-testid="escalation-countdown">
          ${t.countdown(formatCountdown(Date.parse(alert.nextDeadlineAt) - now))}
        </p>`}
      <ol class="steps" data-testid="alert-steps">
        ${STEPS.filter((s) => alert[s]).map((s) => html`
          <li key=${s} data-testid=${`step-${s}`}>
            <time datetime=${alert[s]}>${formatTime(alert[s]!, lang)}</time> ${stepLabel(t, s, alert)}
          </li>`)}
      </ol>
      ${open && connection === 'reconnecting' && html`<p class="small" data-testid="connection-state">${t.reconnecting}</p>`}
      ${open && !escalated && !review && html`
        <p class="urgent">${t.urgentHint}</p>
        <${FallbackLinks} lang=${lang} cityLine=${null} point=${null} testId="tracker" />`}
      ${cancellable(alert.status) && html`<${CancelAlert} key=${alert.id} lang=${lang} onCancel=${onCancel} />`}
      ${!open && html`<button type="button" class="secondary" data-testid="alert-dismiss" onClick=${onDismiss}>${t.dismiss}</button>`}
    </div>`;
}

function stepLabel(t: (typeof panicStrings)['es'], step: (typeof STEPS)[number], alert: CitizenAlertView): string {
  if (step === 'closedAt') return alert.status === 'cancelled' ? t.status.cancelled() : t.steps.closedAt;
  return t.steps[step];
}

function formatTime(iso: string, lang: Lang): string {
  return new Intl.DateTimeFormat(LOCALES[lang], { hour: '2-digit', minute: '2-digit', second: '2-digit' }).format(new Date(iso));
}
