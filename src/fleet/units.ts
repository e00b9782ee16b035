// Patrol units: callsign, type, assigned quadrants, phone and shift state. The officer's account
// (role "unit") is linked to one unit and signs in to it. Dispatch and tracking both read them here.
import { DomainError, normalizeContactPhone, type Clock, type IdGenerator } from '../kernel/index.js';
import type { AuditLog } from '../audit/index.js';
import type { FleetBus } from './events.js';
import type { ShiftState, Unit, UnitType } from './model.js';
import type { Db } from '../storage/index.js';
import { FleetStore } from './storage.js';

export interface UnitInput { callsign: string; type: UnitType; quadrantIds: string[]; phone?: string | null | undefined }

export class UnitService {
  private cache: Unit[] | null = null;
  private byId: Map<string, Unit> | null = null;
  private byQuadrant: Map<string, Unit[]> | null = null;

  constructor(
    private store: FleetStore,
    private bus: FleetBus,
    private audit: AuditLog,
    private clock: Clock,
    private ids: IdGenerator,
    private quadrantExists: (id: string) => boolean,
  ) {}

  /** Units change rarely and are read on every alert: keep them in memory, write through. */
  async list(): Promise<Unit[]> {
    this.cache ??= await this.store.listUnits();
    return this.cache;
  }

  /** The units by id, kept with the cache (read-only for callers: kept current by saved()). */
  async map(): Promise<ReadonlyMap<string, Unit>> {
    if (!this.byId) { const list = await this.list(); this.byId ??= new Map(list.map((u) => [u.id, u])); }
    return this.byId;
  }

  /** The units assigned to a quadrant (any shift state), kept with the cache. */
  async inQuadrant(quadrantId: string): Promise<readonly Unit[]> {
    if (!this.byQuadrant) {
      const index = new Map<string, Unit[]>();
      for (const u of await this.list()) for (const q of u.quadrantIds) index.set(q, [...(index.get(q) ?? []), u]);
      this.byQuadrant ??= index;
    }
    return this.byQuadrant.get(quadrantId) ?? [];
  }

  invalidate(): void { this.cache = null; this.byId = null; this.byQuadrant = null; }

  async get(id: string): Promise<Unit> {
    const u = (await this.map()).get(id);
    if (!u) throw new DomainError('UNIT_NOT_FOUND', { id });
    return u;
  }

  async create(actorId: string | null, input: UnitInput): Promise<Unit> {
    const unit = await this.draft(input);
    await this.store.saveUnit(unit, 'insert');
    return this.recorded(actorId, unit);
  }

  /** A new unit, checked (callsign free, quadrants known) but not stored: see UnitEnrolment. */
  async draft(input: UnitInput): Promise<Unit> {
    const callsign = input.callsign.trim().toUpperCase();
    if (await this.store.findUnitByCallsign(callsign)) throw new DomainError('CALLSIGN_TAKEN', { callsign });
    this.checkQuadrants(input.quadrantIds);
    const now = this.clock.now().getTime();
    return {
      id: this.ids(), callsign, type: input.type, phone: input.phone ? normalizeContactPhone(input.phone) : null,
      shiftState: 'off_duty', quadrantIds: [...new Set(input.quadrantIds)], createdAt: now, updatedAt: now,
    };
  }

  /** Stores a drafted unit in the caller's transaction (nothing is announced until `recorded`). */
  async insertIn(trx: Db, unit: Unit): Promise<void> {
    await this.store.insertUnitIn(trx, unit);
  }

  /** After the unit's transaction committed: audited, cached, announced. */
  async recorded(actorId: string | null, unit: Unit): Promise<Unit> {
    this.store.committed();
    await this.audit.record(actorId, 'unit.create', unit.id, { callsign: unit.callsign, quadrantIds: unit.quadrantIds });
    return this.saved(unit);
  }

  async update(actorId: string | null, id: string, patch: Partial<UnitInput>): Promise<Unit> {
    const current = await this.get(id);
    if (patch.quadrantIds) this.checkQuadrants(patch.quadrantIds);
    const next: Unit = {
      ...current,
      type: patch.type ?? current.type,
      quadrantIds: patch.quadrantIds ? [...new Set(patch.quadrantIds)] : current.quadrantIds,
      phone: patch.phone === undefined ? current.phone : patch.phone ? normalizeContactPhone(patch.phone) : null,
      updatedAt: this.clock.now().getTime(),
    };
    await this.store.saveUnit(next, 'update');
    await this.audit.record(actorId, 'unit.update', id, patch);
    return this.saved(next);
  }

  async setShift(id: string, state: ShiftState): Promise<Unit> {
    const current = await this.get(id);
    if (current.shiftState === state) return current;
    const next = { ...current, shiftState: state, updatedAt: this.clock.now().getTime() };
    await this.store.saveUnit(next, 'update');
    return this.saved(next);
  }

  /**
   * Shift changes dispatch wrote together with an alert (busy while a unit works it, available
   * after: see AlertWrite.units), applied to the cache and announced only once they are committed.
   */
  async applied(changes: readonly { unitId: string; state: ShiftState }[], at: number): Promise<void> {
    for (const c of changes) {
      const current = (await this.map()).get(c.unitId);
      if (!current) { this.invalidate(); continue; }
      this.saved({ ...current, shiftState: c.state, updatedAt: at });
    }
  }

  /**
   * Another instance changed this unit (src/distribution.ts): into the cache and announced here, as
   * if made here. A change older than what this instance holds is ignored (events may come late).
   */
  remoteChanged(unit: Unit): void {
    const held = this.byId?.get(unit.id) ?? this.cache?.find((u) => u.id === unit.id);
    if (held && held.updatedAt > unit.updatedAt) return;
    this.saved(unit);
  }

  private checkQuadrants(ids: readonly string[]): void {
    const unknown = ids.filter((q) => !this.quadrantExists(q));
    if (unknown.length > 0) throw new DomainError('QUADRANT_NOT_FOUND', { id: unknown.join(', ') });
  }

  /**
   * Into the cache. A shift change (every alert a unit takes and closes: hundreds a second at peak)
   * keeps the unit's place and its quadrants, so it replaces the unit where it is — in the list
   * (ordered by callsign), the id map and its quadrants' lists — instead of sorting and rebuilding
   * them (which, with 1,000 units, was most of the fleet's cost per alert). Any other edit
   * re-sorts and lets the indexes rebuild on their next read.
   */
  private saved(unit: Unit): Unit {
    const list = this.cache;
    if (list) {
      const i = list.findIndex((u) => u.id === unit.id);
      const prev = i >= 0 ? list[i]! : undefined;
      if (prev && prev.callsign === unit.callsign && sameQuadrants(prev, unit)) {
        const next = list.slice();
        next[i] = unit;
        this.cache = next;
        this.byId?.set(unit.id, unit);
        if (this.byQuadrant) {
          for (const q of unit.quadrantIds) {
            const units = this.byQuadrant.get(q);
            if (units) this.byQuadrant.set(q, units.map((u) => (u.id === unit.id ? unit : u)));
          }
        }
      } else {
        this.cache = [...list.filter((u) => u.id !== unit.id), unit].sort((a, b) => (a.callsign < b.callsign ? -1 : 1));
        this.byId = null;
        this.byQuadrant = null;
      }
    } else {
      this.byId = null;
      this.byQuadrant = null;
    }
    this.bus.emit('unit.changed', unit);
    return unit;
  }
}

function sameQuadrants(a: Unit, b: Unit): boolean {
  return a.quadrantIds.length === b.quadrantIds.length && a.quadrantIds.every((q, k) => q === b.quadrantIds[k]);
}
