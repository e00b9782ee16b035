// Persistence of quadrant sets, contacts, crime statistics and threat levels.
import type { AreaGeometry } from '../kernel/index.js';
import type { Db } from '../storage/index.js';
import type { PropertyMapping } from './domain/import.js';
import type { CrimeRecord } from './domain/csv.js';
import type { ThreatAssessment } from './domain/threat.js';
import type { QuadrantRecord, QuadrantSetInfo, SectorRecord } from './model.js';

const CHUNK = 200;

async function insertChunked<T>(rows: readonly T[], size: number, insert: (chunk: T[]) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < rows.length; i += size) await insert(rows.slice(i, i + size));
}

export interface NewSet {
  name: string;
  source: string;
  mapping: PropertyMapping;
  createdAt: number;
  createdBy: string | null;
  quadrants: readonly QuadrantRecord[];
  sectors: readonly SectorRecord[];
}

export interface StoredContact { phone: string; label: string | null }

export class QuadrantStore {
  constructor(private db: Db) {}

  /** Writes a whole version in one transaction: either all of it exists or none of it. */
  async createSet(set: NewSet, activate: boolean, now: number): Promise<number> {
    return this.db.transaction().execute(async (trx) => {
      const max = await trx.selectFrom('quadrant_sets').select((eb) => eb.fn.max('version').as('v')).executeTakeFirst();
      const version = Number(max?.v ?? 0) + 1;
      await trx.insertInto('quadrant_sets').values({
        version, name: set.name, source: set.source, feature_count: set.quadrants.length,
        mapping: JSON.stringify(set.mapping), created_at: set.createdAt, created_by: set.createdBy,
        active: 0, activated_at: null,
      }).execute();
      await insertChunked(set.quadrants, CHUNK, (chunk) =>
        trx.insertInto('quadrants').values(chunk.map((q) => quadrantRow(version, q))).execute());
      await insertChunked(set.sectors, CHUNK, (chunk) =>
        trx.insertInto('sectors').values(chunk.map((s) => ({
          set_version: version, id: s.id, zone: s.zone, alcaldia: s.alcaldia,
          geometry: s.geometry ? JSON.stringify(s.geometry) : null,
        }))).execute());
      if (activate) await activateIn(trx, version, now);
      return version;
    });
  }

