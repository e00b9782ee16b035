import type { Feature, FeatureCollection, Point } from 'geojson';
import type { ExpressionSpecification, GeoJSONSource } from 'maplibre-gl';
import { ALERT_STATUSES, type ShiftState, type StaffAlertView, type Unit } from '../shared/alerts.js';
import type { MapLibreMap } from '../shared/map.js';
import type { LatLon, QuadrantCollection } from '../shared/types.js';
import {
  DURESS_COLOR, NO_SIGNAL_COLOR, NO_SIGNAL_STROKE, OUTSIDE_COLOR, SHIFT_COLORS, STATUS_COLORS, TRACK_COLOR, UNIT_STROKE,
} from './colors.js';
import type { FleetStore } from './fleet.js';
import { homeQuadrant } from './positions.js';
import type { TrackPoint } from './types.js';

// The console map's layers, one small function each, bottom to top: quadrants (faint), the
// selected unit's trail, units (geofence ring, dot, heading arrow, selection ring), alerts (duress
// haloed), the selected alert's ring, and the draft point of a phone call.

const NONE = '';
export const ALERT_LAYER = 'alert-points';
export const UNIT_LAYER = 'unit-points';
export const TRACK_POINTS_LAYER = 'track-points';

const EMPTY: FeatureCollection = { type: 'FeatureCollection', features: [] };

const match = (property: string, values: Record<string, string | number>, fallback: string | number) =>
  ['match', ['get', property], ...Object.entries(values).flat(), fallback] as unknown as ExpressionSpecification;

export function addQuadrantLayers(map: MapLibreMap, data: QuadrantCollection): void {
  map.addSource('quadrants', { type: 'geojson', data });
  map.addLayer({ id: 'quadrant-fill', type: 'fill', source: 'quadrants', paint: { 'fill-color': '#c9d1dc', 'fill-opacity': 0.25 } });
  map.addLayer({
    id: 'quadrant-outline', type: 'line', source: 'quadrants',
    paint: { 'line-color': '#7d8796', 'line-width': ['interpolate', ['linear'], ['zoom'], 10, 0.25, 15, 1], 'line-opacity': 0.5 },
  });
  map.addLayer({
    id: 'quadrant-selected', type: 'line', source: 'quadrants', filter: ['==', ['get', 'id'], NONE],
    paint: { 'line-color': '#0b1f66', 'line-width': 2.5 },
  });
}

export function addTrackLayers(map: MapLibreMap): void {
  map.addSource('track', { type: 'geojson', data: EMPTY });
  map.addLayer({
    id: 'track-line', type: 'line', source: 'track', filter: ['==', ['geometry-type'], 'LineString'],
    layout: { 'line-join': 'round', 'line-cap': 'round' },
    paint: { 'line-color': TRACK_COLOR, 'line-width': 3, 'line-opacity': 0.85 },
  });
  map.addLayer({
    id: TRACK_POINTS_LAYER, type: 'circle', source: 'track', filter: ['==', ['geometry-type'], 'Point'],
    paint: { 'circle-radius': 3, 'circle-color': '#ffffff', 'circle-stroke-color': TRACK_COLOR, 'circle-stroke-width': 1.5 },
  });
}

/** Marker size by type: a car is the biggest mark, an officer on foot the smallest. */
const UNIT_RADIUS: Record<string, number> = { car: 7.5, motorcycle: 6.5, bicycle: 5.5, foot: 5 };
const ARROW_SIZE: Record<string, number> = { car: 1, motorcycle: 0.9, bicycle: 0.8, foot: 0.75 };
const ARROW_ICON = 'unit-arrow-';

/**
 * A unit moving with a known heading is an arrow pointing where it goes; any other is a dot.
 * The dot layer holds every unit (invisible under an arrow), so clicks and queries need one layer.
 */
