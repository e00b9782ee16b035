import { html } from 'htm/preact';
import type { StaffAlertView } from '../shared/alerts.js';
import type { Lang } from '../shared/types.js';
import { clock, secondsUntil } from './format.js';
import { strings } from './strings.js';

/**
 * Time left before the alert's next escalation step (ring 2 after stage 1, 911 after stage 2).
 * Nothing when no deadline is running (taken, or already with 911).
 */
export function Countdown({ alert, now, lang }: { alert: StaffAlertView; now: number; lang: Lang }) {
  if (!alert.nextDeadlineAt) return null;
  const t = strings[lang];
  const deadline = Date.parse(alert.nextDeadlineAt);
  const left = secondsUntil(deadline, now);
  const next = t.nextStep[alert.stage] ?? t.escalateNext;
  return html`
    <span class=${'countdown' + (left <= 10 ? ' urgent' : '')} data-testid="countdown" data-seconds=${left}
      data-deadline=${alert.nextDeadlineAt} role="timer">
      ${t.escalatesIn(next)} <strong>${left > 0 ? clock(left * 1000) : t.overdue}</strong>
    </span>`;
}
