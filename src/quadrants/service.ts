// Quadrant use-cases: import and activate versions, locate a point, serve quadrants, sectors,
// contacts and threat levels. Holds the active version in memory and swaps it atomically.
import { randomUUID } from 'node:crypto';
import type { ChangeLog } from '../bus/index.js';
import { DomainError, normalizeContactPhone, type BBox, type Clock } from '../kernel/index.js';
import type { AuditLog } from '../audit/index.js';
import type { MetaStore } from '../storage/index.js';
import { ActiveSet, type QuadrantSummary } from './active-set.js';
import { buildRecords, buildSectors } from './build-records.js';
import { parseQuadrantCollection, type PropertyMapping } from './domain/import.js';
import { computeThreat } from './domain/threat.js';
import type { CrimeRecord } from './domain/csv.js';
import type { QuadrantSetInfo } from './model.js';
import type { QuadrantStore } from './storage.js';

export interface LocateResult {
  set: ActiveSet;
  /** Index of the quadrant containing the point in `set`, or -1. */
  index: number;
  nearest: { index: number; distanceMeters: number } | null;
}

export interface ImportOptions {
  /** Default: "Importación YYYY-MM-DD" (today, on the injected clock). */
  name?: string | undefined;
  source: string;
  activate: boolean;
  /** Optional sector polygons (same mapping rules, id = sector name). */
  sectors?: { input: unknown; mapping: PropertyMapping } | undefined;
}

const DATA_REV = 'data_rev';

/** The subject of a change of the active data (a version activated, contacts, crimes); payload `{ rev }`. */
export const QUADRANT_DATA_CHANGED = 'quadrants.data.changed';

export class QuadrantService {
  private active: ActiveSet | null = null;
  private loadedRev: string | null = null;

  constructor(
    private store: QuadrantStore,
    private meta: MetaStore,
    private audit: AuditLog,
    private clock: Clock,
    private opts: { cityLine: string; maxImportBytes: number },
    /** With several instances: a data change is told to the others, which reload at once (the poll stays as a backstop). */
    private changes: ChangeLog | null = null,
  ) {}

  get current(): ActiveSet | null { return this.active; }

  requireActive(): ActiveSet {
    if (!this.active) throw new DomainError('NO_ACTIVE_QUADRANT_SET');
    return this.active;
  }

  /** Loads the active version and what hangs off it into memory, then swaps it in at once. */
  async reload(): Promise<void> {
    const rev = await this.meta.get(DATA_REV);
    const version = await this.store.activeVersion();
    if (version === null) { this.active = null; this.loadedRev = rev; return; }
    const sameVersion = this.active?.version === version;
    const [quadrants, sectors, contacts, threat] = await Promise.all([
      sameVersion ? this.active!.quadrants : this.store.loadQuadrants(version),
      sameVersion ? this.active!.sectors : this.store.loadSectors(version),
      this.store.loadContacts(),
      this.store.loadThreat(),
    ]);
    this.active = new ActiveSet(version, quadrants, sectors, contacts, threat, this.opts.cityLine);
    this.loadedRev = rev;
  }

  /** Another process (the CLI, another instance) may have changed the data: reload if so. */
  async refreshIfChanged(): Promise<boolean> {
    const rev = await this.meta.get(DATA_REV);
    if (rev === this.loadedRev) return false;
    await this.reload();
    return true;
  }

  private async changed(): Promise<void> {
    const rev = `${this.clock.now().getTime()}-${randomUUID()}`;
    await this.meta.set(DATA_REV, rev);
    await this.reload();
    await this.changes?.publish(QUADRANT_DATA_CHANGED, { rev });
  }

  /** Which quadrant answers for a point; outside all of them, the nearest one and how far. */
  locate(lon: number, lat: number): LocateResult {
    const set = this.requireActive();
    const i = set.index.locate(lon, lat);
    if (i >= 0) return { set, index: i, nearest: null };
    const near = set.index.nearest(lon, lat);
    return { set, index: -1, nearest: near ? { index: near.index, distanceMeters: Math.round(near.distance) } : null };
  }