export function addUnitLayers(map: MapLibreMap): void {
  addArrowImages(map);
  map.addSource('units', { type: 'geojson', data: EMPTY });
  map.addLayer({
    id: 'unit-outside', type: 'circle', source: 'units', filter: ['==', ['get', 'outside'], true],
    paint: { 'circle-radius': 14, 'circle-opacity': 0, 'circle-stroke-color': OUTSIDE_COLOR, 'circle-stroke-width': 3 },
  });
  map.addLayer({
    id: UNIT_LAYER, type: 'circle', source: 'units',
    paint: {
      'circle-radius': match('type', UNIT_RADIUS, 6),
      'circle-color': ['case', ['get', 'noSignal'], NO_SIGNAL_COLOR, match('shiftState', SHIFT_COLORS, '#8a8f98')],
      'circle-opacity': ['case', ['get', 'arrow'], 0, ['get', 'located'], 1, 0.6],
      'circle-stroke-color': ['case', ['get', 'noSignal'], NO_SIGNAL_STROKE, UNIT_STROKE],
      'circle-stroke-opacity': ['case', ['get', 'arrow'], 0, 1],
      'circle-stroke-width': ['case', ['get', 'located'], 2.5, 1.5],
    },
  });
  map.addLayer({
    id: 'unit-arrows', type: 'symbol', source: 'units', filter: ['==', ['get', 'arrow'], true],
    layout: {
      'icon-image': ['concat', ARROW_ICON, ['get', 'shiftState']], 'icon-size': match('type', ARROW_SIZE, 0.9),
      'icon-rotate': ['get', 'course'], 'icon-rotation-alignment': 'map',
      'icon-allow-overlap': true, 'icon-ignore-placement': true,
    },
  });
  map.addLayer({
    id: 'unit-selected', type: 'circle', source: 'units', filter: ['==', ['get', 'id'], NONE],
    paint: { 'circle-radius': 15, 'circle-opacity': 0, 'circle-stroke-color': '#0b1f66', 'circle-stroke-width': 3 },
  });
}

/** Navigation arrows, one per shift colour, drawn on a canvas (the plain style has no sprite). */
function addArrowImages(map: MapLibreMap): void {
  const ratio = 2;
  const size = 24;
  for (const [state, color] of Object.entries(SHIFT_COLORS) as Array<[ShiftState, string]>) {
    const canvas = document.createElement('canvas');
    canvas.width = canvas.height = size * ratio;
    const ctx = canvas.getContext('2d');
    if (!ctx) return;
    ctx.scale(ratio, ratio);
    ctx.beginPath();
    ctx.moveTo(12, 2);
    ctx.lineTo(20.5, 21);
    ctx.lineTo(12, 16.5);
    ctx.lineTo(3.5, 21);
    ctx.closePath();
    ctx.fillStyle = color;
    ctx.strokeStyle = UNIT_STROKE;
    ctx.lineWidth = 2;
    ctx.lineJoin = 'round';
    ctx.fill();
    ctx.stroke();
    map.addImage(ARROW_ICON + state, ctx.getImageData(0, 0, canvas.width, canvas.height), { pixelRatio: ratio });
  }
}

export function addAlertLayers(map: MapLibreMap): void {
  map.addSource('alerts', { type: 'geojson', data: EMPTY });
  map.addLayer({
    id: 'alert-duress-halo', type: 'circle', source: 'alerts', filter: ['==', ['get', 'duress'], true],
    paint: { 'circle-radius': 17, 'circle-color': '#d7191c', 'circle-opacity': 0.3, 'circle-stroke-color': DURESS_COLOR, 'circle-stroke-width': 2 },
  });
  map.addLayer({
    id: ALERT_LAYER, type: 'circle', source: 'alerts',
    paint: {
      'circle-radius': ['case', ['get', 'duress'], 10, 8],
      'circle-color': match('status', Object.fromEntries(ALERT_STATUSES.map((s) => [s, STATUS_COLORS[s]])), '#d7191c'),
      'circle-stroke-color': ['case', ['get', 'duress'], DURESS_COLOR, '#ffffff'],
      'circle-stroke-width': ['case', ['get', 'duress'], 3, 2],
    },
  });
  map.addLayer({
    id: 'alert-selected', type: 'circle', source: 'alerts', filter: ['==', ['get', 'id'], NONE],
    paint: { 'circle-radius': 15, 'circle-opacity': 0, 'circle-stroke-color': '#0b1f66', 'circle-stroke-width': 3 },
  });
}

export function addDraftLayer(map: MapLibreMap): void {
  map.addSource('draft', { type: 'geojson', data: EMPTY });
  map.addLayer({
    id: 'draft-point', type: 'circle', source: 'draft',
    paint: { 'circle-radius': 9, 'circle-color': '#ffbf47', 'circle-stroke-color': '#111418', 'circle-stroke-width': 3 },
  });
}

const point = (p: LatLon): Point => ({ type: 'Point', coordinates: [p.lon, p.lat] });

