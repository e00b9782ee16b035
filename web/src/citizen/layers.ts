import type { FeatureCollection } from 'geojson';
import type { ExpressionSpecification, GeoJSONSource } from 'maplibre-gl';
import type { MapLibreMap } from '../shared/map.js';
import { toLngLat } from '../shared/map.js';
import { THREAT_LEVELS, threatColor, UNKNOWN_THREAT_COLOR } from '../shared/threat.js';
import type { LatLon, QuadrantCollection } from '../shared/types.js';

// The citizen map's layers, one small function each. Sources: 'quadrants' (all polygons,
// coloured by threat level) and 'located' (the point being looked up). No patrol unit is ever
// drawn here: a citizen learns only how far the unit coming to them is, in words.

const NONE = '';
const EMPTY: FeatureCollection = { type: 'FeatureCollection', features: [] };

const fillByThreat: ExpressionSpecification = [
  'match', ['get', 'threatLevel'],
  ...THREAT_LEVELS.flatMap((level) => [level, threatColor(level)]),
  UNKNOWN_THREAT_COLOR,
] as unknown as ExpressionSpecification;

export function addQuadrantLayers(map: MapLibreMap, data: QuadrantCollection): void {
  map.addSource('quadrants', { type: 'geojson', data });
  map.addLayer({
    id: 'quadrant-fill', type: 'fill', source: 'quadrants',
    paint: { 'fill-color': fillByThreat, 'fill-opacity': 0.7 },
  });
  map.addLayer({
    id: 'quadrant-outline', type: 'line', source: 'quadrants',
    paint: { 'line-color': '#4a4a4a', 'line-width': ['interpolate', ['linear'], ['zoom'], 10, 0.3, 15, 1.2], 'line-opacity': 0.6 },
  });
  map.addLayer({
    id: 'quadrant-selected', type: 'line', source: 'quadrants',
    filter: ['==', ['get', 'id'], NONE],
    paint: { 'line-color': '#0b1f66', 'line-width': 3.5 },
  });
}

export function addLocatedLayer(map: MapLibreMap): void {
  map.addSource('located', { type: 'geojson', data: EMPTY });
  map.addLayer({
    id: 'located-point', type: 'circle', source: 'located',
    paint: { 'circle-radius': 8, 'circle-color': '#0b1f66', 'circle-stroke-color': '#ffffff', 'circle-stroke-width': 3 },
  });
}

/** Outlines one quadrant (the one containing the point, or the nearest) and marks the point. */
export function showSelection(map: MapLibreMap, point: LatLon | null, quadrantId: string | null): void {
  map.setFilter('quadrant-selected', ['==', ['get', 'id'], quadrantId ?? NONE]);
  const source = map.getSource<GeoJSONSource>('located');
  source?.setData(point ? { type: 'Point', coordinates: toLngLat(point) } : EMPTY);
}
