import { html } from 'htm/preact';
import { useEffect, useRef } from 'preact/hooks';
import { getQuadrants } from '../shared/api.js';
import { createMap, markReadyOnIdle, toLngLat, type MapLibreMap } from '../shared/map.js';
import type { Lang, LatLon, PublicConfig } from '../shared/types.js';
import { usePageMap } from '../shared/usePageMap.js';
import { addLocatedLayer, addQuadrantLayers, showSelection } from './layers.js';
import { strings } from './strings.js';

export interface Selection { point: LatLon | null; quadrantId: string | null; focus: boolean }

interface Props {
  config: PublicConfig | null;
  lang: Lang;
  selection: Selection;
  onPick: (p: LatLon) => void;
}

const FOCUS_ZOOM = 14;

async function startMap(container: HTMLElement, config: PublicConfig, lang: Lang): Promise<MapLibreMap> {
  const [map, quadrants] = await Promise.all([createMap(container, config, lang), getQuadrants({ lang })]);
  addQuadrantLayers(map, quadrants);
  addLocatedLayer(map);
  markReadyOnIdle(map);
  return map;
}

/**
 * The page's one map. It appears when MapLibre has loaded; the page works before that. It never
 * shows a patrol unit: the server tells a citizen only how far the unit coming to them is.
 */
export function MapView({ config, lang, selection, onPick }: Props) {
  const pick = useRef(onPick);
  pick.current = onPick;
  const { container, map, failed } = usePageMap(config, lang, async (el, c, l) => {
    const m = await startMap(el, c, l);
    m.on('click', (e) => pick.current({ lat: e.lngLat.lat, lon: e.lngLat.lng }));
    return m;
  });

  useEffect(() => {
    if (!map) return;
    showSelection(map, selection.point, selection.quadrantId);
    if (selection.focus && selection.point) {
      map.jumpTo({ center: toLngLat(selection.point), zoom: Math.max(map.getZoom(), FOCUS_ZOOM) });
    }
  }, [map, selection.point, selection.quadrantId, selection.focus]);

  const t = strings[lang];
  const status = failed ? t.mapFailed : map ? null : t.mapLoading;
  return html`
    <div class="map-wrap">
      <div ref=${container} class="map" data-testid="map" role="region" aria-label=${t.mapLabel}></div>
      ${status && html`<p class="map-status" data-testid="map-status">${status}</p>`}
    </div>`;
}