/** `alerts` come most urgent first; drawn in reverse, so the most urgent is on top. */
export function alertFeatures(alerts: readonly StaffAlertView[]): FeatureCollection {
  return {
    type: 'FeatureCollection',
    features: [...alerts].reverse().map((a): Feature => ({
      type: 'Feature', id: a.id, geometry: point(a),
      properties: { id: a.id, status: a.status, duress: a.duress, kind: a.kind },
    })),
  };
}

/** About 60 m between units drawn at the same quadrant's centroid, so each stays visible and clickable. */
const FAN_DEGREES = 0.00055;

/** Drawn in this order, so where units overlap the one that matters most is on top. */
const DRAW_ORDER: Record<string, number> = { off_duty: 1, busy: 2, available: 3 };

/** A heading is drawn when the unit reports one and is moving. */
const MOVING_MPS = 0.5;

/**
 * Every unit at its last fix; a unit that never reported sits at its home quadrant's centroid
 * (fanned out, faded). Units with no signal are greyed and lose their heading.
 */
export function unitFeatures(units: readonly Unit[], fleet: FleetStore, centroids: ReadonlyMap<string, LatLon>): FeatureCollection {
  const listed = new Set(units.map((u) => u.id));
  const all: Array<{ id: string; callsign: string; type: string; shiftState: string; quadrant: string | null }> = units.map((u) => ({
    id: u.id, callsign: u.callsign, type: u.type, shiftState: u.shiftState, quadrant: homeQuadrant(u),
  }));
  for (const f of fleet.all()) {
    if (!listed.has(f.unitId)) all.push({ id: f.unitId, callsign: f.callsign, type: f.type, shiftState: f.shiftState, quadrant: null });
  }
  const rank = (u: { id: string; shiftState: string }) => (fleet.isSilent(u.id) ? 0 : DRAW_ORDER[u.shiftState] ?? 0);
  const perQuadrant = new Map<string, number>();
  const features: Feature[] = [];
  for (const u of all.sort((a, b) => rank(a) - rank(b))) {
    const fix = fleet.get(u.id);
    const noSignal = fix ? fleet.isSilent(u.id) : false;
    let at: LatLon;
    if (fix) {
      at = fix;
    } else {
      const c = u.quadrant ? centroids.get(u.quadrant) : undefined;
      if (!c || !u.quadrant) continue;
      const n = perQuadrant.get(u.quadrant) ?? 0;
      perQuadrant.set(u.quadrant, n + 1);
      const angle = n * 2.4; // golden-angle spiral
      const r = n === 0 ? 0 : FAN_DEGREES * Math.sqrt(n);
      at = { lat: c.lat + r * Math.sin(angle), lon: c.lon + r * Math.cos(angle) };
    }
    const course = fix?.course ?? null;
    features.push({
      type: 'Feature', id: u.id, geometry: point(at),
      properties: {
        id: u.id, callsign: u.callsign, type: u.type, shiftState: u.shiftState, located: !!fix, noSignal,
        arrow: !!fix && !noSignal && course !== null && (fix.speedMps === null || fix.speedMps >= MOVING_MPS),
        course: course ?? 0, outside: !!fleet.outside(u.id),
      },
    });
  }
  return { type: 'FeatureCollection', features };
}

/** The selected unit's trail: one line, then a point per fix. */
export function trackData(points: readonly TrackPoint[] | null): FeatureCollection {
  if (!points || points.length === 0) return EMPTY;
  const coordinates = points.map((p) => [p.lon, p.lat]);
  return {
    type: 'FeatureCollection',
    features: [
      ...(points.length > 1 ? [{ type: 'Feature' as const, geometry: { type: 'LineString' as const, coordinates }, properties: {} }] : []),
      ...points.map((p): Feature => ({ type: 'Feature', geometry: point(p), properties: { at: new Date(p.at).toISOString() } })),
    ],
  };
}

export function setSource(map: MapLibreMap, id: string, data: FeatureCollection | Point | null): void {
  map.getSource<GeoJSONSource>(id)?.setData(data ?? EMPTY);
}

export function showSelected(map: MapLibreMap, alertId: string | null, quadrantId: string | null): void {
  map.setFilter('alert-selected', ['==', ['get', 'id'], alertId ?? NONE]);
  map.setFilter('quadrant-selected', ['==', ['get', 'id'], quadrantId ?? NONE]);
}

export function showSelectedUnit(map: MapLibreMap, unitId: string | null): void {
  map.setFilter('unit-selected', ['==', ['get', 'id'], unitId ?? NONE]);
}

export const draftPoint = (p: LatLon | null): Point | null => (p ? point(p) : null);
