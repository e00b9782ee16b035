import { html } from 'htm/preact';
import type { AlertStatus, HoldReason, ShiftState } from '../shared/alerts.js';
import type { Lang } from '../shared/types.js';
import { SHIFT_COLORS, STATUS_COLORS } from './colors.js';
import { strings } from './strings.js';

export function StatusBadge({ status, lang }: { status: AlertStatus; lang: Lang }) {
  return html`<span class="badge" data-testid="status" data-status=${status} style=${{ background: STATUS_COLORS[status] }}>${strings[lang].statuses[status]}</span>`;
}

export function ShiftBadge({ state, lang }: { state: ShiftState; lang: Lang }) {
  return html`<span class="shift" data-state=${state}><span class="dot" style=${{ background: SHIFT_COLORS[state] }} aria-hidden="true"></span>${strings[lang].shift[state]}</span>`;
}

export function DuressBadge({ lang }: { lang: Lang }) {
  const t = strings[lang];
  return html`<span class="badge duress" data-testid="duress" title=${t.duressHint}>${t.duress}</span>`;
}

/** Held: stored, nobody paged until a dispatcher confirms it ("Posible saturación", "SOS sin confirmar"). */
export function HoldBadge({ reason, lang }: { reason: HoldReason; lang: Lang }) {
  const t = strings[lang];
  return html`<span class="badge hold" data-testid="hold" data-hold=${reason} title=${t.holdHint[reason]}>${t.hold[reason] ?? reason}</span>`;
}
