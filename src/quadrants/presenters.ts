// GeoJSON views of the active set. Collections are serialised once per (version, tolerance)
// and cached as strings: the whole city is the most requested and the largest payload.
import type { BBox } from '../kernel/index.js';
import { NumberTemplate, type Serialize } from '../http/answer-bytes.js';
import type { ActiveSet } from './active-set.js';
import type { LocateResult } from './service.js';

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

/** The /locate answer for a point, as its response schema describes it. */
export function locateBody(r: LocateResult, lat: number, lon: number) {
  const near = r.nearest;
  return {
    point: { lat, lon },
    quadrant: r.index >= 0 ? r.set.locateSummaries[r.index]! : null,
    nearest: near ? { ...r.set.locateSummaries[near.index]!, distanceMeters: near.distanceMeters } : null,
    version: r.set.version,
  };
}

interface SetTemplates {
  /** Per quadrant: its answer for a point inside it, holes for lat and lon. */
  inside: (NumberTemplate | null)[];
  /** Per quadrant: its answer as the nearest to a point outside the city, holes for lat, lon and the distance. */
  nearest: (NumberTemplate | null)[];
}

/**
 * /locate answers as bytes. Within a quadrant set, a quadrant's answer differs from point to point
 * only in the point itself (and, outside every quadrant, the distance), so each is serialised once
 * by the route's serializer with holes for those numbers. Templates hang off the set: a data
 * change makes a new set (QuadrantService.reload), so a new template from the new data.
 */
export class LocateAnswers {
  private readonly sets = new WeakMap<ActiveSet, SetTemplates>();

  bytes(r: LocateResult, lat: number, lon: number, serialize: Serialize): Buffer {
    let t = this.sets.get(r.set);
    if (t === undefined) this.sets.set(r.set, (t = { inside: [], nearest: [] }));
    let template: NumberTemplate | null | undefined;
    let values: number[];
    if (r.index >= 0) {
      const { index } = r;
      template = t.inside[index];
      if (template === undefined) {
        template = t.inside[index] = NumberTemplate.probe(serialize, ([la, lo]) => locateBody(r, la!, lo!), 2);
      }
      values = [lat, lon];
    } else if (r.nearest) {
      const { index } = r.nearest;
      template = t.nearest[index];
      if (template === undefined) {
        template = t.nearest[index] = NumberTemplate.probe(serialize,
          ([la, lo, d]) => locateBody({ ...r, nearest: { index, distanceMeters: d! } }, la!, lo!), 3);
      }
      values = [lat, lon, r.nearest.distanceMeters];
    } else {
      template = null;
      values = [];
    }
    return template ? template.fill(values) : Buffer.from(serialize(locateBody(r, lat, lon)));
  }
}
