import { useEffect, useState } from 'preact/hooks';
import type { StaffApi } from './api.js';
import { serverNow } from './clock.js';
import type { FleetStore } from './fleet.js';
import type { TrackCollection, TrackPoint, TrackPointFeature } from './types.js';

// The selected unit's trail over the last hour: read once from the API when the unit is chosen,
// then extended with each live fix the fleet store receives for it.

const WINDOW_MS = 3600_000;
/** Fixes may be stamped a little ahead of our clock estimate; ask a bit past "now". */
const AHEAD_MS = 5 * 60_000;

export interface Trail { unitId: string; points: TrackPoint[] }

export function pointsOf(collection: TrackCollection): TrackPoint[] {
  const points: TrackPoint[] = [];
  for (const f of collection.features.filter(isPoint)) {
    const at = Date.parse(f.properties.at);
    const [lon, lat] = f.geometry.coordinates;
    if (Number.isFinite(at)) points.push({ lat, lon, at });
  }
  return points.sort((a, b) => a.at - b.at);
}

const isPoint = (f: TrackCollection['features'][number]): f is TrackPointFeature => f.geometry.type === 'Point';

/** Appends the live fix when it is newer than the trail's last point; drops points older than the window. */
function extend(points: TrackPoint[], fix: TrackPoint | undefined, now: number): TrackPoint[] {
  const last = points[points.length - 1];
  const from = now - WINDOW_MS;
  if (!fix || fix.at < from || (last && fix.at <= last.at)) return points;
  return [...points.filter((p) => p.at >= from), fix];
}

export function useTrail(api: StaffApi, fleet: FleetStore, unitId: string | null): { trail: Trail | null; failed: boolean } {
  const [trail, setTrail] = useState<Trail | null>(null);
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    setTrail(null);
    setFailed(false);
    if (!unitId) return;
    const ctrl = new AbortController();
    const now = serverNow();
    const live = () => {
      const f = fleet.get(unitId);
      return f ? { lat: f.lat, lon: f.lon, at: f.atMs } : undefined;
    };
    let points: TrackPoint[] | null = null;
    const off = fleet.subscribe(() => {
      if (!points) return;
      const next = extend(points, live(), serverNow());
      if (next !== points) { points = next; setTrail({ unitId, points }); }
    });
    api.track(unitId, new Date(now - WINDOW_MS), new Date(now + AHEAD_MS), ctrl.signal).then((collection) => {
      points = extend(pointsOf(collection), live(), serverNow());
      setTrail({ unitId, points });
    }, () => { if (!ctrl.signal.aborted) setFailed(true); });
    return () => { off(); ctrl.abort(); };
  }, [api, fleet, unitId]);

  return { trail: trail?.unitId === unitId ? trail : null, failed };
}
