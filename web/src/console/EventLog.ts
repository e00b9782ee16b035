import { html } from 'htm/preact';
import { useEffect, useState } from 'preact/hooks';
import type { StaffAlertView, Unit } from '../shared/alerts.js';
import type { Lang } from '../shared/types.js';
import type { StaffApi } from './api.js';
import { timeOfDay } from './format.js';
import { strings } from './strings.js';
import type { AlertEvent } from './types.js';

interface Props { alert: StaffAlertView; units: readonly Unit[]; api: StaffApi; lang: Lang }

/** The alert's append-only log, fetched again whenever the alert changes. */
export function EventLog({ alert, units, api, lang }: Props) {
  const t = strings[lang];
  const [events, setEvents] = useState<AlertEvent[] | null>(null);
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    const ctrl = new AbortController();
    api.events(alert.id, ctrl.signal).then((list) => { setEvents(list); setFailed(false); }, () => {
      if (!ctrl.signal.aborted) setFailed(true);
    });
    return () => ctrl.abort();
  }, [alert.id, alert.updatedAt]);

  const callsign = (id: string | null) => (id ? units.find((u) => u.id === id)?.callsign ?? id : null);
  return html`
    <section class="log" aria-labelledby="log-title">
      <h3 id="log-title">${t.logTitle}</h3>
      ${failed && html`<p class="error">${t.logFailed}</p>`}
      ${events && events.length === 0 && html`<p class="hint">${t.logEmpty}</p>`}
      ${events && events.length > 0 && html`
        <ol class="events" data-testid="event-log">
          ${events.map((e) => html`
            <li key=${e.seq} data-testid="event" data-type=${e.type}>
              <time datetime=${e.at}>${timeOfDay(e.at, lang)}</time>
              <span class="what">${t.events[e.type] ?? e.type}${describe(e, lang, callsign)}</span>
              <span class="who small">${t.roles[e.actorRole] ?? e.actorRole}</span>
            </li>`)}
        </ol>`}
    </section>`;
}

function describe(e: AlertEvent, lang: Lang, callsign: (id: string | null) => string | null): string {
  const t = strings[lang];
  const parts: string[] = [];
  if (typeof e.details.ring === 'number') parts.push(t.ring(e.details.ring));
  const unit = callsign(e.unitId);
  if (unit) parts.push(unit);
  const units = e.details.unitIds;
  if (Array.isArray(units) && units.length) parts.push(units.map((u) => callsign(String(u))).join(', '));
  const outcome = e.details.outcome;
  if (typeof outcome === 'string') parts.push(t.outcomes[outcome as keyof typeof t.outcomes] ?? outcome);
  return parts.length ? ` · ${parts.join(' · ')}` : '';
}
