import { html } from 'htm/preact';
import { useCallback, useEffect, useState } from 'preact/hooks';
import type { Unit } from '../shared/alerts.js';
import type { Lang } from '../shared/types.js';
import { useAction } from '../shared/useAction.js';
import type { StaffApi, TrackerSweep } from './api.js';
import { timeOfDay } from './format.js';
import { strings } from './strings.js';
import type { TrackerIdWarning } from '../../../src/contracts/tracking.js';
import type { ConsoleSettings, Tracker } from './types.js';

// GPS trackers (admins only): which device identifier reports for which unit, and the address a
// Traccar Client must be given. A tracker is known by its id alone, so the panel also says when
// a registered id could be found by sweeping (the server's warnings) and when some network has
// been trying ids it does not know (sweeps, throttled by the server).

const DEFAULT_OSMAND_PORT = 5055;

/** A warning the server gives with a registration (stable code, its own Spanish and English). */
type TrackerWarning = TrackerIdWarning;

const local = {
  es: {
    registeredWithWarning: (id: string) => `Rastreador ${id} registrado. Aviso:`,
    sweepsTitle: 'Intentos de adivinar identificadores',
    sweep: (n: number, network: string, until: string) =>
      `Una red (huella ${network}) probó ${n} identificadores no registrados; sus envíos se rechazan hasta las ${until}.`,
    sweepsHint: 'Nadie supo qué identificadores existen, pero si se repite conviene usar identificadores más largos y al azar.',
  },
  en: {
    registeredWithWarning: (id: string) => `Tracker ${id} registered. Warning:`,
    sweepsTitle: 'Attempts to guess identifiers',
    sweep: (n: number, network: string, until: string) =>
      `A network (fingerprint ${network}) tried ${n} unregistered identifiers; its reports are refused until ${until}.`,
    sweepsHint: 'Nobody learnt which identifiers exist, but if it happens again, longer random identifiers are wiser.',
  },
} satisfies Record<Lang, unknown>;

interface Props { api: StaffApi; units: readonly Unit[]; lang: Lang; settings: ConsoleSettings | null }

export function Trackers({ api, units, lang, settings }: Props) {
  const t = strings[lang];
  const [trackers, setTrackers] = useState<Tracker[] | null>(null);
  const [failed, setFailed] = useState(false);
  const [confirming, setConfirming] = useState<string | null>(null);
  const [sweeps, setSweeps] = useState<TrackerSweep[]>([]);
  const action = useAction(lang);

  const load = useCallback(() => {
    api.trackers().then((list) => { setTrackers(list); setFailed(false); }, () => setFailed(true));
    api.trackerSweeps().then(setSweeps, () => setSweeps([]));
  }, [api]);
  useEffect(load, [load]);

  const remove = async (uniqueId: string) => {
    setConfirming(null);
    await action.run('remove', () => api.removeTracker(uniqueId));
    load();
  };
  const callsign = (unitId: string) => units.find((u) => u.id === unitId)?.callsign ?? unitId;

  return html`
    <section class="trackers" aria-labelledby="trackers-title">
      <h3 id="trackers-title">${t.trackersTitle}</h3>
      ${failed && html`<p class="error">${t.trackersFailed}</p>`}
      ${trackers && trackers.length === 0 && html`<p class="hint">${t.noTrackers}</p>`}
      ${trackers && trackers.length > 0 && html`
        <ul class="tracker-list" data-testid="tracker-list">
          ${trackers.map((tr) => html`
            <li key=${tr.uniqueId} data-testid="tracker-row" data-unique-id=${tr.uniqueId} data-unit-id=${tr.unitId}>
              <code>${tr.uniqueId}</code>
              <span>${callsign(tr.unitId)}${tr.label ? html` <span class="small">· ${tr.label}</span>` : ''}</span>
              ${confirming === tr.uniqueId
                ? html`<span class="confirm">${t.removeTrackerQuestion(tr.uniqueId)}
                    <button type="button" class="danger" data-testid="tracker-remove-confirm" onClick=${() => remove(tr.uniqueId)}>${t.removeTracker}</button>
                    <button type="button" class="link" onClick=${() => setConfirming(null)}>${t.keep}</button></span>`
                : html`<button type="button" class="link danger-text" data-testid="tracker-remove" onClick=${() => setConfirming(tr.uniqueId)}>${t.removeTracker}</button>`}
            </li>`)}
        </ul>`}
      ${action.error && html`<p class="error" role="alert">${action.error}</p>`}
      ${sweeps.length > 0 && html`<${Sweeps} sweeps=${sweeps} lang=${lang} />`}
      <${NewTrackerForm} api=${api} units=${units} lang=${lang} onAdded=${load} />
      <${TraccarAddress} lang=${lang} port=${settings?.osmandPort ?? DEFAULT_OSMAND_PORT} />
    </section>`;
}

