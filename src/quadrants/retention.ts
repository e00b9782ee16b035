// What retention needs from the quadrants: the point a closed alert moves to once its exact
// location is past its period — the quadrant's interior point in the set version the alert was
// located in (sets are never deleted, so old alerts keep finding theirs).
import type { Db } from '../storage/index.js';

export interface QuadrantPoint { lat: number; lon: number }

export const quadrantPointKey = (version: number, id: string): string => `${version}\u0000${id}`;

export class QuadrantPoints {
  constructor(private db: Db) {}

  /** Interior points by quadrantPointKey; keys with no such quadrant are absent. */
  async of(keys: readonly { version: number; id: string }[]): Promise<Map<string, QuadrantPoint>> {
    const byVersion = new Map<number, Set<string>>();
    for (const k of keys) byVersion.set(k.version, (byVersion.get(k.version) ?? new Set()).add(k.id));
    const out = new Map<string, QuadrantPoint>();
    for (const [version, ids] of byVersion) {
      const rows = await this.db.selectFrom('quadrants').select(['id', 'interior_lat', 'interior_lon'])
        .where('set_version', '=', version).where('id', 'in', [...ids]).execute();
      for (const r of rows) out.set(quadrantPointKey(version, r.id), { lat: Number(r.interior_lat), lon: Number(r.interior_lon) });
    }
    return out;
  }
}
