import { html } from 'htm/preact';
import { useCallback, useEffect, useState } from 'preact/hooks';
import type { StaffAlertView, Unit } from '../shared/alerts.js';
import type { ConnectionState } from '../shared/realtime.js';
import { TopBar } from '../shared/TopBar.js';
import type { Lang, LatLon, PublicConfig } from '../shared/types.js';
import { useSessionApi } from '../shared/useSessionApi.js';
import { staffApi } from './api.js';
import { Detail } from './Detail.js';
import { useFleetSync, useSettings } from './fleet.js';
import { GeofenceNotices } from './GeofenceNotices.js';
import { Kpis } from './Kpis.js';
import { Legend } from './Legend.js';
import { useLive } from './live.js';
import { MapView } from './MapView.js';
import { NewAlertForm } from './NewAlertForm.js';
import { useCentroids } from './quadrants.js';
import { Queue } from './Queue.js';
import { strings } from './strings.js';
import { useTrail } from './track.js';
import type { Session } from './types.js';
import { UnitDetail } from './UnitDetail.js';
import { UnitsPanel } from './UnitsPanel.js';
import { UsersPanel } from './UsersPanel.js';
import { usersStrings } from './usersStrings.js';

interface Props {
  session: Session;
  config: PublicConfig | null;
  lang: Lang;
  onLang: (l: Lang) => void;
  onSignOut: () => void;
  onExpired: () => void;
}

/**
 * The signed-in console: queue | live map with KPIs below | the side panel. The side panel shows,
 * first match wins: the phone-call form, the selected unit, the units list, the selected alert.
 */
export function Console({ session, config, lang, onLang, onSignOut, onExpired }: Props) {
  const t = strings[lang];
  const api = useSessionApi(staffApi, session.token, lang, onExpired);
  const { state, store, fleet } = useLive(session.token, api);
  const settings = useSettings(api);
  useFleetSync(fleet, api, state.connection, settings);
  const centroids = useCentroids(lang);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [selectedUnitId, setSelectedUnitId] = useState<string | null>(null);
  const [unitsOpen, setUnitsOpen] = useState(false);
  const [composing, setComposing] = useState(false);
  const [accountsOpen, setAccountsOpen] = useState(false);
  const [draft, setDraft] = useState<LatLon | null>(null);
  const { trail, failed: trailFailed } = useTrail(api, fleet, selectedUnitId);

  useEffect(() => { if (state.connection === 'unauthorized') onExpired(); }, [state.connection]);

  const selected = selectedId ? state.alerts.get(selectedId) ?? null : null;
  const applied = useCallback((a: StaffAlertView) => store.upsert(a), [store]);
  const unitSaved = useCallback((u: Unit) => store.apply({ type: 'unit', unit: u }), [store]);
  const select = useCallback((id: string) => {
    setSelectedId(id); setSelectedUnitId(null); setUnitsOpen(false); setComposing(false); setDraft(null);
  }, []);
  const selectUnit = useCallback((id: string) => { setSelectedUnitId(id); setSelectedId(null); setComposing(false); setDraft(null); }, []);
  const closeUnit = () => { setSelectedUnitId(null); setUnitsOpen(false); };
  const toggleUnits = () => { setUnitsOpen(!unitsOpen || selectedUnitId !== null); setSelectedUnitId(null); setComposing(false); };
  const startComposing = () => { setComposing(true); setSelectedId(null); setSelectedUnitId(null); };
  const stopComposing = () => { setComposing(false); setDraft(null); };
  const created = (a: StaffAlertView) => { store.upsert(a); select(a.id); };

  const signOut = async () => {
    await api.signOut().catch(() => undefined);
    onSignOut();
  };

  return html`
    <${TopBar} title=${t.title} lang=${lang} onLang=${onLang}>
      <${ConnectionPill} state=${state.connection} lang=${lang} />
      <button type="button" class="top-button" data-testid="units-open" aria-pressed=${unitsOpen && !selectedUnitId}
        onClick=${toggleUnits}>${t.unitsOpen}</button>
      <button type="button" class="top-button" data-testid="accounts-open" onClick=${() => setAccountsOpen(true)}>${usersStrings[lang].open}</button>
      <span class="user" data-testid="user">${session.user.displayName ?? session.user.username}</span>
      <button type="button" class="top-button" data-testid="sign-out" onClick=${signOut}>${t.signOut}</button>
    <//>
    ${state.connection === 'reconnecting' && html`
      <p class="banner" role="status" data-testid="reconnecting">${t.connection.reconnecting}</p>`}
    <main class="console">
      <${Queue} queue=${state.queue} selectedId=${selectedId} lang=${lang} onSelect=${select} />
      <div class="centre">
        <${GeofenceNotices} fleet=${fleet} units=${state.units} lang=${lang} onShow=${selectUnit} />
        <${MapView} config=${config} lang=${lang} alerts=${state.queue} units=${state.units} fleet=${fleet} centroids=${centroids}
          selected=${selected} selectedUnitId=${selectedUnitId} track=${trail?.points ?? null}
          draft=${composing ? draft : null} picking=${composing} onPick=${setDraft} onSelect=${select} onSelectUnit=${selectUnit} />
        <${Legend} lang=${lang} />
        <${Kpis} api=${api} lang=${lang} revision=${state.revision} />
      </div>
      <aside class="side">
        ${!composing && html`
          <button type="button" class="new-alert-open" data-testid="new-alert-open" onClick=${startComposing}>${t.newAlert}</button>`}
        ${composing
          ? html`<${NewAlertForm} point=${draft} onPoint=${setDraft} api=${api} lang=${lang} onCreated=${created} onClose=${stopComposing} />`
          : selectedUnitId
            ? html`<${UnitDetail} key=${selectedUnitId} unitId=${selectedUnitId} unit=${state.units.find((u) => u.id === selectedUnitId) ?? null}
                fleet=${fleet} trail=${trail} trailFailed=${trailFailed} lang=${lang} onClose=${closeUnit}
                onBack=${unitsOpen ? () => setSelectedUnitId(null) : undefined} />`
            : unitsOpen
              ? html`<${UnitsPanel} units=${state.units} fleet=${fleet} api=${api} lang=${lang} canManage=${session.user.role === 'admin'}
                  settings=${settings} selectedUnitId=${selectedUnitId} onSelectUnit=${selectUnit} onUnit=${unitSaved}
                  onClose=${() => setUnitsOpen(false)} />`
              : selected
                ? html`<${Detail} key=${selected.id} alert=${selected} units=${state.units} fleet=${fleet} centroids=${centroids} api=${api} lang=${lang}
                    onChanged=${applied} onClose=${() => setSelectedId(null)} />`
                : html`<p class="hint detail-empty">${t.detailEmpty}</p>`}
      </aside>
    </main>
    ${accountsOpen && html`<${UsersPanel} session=${session} lang=${lang} onClose=${() => setAccountsOpen(false)} onSignedOut=${onSignOut} onExpired=${onExpired} />`}`;
}

function ConnectionPill({ state, lang }: { state: ConnectionState; lang: Lang }) {
  return html`<span class="pill" data-testid="connection" data-state=${state}>
    <span class="dot" aria-hidden="true"></span>${strings[lang].connection[state] ?? state}</span>`;
}
