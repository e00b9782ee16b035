import { html } from 'htm/preact';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { isOpenStatus } from '../shared/alerts.js';
import { LangToggle } from '../shared/LangToggle.js';
import { request } from '../shared/api.js';
import type { StaffSession } from '../shared/session.js';
import type { Lang, LatLon, PublicConfig } from '../shared/types.js';
import { useNow } from '../shared/useNow.js';
import { AlertCard, type Reference } from './AlertCard.js';
import { AlertMap } from './AlertMap.js';
import { isMine, isRinging, ordered } from './alertList.js';
import { locationAlreadyAllowed, officerPosition } from './geo.js';
import type { Ringer } from './ringer.js';
import { strings } from './strings.js';
import { useDesk } from './useDesk.js';
import { SharingStatus } from './SharingStatus.js';
import { usePositionSharing } from './usePositionSharing.js';
import { useWakeLock } from './wakeLock.js';

interface Props {
  session: StaffSession;
  lang: Lang;
  onLang: (lang: Lang) => void;
  config: PublicConfig | null;
  ringer: Ringer;
  onSignOut: (expired: boolean) => void;
}

/**
 * The signed-in unit: who it is, on or off duty, and its alerts (ringing ones first, so
 * "Aceptar" is on the first screen), then the map of the alert being worked.
 */
export function Desk({ session, lang, onLang, config, ringer, onSignOut }: Props) {
  const t = strings[lang];
  const desk = useDesk(session, lang, () => onSignOut(true));
  const list = useMemo(() => ordered(desk.alerts, desk.unitId), [desk.alerts, desk.unitId]);
  const ringing = list.some(isRinging);
  const onDuty = desk.unit !== null && desk.unit.shiftState !== 'off_duty';
  const now = useNow(list.length > 0, 1000);
  const [located, setLocated] = useState<LatLon | null>(null);
  const position = usePositionSharing({ active: onDuty, unitId: desk.unitId, token: session.token, lang, onSessionEnded: () => onSignOut(true) });
  // On duty the watch keeps the officer's position current; off duty only a tap asks for it.
  const me = (onDuty ? position.latest : null) ?? located;
  const [dutyError, setDutyError] = useState('');
  const home = useHome(desk.unit?.quadrantIds[0] ?? null, lang);
  const audible = useAudible(ringer);
  useWakeLock(onDuty);

  useEffect(() => {
    if (ringing) ringer.start();
    else ringer.stop();
    document.title = `${ringing ? `🔔 ${t.ringing} · ` : ''}${desk.unit?.callsign ?? t.title} · Cuadrante`;
  }, [ringing, desk.unit?.callsign, t]);
  useEffect(() => () => ringer.stop(), []);

  // Each new alert: refresh the officer's position, but only if that asks no question.
  const ids = list.map((a) => a.id).join();
  useEffect(() => {
    if (!list.length) return;
    void locationAlreadyAllowed().then((ok) => { if (ok) officerPosition().then(setLocated, () => undefined); });
  }, [ids]);

  const locate = () => officerPosition().then(setLocated, () => undefined);

  const toggleDuty = async () => {
    ringer.unlock();
    setDutyError('');
    const result = await desk.setDuty(!onDuty);
    // Going on duty starts sharing the position: the permission question comes from this tap.
    if (!result.ok) setDutyError(result.message);
  };

  const focus = list.find((a) => isRinging(a) || (isMine(a, desk.unitId) && isOpenStatus(a.status)));
  return html`
    <header class="top">
      <div class="brand"><span class="logo" aria-hidden="true"></span><span data-testid="unit-callsign">${desk.unit?.callsign ?? '…'}</span></div>
      <div class="top-actions">
        <${LangToggle} lang=${lang} onChange=${onLang} />
        <button type="button" class="top-button" data-testid="unit-sign-out" onClick=${() => onSignOut(false)}>${t.signOut}</button>
      </div>
    </header>
    <main class="desk" onPointerDown=${() => { if (!audible) ringer.unlock(); }}>
      <section class="duty" data-testid="duty" data-state=${desk.unit?.shiftState ?? 'unknown'}>
        <p class="duty-state" data-testid="duty-state">
          <span class=${`dot ${onDuty ? 'on' : 'off'}`} aria-hidden="true"></span>
          ${!desk.unit ? '…' : desk.unit.shiftState === 'busy' ? t.busy : onDuty ? t.available : t.offDuty}
        </p>
        <button type="button" class=${onDuty ? 'secondary' : 'primary'} data-testid="duty-toggle" disabled=${!desk.unit} onClick=${toggleDuty}>
          ${onDuty ? t.goOffDuty : t.goOnDuty}
        </button>
        ${!onDuty && desk.unit && html`<p class="small">${t.offDutyHint}</p>`}
        <${SharingStatus} sharing=${position.sharing} lang=${lang} />
        ${dutyError && html`<p class="error" role="alert">${dutyError}</p>`}
      </section>
      ${desk.connection === 'reconnecting' && html`<p class="banner warn" role="status" data-testid="unit-connection">${t.reconnecting}</p>`}
      ${desk.connection === 'connecting' && html`<p class="banner" role="status" data-testid="unit-connection">${t.connecting}</p>`}
      ${!audible && html`<button type="button" class="banner warn sound" data-testid="sound-unlock" onClick=${() => ringer.unlock()}>${t.soundOff}</button>`}
      ${ringing && html`<p class="banner ring" role="alert" data-testid="ringing">${t.ringing}</p>`}
      <section class="alerts" data-testid="unit-alerts" aria-live="assertive">
        ${list.length === 0 && html`<p class="empty" data-testid="unit-no-alerts">${t.noAlerts}</p>`}
        ${list.map((a) => html`<${AlertCard} key=${a.id} alert=${a} unitId=${desk.unitId} lang=${lang} now=${now}
          me=${me} home=${home} ownQuadrants=${desk.unit?.quadrantIds ?? []} onAct=${desk.act} onDismiss=${desk.dismiss} />`)}
      </section>
      ${focus && config && html`<${AlertMap} config=${config} lang=${lang} point=${{ lat: focus.lat, lon: focus.lon }} quadrantId=${focus.quadrant?.id ?? null} me=${me} />`}
      ${focus && !me && html`<button type="button" class="link-button" data-testid="use-location" onClick=${locate}>${t.useLocation}</button>`}
    </main>`;
}

/** The unit's own quadrant's interior point: distances are measured from it when the phone's position is unknown. */
function useHome(quadrantId: string | null, lang: Lang): Reference | null {
  const [home, setHome] = useState<Reference | null>(null);
  useEffect(() => {
    if (!quadrantId) return;
    request<{ properties: { interiorPoint?: LatLon } }>('GET', `/api/v1/quadrants/${encodeURIComponent(quadrantId)}`, undefined, { lang })
      .then((f) => { if (f.properties.interiorPoint) setHome({ point: f.properties.interiorPoint, quadrantId }); }, () => undefined);
  }, [quadrantId]);
  return home;
}

function useAudible(ringer: Ringer): boolean {
  const [audible, setAudible] = useState(ringer.audible);
  useEffect(() => ringer.onChange(() => setAudible(ringer.audible)), [ringer]);
  return audible;
}
