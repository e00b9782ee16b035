import type { Feature, FeatureCollection, Geometry } from 'geojson';
import { html } from 'htm/preact';
import { useEffect } from 'preact/hooks';
import type { GeoJSONSource } from 'maplibre-gl';
import { request } from '../shared/api.js';
import { createMap, markReadyOnIdle, toLngLat, type MapLibreMap } from '../shared/map.js';
import type { Lang, LatLon, PublicConfig } from '../shared/types.js';
import { usePageMap, type StartMap } from '../shared/usePageMap.js';
import { strings } from './strings.js';

// A small map of the alert being worked: its point, its quadrant's outline and, if known, the
// officer. One instance for the page (WebGL contexts are scarce on cheap phones); MapLibre is
// loaded only when the first alert arrives.

interface Props { config: PublicConfig; lang: Lang; point: LatLon; quadrantId: string | null; me: LatLon | null }

const EMPTY: FeatureCollection = { type: 'FeatureCollection', features: [] };
const ZOOM = 15;

function addLayers(map: MapLibreMap): void {
  map.addSource('quadrant', { type: 'geojson', data: EMPTY });
  map.addLayer({ id: 'quadrant-fill', type: 'fill', source: 'quadrant', paint: { 'fill-color': '#0b1f66', 'fill-opacity': 0.08 } });
  map.addLayer({ id: 'quadrant-line', type: 'line', source: 'quadrant', paint: { 'line-color': '#0b1f66', 'line-width': 2 } });
  map.addSource('points', { type: 'geojson', data: EMPTY });
  map.addLayer({
    id: 'points', type: 'circle', source: 'points',
    paint: {
      'circle-radius': ['match', ['get', 'role'], 'alert', 10, 7],
      'circle-color': ['match', ['get', 'role'], 'alert', '#a50026', '#0b6b2f'],
      'circle-stroke-color': '#ffffff', 'circle-stroke-width': 3,
    },
  });
}

const pointFeature = (p: LatLon, role: string): Feature => ({ type: 'Feature', properties: { role }, geometry: { type: 'Point', coordinates: toLngLat(p) } });

const startMap: StartMap = async (container, config, lang) => {
  const map = await createMap(container, config, lang);
  addLayers(map);
  markReadyOnIdle(map);
  return map;
};

export function AlertMap({ config, lang, point, quadrantId, me }: Props) {
  const { container, map, failed } = usePageMap(config, lang, startMap);

  useEffect(() => {
    if (!map) return;
    map.getSource<GeoJSONSource>('points')?.setData({
      type: 'FeatureCollection', features: [pointFeature(point, 'alert'), ...(me ? [pointFeature(me, 'me')] : [])],
    });
    map.jumpTo({ center: toLngLat(point), zoom: ZOOM });
  }, [map, point.lat, point.lon, me?.lat, me?.lon]);

  useEffect(() => {
    if (!map) return;
    const source = map.getSource<GeoJSONSource>('quadrant');
    if (!quadrantId) { source?.setData(EMPTY); return; }
    request<Feature<Geometry>>('GET', `/api/v1/quadrants/${encodeURIComponent(quadrantId)}`, undefined, { lang })
      .then((f) => source?.setData({ type: 'Feature', properties: {}, geometry: f.geometry }), () => undefined);
  }, [map, quadrantId]);

  const t = strings[lang];
  return html`
    <div class="alert-map-wrap">
      <div ref=${container} class="alert-map" data-testid="unit-map" role="region" aria-label=${t.mapLabel}></div>
      ${failed && html`<p class="map-status">${t.mapFailed}</p>`}
    </div>`;
}
