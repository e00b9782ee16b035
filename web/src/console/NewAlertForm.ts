import { html } from 'htm/preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { CITIZEN_ALERT_KINDS, type AlertKind, type StaffAlertView } from '../shared/alerts.js';
import type { Lang, LatLon } from '../shared/types.js';
import { useAction } from '../shared/useAction.js';
import { idempotencyKey, type StaffApi } from './api.js';
import { coordinate } from './format.js';
import { isLatitude, isLongitude } from './geo.js';
import { strings } from './strings.js';

interface Props {
  /** The point set by a click on the map (or typed here). */
  point: LatLon | null;
  onPoint: (p: LatLon | null) => void;
  api: StaffApi;
  lang: Lang;
  onCreated: (alert: StaffAlertView) => void;
  onClose: () => void;
}

const KINDS: readonly AlertKind[] = [...CITIZEN_ALERT_KINDS, 'officer_in_danger'];

/** A dispatcher records a phone call: where (map click or coordinates, plus the address said), what, and a note. */
export function NewAlertForm({ point, onPoint, api, lang, onCreated, onClose }: Props) {
  const t = strings[lang];
  const [lat, setLat] = useState(point ? coordinate(point.lat) : '');
  const [lon, setLon] = useState(point ? coordinate(point.lon) : '');
  const [address, setAddress] = useState('');
  const [kind, setKind] = useState<AlertKind>('robbery');
  const [note, setNote] = useState('');
  const [invalid, setInvalid] = useState(false);
  const action = useAction(lang);
  // One key per draft: a retry after a timeout replays the same alert instead of creating another.
  const key = useRef(idempotencyKey());
  const first = useRef<HTMLInputElement>(null);

  useEffect(() => { first.current?.focus(); }, []);
  useEffect(() => {
    if (!point) return;
    setLat(coordinate(point.lat));
    setLon(coordinate(point.lon));
    setInvalid(false);
  }, [point?.lat, point?.lon]);

  const typed = (nextLat: string, nextLon: string) => {
    const p = { lat: Number(nextLat), lon: Number(nextLon) };
    onPoint(nextLat.trim() && nextLon.trim() && isLatitude(p.lat) && isLongitude(p.lon) ? p : null);
  };

  const submit = async (e: Event) => {
    e.preventDefault();
    const p = { lat: Number(lat), lon: Number(lon) };
    if (!lat.trim() || !lon.trim() || !isLatitude(p.lat) || !isLongitude(p.lon)) { setInvalid(true); return; }
    const body = {
      lat: p.lat, lon: p.lon, kind,
      ...(address.trim() ? { address: address.trim() } : {}),
      ...(note.trim() ? { note: note.trim() } : {}),
    };
    const created = await action.run('create', () => api.raise(body, key.current));
    if (created) {
      key.current = idempotencyKey();
      onCreated(created);
    }
  };

  return html`
    <form class="new-alert" data-testid="new-alert-form" onSubmit=${submit} aria-labelledby="new-alert-title" novalidate>
      <header class="detail-head">
        <h2 id="new-alert-title">${t.newAlertTitle}</h2>
        <button type="button" class="link" onClick=${onClose} data-testid="new-alert-close">${t.close}</button>
      </header>
      <p class="hint">${t.pickHint}</p>
      <label>${t.address}
        <input ref=${first} type="text" data-testid="new-alert-address" maxLength=${300} value=${address}
          placeholder=${t.addressPlaceholder} onInput=${(e: Event) => setAddress((e.target as HTMLInputElement).value)} />
      </label>
      <div class="pair">
        <label>${t.lat}
          <input type="text" inputMode="decimal" data-testid="new-alert-lat" value=${lat} aria-invalid=${invalid}
            onInput=${(e: Event) => { const v = (e.target as HTMLInputElement).value; setLat(v); typed(v, lon); }} />
        </label>
        <label>${t.lon}
          <input type="text" inputMode="decimal" data-testid="new-alert-lon" value=${lon} aria-invalid=${invalid}
            onInput=${(e: Event) => { const v = (e.target as HTMLInputElement).value; setLon(v); typed(lat, v); }} />
        </label>
      </div>
      ${invalid && html`<p class="error" role="alert" data-testid="new-alert-invalid">${t.pointRequired}</p>`}
      <label>${t.kind}
        <select data-testid="new-alert-kind" value=${kind} onChange=${(e: Event) => setKind((e.target as HTMLSelectElement).value as AlertKind)}>
          ${KINDS.map((k) => html`<option key=${k} value=${k}>${t.kinds[k]}</option>`)}
        </select>
      </label>
      <label>${t.note}
        <textarea data-testid="new-alert-note" rows=${3} maxLength=${500} value=${note}
          onInput=${(e: Event) => setNote((e.target as HTMLTextAreaElement).value)}></textarea>
      </label>
      ${action.error && html`<p class="error" role="alert" data-testid="new-alert-error">${action.error}</p>`}
      <button type="submit" data-testid="new-alert-submit" disabled=${action.busy !== null}>
        ${action.busy ? t.creating : t.create}
      </button>
    </form>`;
}
