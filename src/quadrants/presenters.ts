// GeoJSON views of the active set. Collections are serialised once per (version, tolerance)
// and cached as strings: the whole city is the most requested and the largest payload.
import type { BBox } from '../kernel/index.js';
import type { ActiveSet } from './active-set.js';

export function quadrantFeature(set: ActiveSet, i: number, toleranceM: number) {
  const q = set.quadrants[i]!;
  const s = set.summaries[i]!;
  return {
    type: 'Feature' as const,
    id: q.id,
    geometry: set.geometries(toleranceM)[i],
    properties: {
      id: q.id, sector: q.sector, zone: q.zone, alcaldia: q.alcaldia,
      areaM2: q.areaM2, centroid: { lat: q.centroid.lat, lon: q.centroid.lon },
      interiorPoint: { lat: q.interiorPoint.lat, lon: q.interiorPoint.lon },
      neighbours: q.neighbours, contacts: s.contacts, threat: s.threat,
      threatLevel: s.threat.level, version: set.version,
    },
  };
}

function listFeature(set: ActiveSet, i: number, toleranceM: number): string {
  const q = set.quadrants[i]!;
  const props = { id: q.id, sector: q.sector, zone: q.zone, alcaldia: q.alcaldia, threatLevel: set.summaries[i]!.threat.level, centroid: q.centroid };
  return JSON.stringify({ type: 'Feature', id: q.id, geometry: set.geometries(toleranceM)[i], properties: props });
}

const collectionCache = new WeakMap<ActiveSet, Map<number, string[]>>();

export function quadrantCollection(set: ActiveSet, indices: readonly number[], toleranceM: number): string {
  let perSet = collectionCache.get(set);
  if (!perSet) collectionCache.set(set, (perSet = new Map()));
  let features = perSet.get(toleranceM);
  if (!features) {
    features = set.quadrants.map((_, i) => listFeature(set, i, toleranceM));
    perSet.set(toleranceM, features);
  }
  const parts = indices.map((i) => features[i]);
  return `{"type":"FeatureCollection","version":${set.version},"features":[${parts.join(',')}]}`;
}

export function sectorFeatures(set: ActiveSet, bbox: BBox | null) {
  return set.sectors.map((s) => {
    const members = set.quadrants.flatMap((q, i) => (q.sector === s.id ? [i] : []));
    const levels = members.map((i) => set.summaries[i]!.threat.level);
    return {
      type: 'Feature' as const,
      id: s.id,
      geometry: s.geometry,
      properties: {
        id: s.id, zone: s.zone, alcaldia: s.alcaldia,
        quadrants: members.map((i) => set.quadrants[i]!.id),
        threatLevelMax: levels.length ? Math.max(...levels) : null,
        threatLevelMean: levels.length ? Math.round((levels.reduce((a, b) => a + b, 0) / levels.length) * 10) / 10 : null,
      },
      bboxHit: !bbox || members.some((i) => set.indicesInBbox(bbox).includes(i)),
    };
  }).filter((f) => f.bboxHit).map(({ bboxHit: _, ...f }) => f);
}
