// The last known position of every unit, in memory beside a grid index for k-nearest queries:
// tracking writes it (the pipeline's "update last known" step), dispatch's ring 2 and the console
// read it. Generic over the fix tracking stores, so this context never depends on tracking.
import type { Clock } from '../kernel/index.js';
import { UnitPositionIndex } from './domain/nearest-units.js';
import { etaSeconds, type RoadRouter } from './domain/eta.js';
import type { FleetBus } from './events.js';
import type { Unit } from './model.js';
import type { UnitService } from './units.js';

/** What a stored fix must carry for the fleet's reads. */
export interface KnownFix {
  unitId: string; at: number; lat: number; lon: number;
  speedMps: number | null; course: number | null; accuracyM: number | null; quadrantId: string | null;
}

export interface UnitPositionView {
  unitId: string;
  callsign: string;
  type: string;
  shiftState: string;
  lat: number;
  lon: number;
  at: string;
  speedMps: number | null;
  course: number | null;
  accuracyM: number | null;
  quadrantId: string | null;
  noSignal: boolean;
}

export interface NearestUnit { unitId: string; callsign: string; type: string; distanceM: number; etaS: number; etaSource: 'road' | 'estimate' }

export class LastKnownPositions<F extends KnownFix = KnownFix> {
  private last = new Map<string, F>();
  private index = new UnitPositionIndex();
  private unitsById = new Map<string, Unit>();
  private offUnits: () => void;

  constructor(
    private units: UnitService,
    bus: FleetBus,
    private clock: Clock,
    private opts: { noSignalMs: number },
    private router: RoadRouter | null = null,
  ) {
    this.offUnits = bus.onUnitChanged((u) => this.unitChanged(u));
  }

  /** Loads the unit table; later changes arrive on the fleet bus. */
  async load(): Promise<void> {
    for (const u of await this.units.list()) this.unitChanged(u);
  }

  /** Stops following unit changes (the composition root's stop). */
  close(): void { this.offUnits(); }

  /** A unit by id, synchronously (the ingest path reads it per fix). */
  unit(unitId: string): Unit | undefined { return this.unitsById.get(unitId); }

  /** The last fix kept for a unit, whatever its age. */
  lastFix(unitId: string): F | undefined { return this.last.get(unitId); }

  record(fix: F): void {
    this.last.set(fix.unitId, fix);
    this.index.upsert(fix.unitId, fix.lat, fix.lon, this.unitsById.get(fix.unitId)?.shiftState === 'available');
  }

  /** A fresh position, or null when the unit never reported or has no signal. */
  position(unitId: string): { lat: number; lon: number; at: number } | null {
    const f = this.last.get(unitId);
    if (!f || this.clock.now().getTime() - f.at > this.opts.noSignalMs) return null;
    return { lat: f.lat, lon: f.lon, at: f.at };
  }

  positions(): UnitPositionView[] {
    const now = this.clock.now().getTime();
    const out: UnitPositionView[] = [];
    for (const [unitId, f] of this.last) {
      const u = this.unitsById.get(unitId);
      if (!u) continue;
      out.push(this.view(u, f, now));
    }
    return out;
  }

  /** The unit's last known position as shown on the console, or null. */
  viewOf(unitId: string): UnitPositionView | null {
    const u = this.unitsById.get(unitId);
    const f = this.last.get(unitId);
    return u && f ? this.view(u, f) : null;
  }

  /** k nearest available units with signal, with an ETA (road time when a router is configured). */
  async nearest(lat: number, lon: number, k: number): Promise<NearestUnit[]> {
    const now = this.clock.now().getTime();
    const fresh = (id: string) => { const f = this.last.get(id); return !!f && now - f.at <= this.opts.noSignalMs; };
    const found = this.index.nearest(lat, lon, k, { filter: fresh });
    return Promise.all(found.map(async ({ id, distanceM }) => {
      const u = this.unitsById.get(id)!;
      const f = this.last.get(id)!;
      const road = this.router ? await this.router.seconds({ lat: f.lat, lon: f.lon }, { lat, lon }, u.type) : null;
      return {
        unitId: id, callsign: u.callsign, type: u.type, distanceM: Math.round(distanceM),
        etaS: road ?? etaSeconds(distanceM, u.type), etaSource: road === null ? 'estimate' as const : 'road' as const,
      };
    }));
  }

  private unitChanged(u: Unit): void {
    this.unitsById.set(u.id, u);
    const last = this.last.get(u.id);
    if (last) this.index.upsert(u.id, last.lat, last.lon, u.shiftState === 'available');
  }

  private view(u: Unit, f: F, now: number = this.clock.now().getTime()): UnitPositionView {
    return {
      unitId: u.id, callsign: u.callsign, type: u.type, shiftState: u.shiftState, lat: f.lat, lon: f.lon,
      at: new Date(f.at).toISOString(), speedMps: f.speedMps, course: f.course, accuracyM: f.accuracyM,
      quadrantId: f.quadrantId, noSignal: now - f.at > this.opts.noSignalMs,
    };
  }
}