  async importSet(actorId: string | null, input: unknown, mapping: PropertyMapping, options: ImportOptions): Promise<QuadrantSetInfo> {
    const limit = { maxBytes: this.opts.maxImportBytes };
    const drafts = parseQuadrantCollection(input, mapping, limit);
    const sectorDrafts = options.sectors ? parseQuadrantCollection(options.sectors.input, options.sectors.mapping, limit) : null;
    const quadrants = buildRecords(drafts);
    const now = this.clock.now().getTime();
    const name = options.name ?? `Importación ${new Date(now).toISOString().slice(0, 10)}`;
    const version = await this.store.createSet({
      name, source: options.source, mapping, createdAt: now, createdBy: actorId,
      quadrants, sectors: buildSectors(quadrants, sectorDrafts),
    }, options.activate, now);
    await this.audit.record(actorId, 'quadrant_set.import', String(version), { name, features: quadrants.length, activated: options.activate });
    if (options.activate) await this.recomputeThreat(quadrants.map((q) => q.id));
    await this.changed();
    return this.setInfo(version);
  }

  async activate(actorId: string | null, version: number): Promise<QuadrantSetInfo> {
    if (!(await this.store.activate(version, this.clock.now().getTime()))) {
      throw new DomainError('QUADRANT_SET_NOT_FOUND', { id: version });
    }
    await this.audit.record(actorId, 'quadrant_set.activate', String(version));
    const ids = (await this.store.loadQuadrants(version)).map((q) => q.id);
    await this.recomputeThreat(ids);
    await this.changed();
    return this.setInfo(version);
  }

  listSets(): Promise<QuadrantSetInfo[]> { return this.store.listSets(); }

  private async setInfo(version: number): Promise<QuadrantSetInfo> {
    const info = (await this.store.listSets()).find((s) => s.version === version);
    if (!info) throw new DomainError('QUADRANT_SET_NOT_FOUND', { id: version });
    return info;
  }

  async setContacts(actorId: string | null, quadrantId: string, contacts: readonly { phone: string; label?: string | null | undefined }[]): Promise<QuadrantSummary> {
    const set = this.requireActive();
    if (set.indexOf(quadrantId) === undefined) throw new DomainError('QUADRANT_NOT_FOUND', { id: quadrantId });
    const normalized = contacts.map((c) => ({ phone: normalizeContactPhone(c.phone), label: c.label?.trim() || null }));
    await this.store.replaceContacts(quadrantId, normalized, actorId, this.clock.now().getTime());
    await this.audit.record(actorId, 'quadrant.contacts.update', quadrantId, { contacts: normalized });
    await this.changed();
    const i = this.requireActive().indexOf(quadrantId);
    return this.requireActive().summaries[i!]!;
  }

  /** Replaces the crime statistics (and optionally population) and recomputes every threat level. */
  async importCrimes(actorId: string | null, records: readonly CrimeRecord[], population: ReadonlyMap<string, number> | null): Promise<{ records: number; quadrants: number }> {
    const ids = this.active?.quadrants.map((q) => q.id) ?? [];
    const pop = population ?? await this.store.loadPopulation();
    const threat = computeThreat(records, pop, ids);
    await this.store.replaceCrimeData(records, population, threat, this.clock.now().getTime());
    await this.audit.record(actorId, 'crimes.import', null, { records: records.length, population: population?.size ?? null });
    await this.changed();
    return { records: records.length, quadrants: threat.size };
  }

  private async recomputeThreat(ids: readonly string[]): Promise<void> {
    const [records, population] = await Promise.all([this.store.loadCrimeRecords(), this.store.loadPopulation()]);
    await this.store.replaceThreat(computeThreat(records, population, ids), this.clock.now().getTime());
  }

  quadrantsIn(bbox: BBox | null): number[] { return this.requireActive().indicesInBbox(bbox); }
}