function NewTrackerForm({ api, units, lang, onAdded }: { api: StaffApi; units: readonly Unit[]; lang: Lang; onAdded: () => void }) {
  const t = strings[lang];
  const [uniqueId, setUniqueId] = useState('');
  const [unitId, setUnitId] = useState('');
  const [label, setLabel] = useState('');
  const [invalid, setInvalid] = useState(false);
  const [warned, setWarned] = useState<{ uniqueId: string; warnings: TrackerWarning[] } | null>(null);
  const action = useAction(lang);

  const submit = async (e: Event) => {
    e.preventDefault();
    const id = uniqueId.trim();
    setInvalid(!id || !unitId);
    setWarned(null);
    if (!id || !unitId) return;
    const added = await action.run('add', () => api.addTracker(id, unitId, label.trim() || undefined));
    if (!added) return;
    if (added.warnings?.length) setWarned({ uniqueId: added.uniqueId, warnings: added.warnings });
    setUniqueId('');
    setLabel('');
    onAdded();
  };
  const input = (e: Event) => (e.target as HTMLInputElement).value;

  return html`
    <form class="tracker-form" data-testid="tracker-form" onSubmit=${submit} novalidate>
      <div class="pair">
        <label>${t.trackerId}
          <input type="text" data-testid="tracker-unique-id" maxLength=${128} autocomplete="off" value=${uniqueId}
            onInput=${(e: Event) => setUniqueId(input(e))} />
        </label>
        <label>${t.trackerUnit}
          <select data-testid="tracker-unit" value=${unitId} onChange=${(e: Event) => setUnitId(input(e))}>
            <option value="">—</option>
            ${units.map((u) => html`<option key=${u.id} value=${u.id}>${u.callsign}</option>`)}
          </select>
        </label>
      </div>
      <label>${t.trackerLabel}
        <input type="text" data-testid="tracker-label" maxLength=${120} value=${label} onInput=${(e: Event) => setLabel(input(e))} />
      </label>
      ${(invalid || action.error) && html`<p class="error" role="alert" data-testid="tracker-error">${invalid ? t.trackerRequired : action.error}</p>`}
      ${warned && html`
        <div class="warning" role="status" data-testid="tracker-warnings" data-unique-id=${warned.uniqueId}>
          <strong>${local[lang].registeredWithWarning(warned.uniqueId)}</strong>
          ${warned.warnings.map((w) => html`<p key=${w.code} data-testid="tracker-warning" data-code=${w.code}>${w.message[lang]}</p>`)}
        </div>`}
      <button type="submit" data-testid="tracker-submit" disabled=${action.busy !== null}>${t.addTracker}</button>
    </form>`;
}

/** Networks the server throttled for trying many unregistered ids, newest first. */
function Sweeps({ sweeps, lang }: { sweeps: readonly TrackerSweep[]; lang: Lang }) {
  const l = local[lang];
  return html`
    <div class="warning" role="status" data-testid="tracker-sweeps">
      <strong>${l.sweepsTitle}</strong>
      ${sweeps.slice(0, 5).map((s) => html`
        <p key=${`${s.network}|${s.at}`} data-testid="tracker-sweep" data-network=${s.network}>
          <span class="small">${timeOfDay(s.at, lang)} · </span>${l.sweep(s.unknownIds, s.network.slice(0, 8), timeOfDay(s.blockedUntil, lang))}
        </p>`)}
      <p class="small">${l.sweepsHint}</p>
    </div>`;
}

/** The dedicated OsmAnd port on this server's host, and the same protocol under the main server. */
function TraccarAddress({ lang, port }: { lang: Lang; port: number }) {
  const t = strings[lang];
  const main = `${location.origin}/api/v1/osmand`;
  return html`
    <div class="traccar" data-testid="traccar-url">
      <h3>${t.traccarTitle}</h3>
      <p class="small">${t.traccarHint}</p>
      <dl>
        ${port > 0 && html`<div><dt>${t.traccarPort}</dt><dd><code data-testid="traccar-osmand">http://${location.hostname}:${port}</code></dd></div>`}
        <div><dt>${t.traccarMain}</dt><dd><code data-testid="traccar-main">${main}</code></dd></div>
      </dl>
    </div>`;
}
