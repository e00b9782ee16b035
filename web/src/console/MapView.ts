import { html } from 'htm/preact';
import { useEffect, useMemo, useRef } from 'preact/hooks';
import type { StaffAlertView, Unit } from '../shared/alerts.js';
import { createMap, markReadyOnIdle, toLngLat, type MapLibreMap } from '../shared/map.js';
import type { Lang, LatLon, PublicConfig } from '../shared/types.js';
import { usePageMap } from '../shared/usePageMap.js';
import type { FleetStore } from './fleet.js';
import {
  ALERT_LAYER, UNIT_LAYER, addAlertLayers, addDraftLayer, addQuadrantLayers, addTrackLayers, addUnitLayers, alertFeatures,
  draftPoint, setSource, showSelected, showSelectedUnit, trackData, unitFeatures,
} from './layers.js';
import { homeQuadrant } from './positions.js';
import { quadrantList } from './quadrants.js';
import { strings } from './strings.js';
import { throttle } from './throttle.js';
import type { TrackPoint } from './types.js';

interface Props {
  config: PublicConfig | null;
  lang: Lang;
  alerts: readonly StaffAlertView[];
  units: readonly Unit[];
  /** Live unit positions; the map follows it on its own, without a page render per move. */
  fleet: FleetStore;
  /** quadrantId → centroid, where units that never reported are drawn. */
  centroids: ReadonlyMap<string, LatLon>;
  selected: StaffAlertView | null;
  selectedUnitId: string | null;
  /** The selected unit's trail, oldest first. */
  track: readonly TrackPoint[] | null;
  draft: LatLon | null;
  /** While a phone-call alert is being written, a click places its point instead of selecting. */
  picking: boolean;
  onPick: (p: LatLon) => void;
  onSelect: (alertId: string) => void;
  onSelectUnit: (unitId: string) => void;
}

/** setData at most this often per source: a flood of events must not freeze the page. */
const UPDATE_EVERY_MS = 250;
const CLICK_SLOP_PX = 8;

async function startMap(container: HTMLElement, config: PublicConfig, lang: Lang): Promise<MapLibreMap> {
  const [map, quadrants] = await Promise.all([createMap(container, config, lang), quadrantList(lang)]);
  addQuadrantLayers(map, quadrants);
  addTrackLayers(map);
  addUnitLayers(map);
  addAlertLayers(map);
  addDraftLayer(map);
  markReadyOnIdle(map);
  return map;
}

/** The console's one map: quadrants, units and open alerts, live. */
export function MapView(props: Props) {
  const { config, lang, alerts, units, fleet, centroids, selected, selectedUnitId, track, draft } = props;
  const latest = useRef(props);
  latest.current = props;

  const { container, map, failed } = usePageMap(config, lang, async (el, c, l) => {
    const m = await startMap(el, c, l);
    m.on('click', (e) => {
      const p = latest.current;
      if (p.picking) { p.onPick({ lat: e.lngLat.lat, lon: e.lngLat.lng }); return; }
      const { x, y } = e.point;
      const box: [[number, number], [number, number]] = [[x - CLICK_SLOP_PX, y - CLICK_SLOP_PX], [x + CLICK_SLOP_PX, y + CLICK_SLOP_PX]];
      // An alert wins over a unit under the same click: it is what the dispatcher is working on.
      const alertId = m.queryRenderedFeatures(box, { layers: [ALERT_LAYER] })[0]?.properties?.id;
      if (typeof alertId === 'string') { p.onSelect(alertId); return; }
      const unitId = m.queryRenderedFeatures(box, { layers: [UNIT_LAYER] })[0]?.properties?.id;
      if (typeof unitId === 'string') p.onSelectUnit(unitId);
    });
    for (const layer of [ALERT_LAYER, UNIT_LAYER]) {
      m.on('mouseenter', layer, () => { if (!latest.current.picking) m.getCanvas().style.cursor = 'pointer'; });
      m.on('mouseleave', layer, () => { if (!latest.current.picking) m.getCanvas().style.cursor = ''; });
    }
    return m;
  });

  const update = useMemo(() => map && {
    alerts: throttle((list: readonly StaffAlertView[]) => setSource(map, 'alerts', alertFeatures(list)), UPDATE_EVERY_MS),
    // Reads the latest units and positions when it runs: a burst of moves costs one setData.
    units: throttle(() => setSource(map, 'units', unitFeatures(latest.current.units, latest.current.fleet, latest.current.centroids)), UPDATE_EVERY_MS),
    track: throttle((points: readonly TrackPoint[] | null) => setSource(map, 'track', trackData(points)), UPDATE_EVERY_MS),
  }, [map]);
  useEffect(() => () => { update?.alerts.cancel(); update?.units.cancel(); update?.track.cancel(); }, [update]);

  // The selected alert stays on the map after it closes, until another is chosen.
  const shown = useMemo(
    () => (selected && !alerts.some((a) => a.id === selected.id) ? [...alerts, selected] : alerts),
    [alerts, selected],
  );
  useEffect(() => { update?.alerts(shown); }, [update, shown]);
  useEffect(() => { update?.units(); }, [update, units, centroids]);
  useEffect(() => (update ? fleet.subscribe(() => update.units()) : undefined), [update, fleet]);
  useEffect(() => { update?.track(track); }, [update, track]);
  useEffect(() => { if (map) setSource(map, 'draft', draftPoint(draft)); }, [map, draft]);

  const selectedId = selected?.id ?? null;
  useEffect(() => {
    if (!map) return;
    showSelected(map, selectedId, selected?.quadrant?.id ?? null);
    if (selected && !map.getBounds().contains(toLngLat(selected))) map.jumpTo({ center: toLngLat(selected) });
  }, [map, selectedId]);

  useEffect(() => {
    if (!map) return;
    showSelectedUnit(map, selectedUnitId);
    const at = selectedUnitId ? unitLocation(selectedUnitId, units, fleet, centroids) : null;
    if (at && !map.getBounds().contains(toLngLat(at))) map.jumpTo({ center: toLngLat(at) });
  }, [map, selectedUnitId]);

  useEffect(() => {
    if (map) map.getCanvas().style.cursor = props.picking ? 'crosshair' : '';
  }, [map, props.picking]);

  const t = strings[lang];
  const status = failed ? t.mapFailed : map ? null : t.mapLoading;
  return html`
    <div class="map-wrap">
      <div ref=${container} class="map" data-testid="map" data-picking=${props.picking} role="region" aria-label=${t.mapLabel}></div>
      ${status && html`<p class="map-status" data-testid="map-status">${status}</p>`}
    </div>`;
}

function unitLocation(unitId: string, units: readonly Unit[], fleet: FleetStore, centroids: ReadonlyMap<string, LatLon>): LatLon | null {
  const fix = fleet.get(unitId);
  if (fix) return fix;
  const unit = units.find((u) => u.id === unitId);
  const q = unit ? homeQuadrant(unit) : null;
  return q ? centroids.get(q) ?? null : null;
}