  /** Atomic switch: readers see the old version or the new one, never none. */
  async activate(version: number, now: number): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      const exists = await trx.selectFrom('quadrant_sets').select('version').where('version', '=', version).executeTakeFirst();
      if (!exists) return false;
      await activateIn(trx, version, now);
      return true;
    });
  }

  async activeVersion(): Promise<number | null> {
    const r = await this.db.selectFrom('quadrant_sets').select('version').where('active', '=', 1).executeTakeFirst();
    return r ? Number(r.version) : null;
  }

  async listSets(): Promise<QuadrantSetInfo[]> {
    const rows = await this.db.selectFrom('quadrant_sets').selectAll().orderBy('version', 'desc').execute();
    return rows.map((r) => ({
      version: Number(r.version), name: r.name, source: r.source, featureCount: Number(r.feature_count),
      mapping: JSON.parse(r.mapping) as PropertyMapping, createdAt: new Date(Number(r.created_at)).toISOString(),
      createdBy: r.created_by, active: Number(r.active) === 1,
      activatedAt: r.activated_at === null ? null : new Date(Number(r.activated_at)).toISOString(),
    }));
  }

  async loadQuadrants(version: number): Promise<QuadrantRecord[]> {
    const rows = await this.db.selectFrom('quadrants').selectAll().where('set_version', '=', version).orderBy('id').execute();
    return rows.map((r) => ({
      id: r.id, sector: r.sector, zone: r.zone, alcaldia: r.alcaldia,
      geometry: JSON.parse(r.geometry) as AreaGeometry, areaM2: r.area_m2,
      centroid: { lon: r.centroid_lon, lat: r.centroid_lat },
      interiorPoint: { lon: r.interior_lon, lat: r.interior_lat },
      bbox: [r.min_lon, r.min_lat, r.max_lon, r.max_lat],
      neighbours: JSON.parse(r.neighbours) as string[],
      properties: JSON.parse(r.properties) as Record<string, unknown>,
    }));
  }

  async loadSectors(version: number): Promise<SectorRecord[]> {
    const rows = await this.db.selectFrom('sectors').selectAll().where('set_version', '=', version).orderBy('id').execute();
    return rows.map((r) => ({ id: r.id, zone: r.zone, alcaldia: r.alcaldia, geometry: r.geometry ? JSON.parse(r.geometry) as AreaGeometry : null }));
  }

  async loadContacts(): Promise<Map<string, StoredContact[]>> {
    const rows = await this.db.selectFrom('quadrant_contacts').selectAll().orderBy('quadrant_id').orderBy('position').execute();
    const byId = new Map<string, StoredContact[]>();
    for (const r of rows) {
      const list = byId.get(r.quadrant_id) ?? [];
      list.push({ phone: r.phone, label: r.label });
      byId.set(r.quadrant_id, list);
    }
    return byId;
  }

  async replaceContacts(quadrantId: string, contacts: readonly StoredContact[], actorId: string | null, now: number): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('quadrant_contacts').where('quadrant_id', '=', quadrantId).execute();
      if (contacts.length === 0) return;
      await trx.insertInto('quadrant_contacts').values(contacts.map((c, position) => ({
        quadrant_id: quadrantId, position, phone: c.phone, label: c.label, updated_at: now, updated_by: actorId,
      }))).execute();
    });
  }

  /** Replaces the statistics (and population when given) and their derived threat levels together. */
  async replaceCrimeData(records: readonly CrimeRecord[], population: ReadonlyMap<string, number> | null,
    threat: ReadonlyMap<string, ThreatAssessment>, now: number): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('crime_stats').execute();
      await insertChunked(records, 2000, (chunk) => trx.insertInto('crime_stats').values(chunk.map((r) => ({
        quadrant_id: r.quadrant, crime: r.crime, month: r.month, count: r.count,
      }))).onConflict((oc) => oc.columns(['quadrant_id', 'crime', 'month']).doNothing()).execute());
      if (population) {
        await trx.deleteFrom('quadrant_population').execute();
        await insertChunked([...population], 2000, (chunk) => trx.insertInto('quadrant_population')
          .values(chunk.map(([id, pop]) => ({ quadrant_id: id, sector: null, population: pop }))).execute());
      }
      await writeThreat(trx, threat, now);
    });
  }

  async replaceThreat(threat: ReadonlyMap<string, ThreatAssessment>, now: number): Promise<void> {
    await this.db.transaction().execute((trx) => writeThreat(trx, threat, now));
  }

  async loadCrimeRecords(): Promise<CrimeRecord[]> {
    const rows = await this.db.selectFrom('crime_stats').selectAll().execute();
    return rows.map((r) => ({ quadrant: r.quadrant_id, crime: r.crime, month: r.month, count: Number(r.count) }));
  }

  async loadPopulation(): Promise<Map<string, number>> {
    const rows = await this.db.selectFrom('quadrant_population').selectAll().execute();
    return new Map(rows.map((r) => [r.quadrant_id, Number(r.population)]));
  }

  async loadThreat(): Promise<Map<string, ThreatAssessment>> {
    const rows = await this.db.selectFrom('quadrant_threat').select(['quadrant_id', 'assessment']).execute();
    return new Map(rows.map((r) => [r.quadrant_id, JSON.parse(r.assessment) as ThreatAssessment]));
  }
}

async function activateIn(trx: Db, version: number, now: number): Promise<void> {
  await trx.updateTable('quadrant_sets').set({ active: 0 }).where('active', '=', 1).execute();
  await trx.updateTable('quadrant_sets').set({ active: 1, activated_at: now }).where('version', '=', version).execute();
}

async function writeThreat(trx: Db, threat: ReadonlyMap<string, ThreatAssessment>, now: number): Promise<void> {
  await trx.deleteFrom('quadrant_threat').execute();
  await insertChunked([...threat.values()], 500, (chunk) => trx.insertInto('quadrant_threat').values(chunk.map((t) => ({
    quadrant_id: t.quadrantId, level: t.level, score: t.score, assessment: JSON.stringify(t), computed_at: now,
  }))).execute());
}

function quadrantRow(version: number, q: QuadrantRecord) {
  return {
    set_version: version, id: q.id, sector: q.sector, zone: q.zone, alcaldia: q.alcaldia,
    geometry: JSON.stringify(q.geometry), area_m2: q.areaM2,
    centroid_lon: q.centroid.lon, centroid_lat: q.centroid.lat,
    interior_lon: q.interiorPoint.lon, interior_lat: q.interiorPoint.lat,
    min_lon: q.bbox[0], min_lat: q.bbox[1], max_lon: q.bbox[2], max_lat: q.bbox[3],
    neighbours: JSON.stringify(q.neighbours), properties: JSON.stringify(q.properties),
  };
}
