import type { Map as MapLibreMap, StyleSpecification } from 'maplibre-gl';
import type { Lang, LatLon, PublicConfig } from './types.js';

export type { MapLibreMap };

/** What browser tests read: the one map instance and whether its layers have rendered. */
export interface MapTestHook { mapReady: boolean; map: MapLibreMap | null }

declare global {
  interface Window { __cuadrante?: MapTestHook }
}

export function testHook(): MapTestHook {
  window.__cuadrante ??= { mapReady: false, map: null };
  return window.__cuadrante;
}

/** No tiles, glyphs or sprites: the city's own GeoJSON layers over a plain background. */
const PLAIN_STYLE: StyleSpecification = {
  version: 8,
  sources: {},
  layers: [{ id: 'background', type: 'background', paint: { 'background-color': '#eef1f4' } }],
};

const ZOOM_LABELS: Record<Lang, { in: string; out: string }> = {
  es: { in: 'Acercar', out: 'Alejar' },
  en: { in: 'Zoom in', out: 'Zoom out' },
};

export const toLngLat = (p: LatLon): [number, number] => [p.lon, p.lat];

/**
 * Loads MapLibre on demand and creates a map that renders only when something changes.
 * Resolves once the style has loaded, so callers can add sources and layers at once.
 */
export async function createMap(container: HTMLElement, config: PublicConfig, lang: Lang): Promise<MapLibreMap> {
  const { maplibregl } = await import('./maplibre.js');
  const map = new maplibregl.Map({
    container,
    style: config.basemapStyleUrl ?? PLAIN_STYLE,
    center: toLngLat(config.city.center),
    zoom: config.city.zoom,
    attributionControl: config.basemapStyleUrl ? { compact: true } : false,
    dragRotate: false,
    pitchWithRotate: false,
    maxPitch: 0,
    renderWorldCopies: false,
  });
  map.touchZoomRotate.disableRotation();
  map.keyboard.disableRotation();
  map.addControl(new maplibregl.NavigationControl({ showCompass: false }), 'top-right');
  localizeControls(map, lang);
  testHook().map = map;
  await map.once('load');
  return map;
}

/** MapLibre fixes control labels at construction; this relabels them on a language switch. */
export function localizeControls(map: MapLibreMap, lang: Lang): void {
  const root = map.getContainer();
  const set = (selector: string, label: string) => {
    const button = root.querySelector<HTMLElement>(selector);
    button?.setAttribute('title', label);
    button?.setAttribute('aria-label', label);
  };
  set('.maplibregl-ctrl-zoom-in', ZOOM_LABELS[lang].in);
  set('.maplibregl-ctrl-zoom-out', ZOOM_LABELS[lang].out);
}

/** Flags the map ready for tests at the first idle after the page's layers were added. */
export function markReadyOnIdle(map: MapLibreMap): void {
  void map.once('idle').then(() => {
    testHook().mapReady = true;
    map.getContainer().dataset.ready = 'true';
  });
}
