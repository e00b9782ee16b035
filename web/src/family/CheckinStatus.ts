import { html } from 'htm/preact';
import { hourMinute } from '../shared/i18n.js';
import type { ConnectionState } from '../shared/realtime.js';
import type { Lang } from '../shared/types.js';
import { strings } from './strings.js';
import type { Checkin } from './types.js';

interface Props { checkin: Checkin; name: string; connection: ConnectionState; lang: Lang }

/** The answer, in words, as it arrives; "needs help" says what to do next. */
export function CheckinStatus({ checkin: c, name, connection, lang }: Props) {
  const t = strings[lang];
  const at = c.answeredAt ? hourMinute(c.answeredAt, lang) : null;
  return html`
    <div class="family-status" role="status" aria-live="polite" data-testid="checkin-status" data-status=${c.status} data-checkin-id=${c.id}>
      <p class="family-status-text">${t.status[c.status](c.contactName || name)}${at && html` <span class="family-small">${t.answeredAt(at)}</span>`}</p>
      ${c.status === 'pending' && t.live[connection] && html`<p class="family-small" data-testid="checkin-live">${t.live[connection]}</p>`}
      ${c.status === 'need_help' && html`
        <p>${c.alertId ? t.helpAlerted : t.helpNoLocation}</p>
        <a class="family-call" href="tel:911" data-testid="checkin-call-911">${t.call911}</a>`}
      ${c.status === 'expired' && html`<p class="family-small">${t.expiredHint}</p>`}
    </div>`;
}
