import { useEffect, useState } from 'preact/hooks';
import { getQuadrants } from '../shared/api.js';
import type { Lang, LatLon, QuadrantCollection } from '../shared/types.js';

// The city's quadrants, fetched once per page: the map draws them, and their centroids (carried by
// every feature of the list) stand in for units that never reported a position.

let list: Promise<QuadrantCollection> | null = null;

export function quadrantList(lang: Lang): Promise<QuadrantCollection> {
  list ??= getQuadrants({ lang }).catch((err: unknown) => {
    list = null; // try again next time
    throw err;
  });
  return list;
}

export function centroidsOf(collection: QuadrantCollection): Map<string, LatLon> {
  const out = new Map<string, LatLon>();
  for (const f of collection.features) {
    const c = (f.properties as { centroid?: LatLon }).centroid;
    if (c) out.set(f.properties.id, { lat: c.lat, lon: c.lon });
  }
  return out;
}

const NONE: ReadonlyMap<string, LatLon> = new Map();

/** quadrantId → centroid, empty until the list arrives. */
export function useCentroids(lang: Lang): ReadonlyMap<string, LatLon> {
  const [centroids, setCentroids] = useState(NONE);
  useEffect(() => {
    let live = true;
    quadrantList(lang).then((c) => { if (live) setCentroids(centroidsOf(c)); }, () => undefined);
    return () => { live = false; };
  }, []);
  return centroids;
}
