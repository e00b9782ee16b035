// Turns validated drafts into stored records: the geometry facts computed once, at import.
import type { AreaGeometry, Ring } from '../kernel/index.js';
import { bboxOf, centroid, computeNeighbours, geodesicArea, interiorPoint } from './domain/geo/index.js';
import type { QuadrantDraft } from './domain/import.js';
import type { QuadrantRecord, SectorRecord } from './model.js';

const round6 = (n: number) => Math.round(n * 1e6) / 1e6;

export function buildRecords(drafts: readonly QuadrantDraft[]): QuadrantRecord[] {
  const sorted = [...drafts].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const neighbours = computeNeighbours(sorted.map((d) => ({ id: d.id, geometry: d.geometry })));
  return sorted.map((d, i) => {
    const c = centroid(d.geometry);
    const p = interiorPoint(d.geometry);
    return {
      id: d.id, sector: d.sector, zone: d.zone, alcaldia: d.alcaldia, geometry: d.geometry,
      areaM2: Math.round(geodesicArea(d.geometry)),
      centroid: { lon: round6(c[0]), lat: round6(c[1]) },
      interiorPoint: { lon: round6(p[0]), lat: round6(p[1]) },
      bbox: bboxOf(d.geometry),
      neighbours: neighbours[i] ?? [],
      properties: d.properties,
    };
  });
}

/** Sectors from a sector file when given; otherwise each sector is the union (as a MultiPolygon) of its quadrants. */
export function buildSectors(quadrants: readonly QuadrantRecord[], fromFile: readonly QuadrantDraft[] | null): SectorRecord[] {
  const byName = new Map<string, QuadrantRecord[]>();
  for (const q of quadrants) {
    if (!q.sector) continue;
    byName.set(q.sector, [...(byName.get(q.sector) ?? []), q]);
  }
  const fileGeometry = new Map<string, QuadrantDraft>((fromFile ?? []).map((d) => [d.id, d]));
  return [...byName.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([id, qs]) => ({
    id,
    zone: qs[0]?.zone ?? null,
    alcaldia: fileGeometry.get(id)?.alcaldia ?? qs[0]?.alcaldia ?? null,
    geometry: fileGeometry.get(id)?.geometry ?? unionAsMulti(qs.map((q) => q.geometry)),
  }));
}

function unionAsMulti(geoms: readonly AreaGeometry[]): AreaGeometry {
  const polys: Ring[][] = [];
  for (const g of geoms) {
    if (g.type === 'Polygon') polys.push(g.coordinates);
    else polys.push(...g.coordinates);
  }
  return { type: 'MultiPolygon', coordinates: polys };
}
