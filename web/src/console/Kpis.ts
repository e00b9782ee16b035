import { html } from 'htm/preact';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { Lang } from '../shared/types.js';
import type { StaffApi } from './api.js';
import { seconds, share, timeOfDay } from './format.js';
import { strings } from './strings.js';
import { throttle } from './throttle.js';
import type { GroupStats, ResponseTimes } from './types.js';

interface Props { api: StaffApi; lang: Lang; /** Bumps when any alert changes. */ revision: number }

type Grouping = 'sector' | 'alcaldia';

/**
 * After alert changes, ask again at most this often: a burst costs one request at its start and
 * one at its end, and a steady stream cannot starve the panel (as a plain debounce would).
 */
const REFRESH_AFTER_CHANGE_MS = 1500;
/** The 24-hour window slides even when nothing happens. */
const REFRESH_EVERY_MS = 60_000;

interface Figures { city: ResponseTimes; groups: ResponseTimes; at: number }

/** Time to acknowledge and to arrive (median, p90) and the share on scene within the target, last 24 h. */
export function Kpis({ api, lang, revision }: Props) {
  const t = strings[lang];
  const [grouping, setGrouping] = useState<Grouping>('sector');
  const [figures, setFigures] = useState<Figures | null>(null);
  const [failed, setFailed] = useState(false);
  const pending = useRef<AbortController | null>(null);

  const load = useMemo(() => async (by: Grouping) => {
    pending.current?.abort();
    const ctrl = new AbortController();
    pending.current = ctrl;
    try {
      const [city, groups] = await Promise.all([api.responseTimes('city', ctrl.signal), api.responseTimes(by, ctrl.signal)]);
      if (ctrl.signal.aborted) return;
      setFigures({ city, groups, at: Date.now() });
      setFailed(false);
    } catch {
      if (!ctrl.signal.aborted) setFailed(true);
    }
  }, [api]);
  const refreshSoon = useMemo(() => throttle(load, REFRESH_AFTER_CHANGE_MS), [load]);

  useEffect(() => {
    void load(grouping);
    const timer = setInterval(() => void load(grouping), REFRESH_EVERY_MS);
    return () => { clearInterval(timer); refreshSoon.cancel(); pending.current?.abort(); };
  }, [load, grouping]);
  useEffect(() => { if (revision > 0) refreshSoon(grouping); }, [revision]);

  const city = figures?.city.groups[0] ?? null;
  const target = seconds(figures?.city.targetS ?? 170);
  return html`
    <section class="kpis" data-testid="kpis" aria-labelledby="kpi-title">
      <header class="kpi-head">
        <h2 id="kpi-title">${t.kpiTitle}</h2>
        <div class="segmented" role="group">
          ${(['sector', 'alcaldia'] as const).map((g) => html`
            <button type="button" key=${g} aria-pressed=${grouping === g} data-testid=${'kpi-by-' + g}
              onClick=${() => setGrouping(g)}>${g === 'sector' ? t.bySector : t.byAlcaldia}</button>`)}
        </div>
        ${figures && html`<span class="small">${t.updated(timeOfDay(figures.at, lang))}</span>`}
      </header>
      ${failed && html`<p class="error">${t.kpiFailed}</p>`}
      ${figures && html`
        <div class="kpi-cards" data-testid="kpi-city">
          <${Card} label=${t.alerts} value=${String(city?.alerts ?? 0)} testid="kpi-city-alerts" />
          <${Card} label=${t.acknowledgedCount} value=${String(city?.acknowledged ?? 0)} testid="kpi-city-acknowledged" />
          <${Card} label=${t.onSceneCount} value=${String(city?.onScene ?? 0)} testid="kpi-city-onscene" />
          <${Card} label=${`${t.ackTime} (${t.median} / ${t.p90})`} value=${`${seconds(city?.ackMedianS ?? null)} / ${seconds(city?.ackP90S ?? null)}`} testid="kpi-city-ack" />
          <${Card} label=${`${t.arriveTime} (${t.median} / ${t.p90})`} value=${`${seconds(city?.arriveMedianS ?? null)} / ${seconds(city?.arriveP90S ?? null)}`} testid="kpi-city-arrive" />
          <${Card} label=${t.withinTarget(target)} value=${share(city?.withinTargetShare ?? null, lang)} testid="kpi-city-within"
            tone=${tone(city?.withinTargetShare ?? null)} />
        </div>
        ${figures.groups.groups.length === 0
          ? html`<p class="hint" data-testid="kpi-empty">${t.kpiEmpty}</p>`
          : html`<${Table} rows=${figures.groups.groups} lang=${lang} target=${target} grouping=${grouping} />`}`}
    </section>`;
}

const tone = (value: number | null): string => (value === null ? '' : value >= 0.8 ? 'good' : value >= 0.5 ? 'fair' : 'poor');

function Card({ label, value, testid, tone: toneClass = '' }: { label: string; value: string; testid: string; tone?: string }) {
  return html`<div class=${'card ' + toneClass}><span class="small">${label}</span><strong data-testid=${testid}>${value}</strong></div>`;
}

function Table({ rows, lang, target, grouping }: { rows: GroupStats[]; lang: Lang; target: string; grouping: Grouping }) {
  const t = strings[lang];
  return html`
    <div class="table-wrap">
      <table data-testid="kpi-table">
        <thead>
          <tr>
            <th scope="col">${grouping === 'sector' ? t.sector : t.alcaldia}</th>
            <th scope="col" class="num">${t.alerts}</th>
            <th scope="col" class="num">${t.onSceneCount}</th>
            <th scope="col" class="num">${t.ackTime} ${t.median}</th>
            <th scope="col" class="num">${t.ackTime} ${t.p90}</th>
            <th scope="col" class="num">${t.arriveTime} ${t.median}</th>
            <th scope="col" class="num">${t.arriveTime} ${t.p90}</th>
            <th scope="col" class="num">≤ ${target}</th>
          </tr>
        </thead>
        <tbody>
          ${rows.map((r) => html`
            <tr key=${r.group} data-testid="kpi-row" data-group=${r.group}>
              <th scope="row">${r.group}</th>
              <td class="num" data-testid="kpi-alerts">${r.alerts}</td>
              <td class="num" data-testid="kpi-onscene">${r.onScene}</td>
              <td class="num">${seconds(r.ackMedianS)}</td>
              <td class="num">${seconds(r.ackP90S)}</td>
              <td class="num">${seconds(r.arriveMedianS)}</td>
              <td class="num">${seconds(r.arriveP90S)}</td>
              <td class=${'num ' + tone(r.withinTargetShare)} data-testid="kpi-within">${share(r.withinTargetShare, lang)}</td>
            </tr>`)}
        </tbody>
      </table>
    </div>`;
}
