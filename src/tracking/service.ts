// Patrol tracking use-cases: ingest positions from the unit page, OsmAnd trackers and fleet
// gateways through the pipeline; last known positions, nearest available units with ETA,
// tracks, geofences, retention.
import { DomainError, type Clock } from '../kernel/index.js';
import type { AuditLog } from '../audit/index.js';
import type { Unit, UnitService } from '../dispatch/index.js';
import type { DeviceReport } from './domain/report.js';
import type { Fix, FixSource } from './domain/fix.js';
import { runPipeline, type DropReason, type PipelineContext, type PipelineSettings } from './domain/pipeline.js';
import { geofenceStep, INSIDE, type GeofenceEvent, type GeofenceState } from './domain/geofence.js';
import { UnitPositionIndex } from './domain/nearest-units.js';
import { etaSeconds, type RoadRouter } from './domain/eta.js';
import type { TrackingBus } from './events.js';
import type { TrackingStore, Tracker } from './storage.js';
import type { BatchWriter } from './writer.js';

export interface TrackingOptions {
  pipeline: PipelineSettings;
  noSignalMs: number;
  geofenceAllowanceMs: number;
  retentionMs: number;
}

export interface IngestResult { accepted: number; dropped: Partial<Record<DropReason | 'unknown_unit', number>> }

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

/** What an officer's alarm needs from dispatch. */
export type RaiseOfficerAlarm = (unit: Unit, lat: number, lon: number) => Promise<void>;

export class TrackingService {
  private last = new Map<string, Fix>();
  private index = new UnitPositionIndex();
  private geofences = new Map<string, GeofenceState>();
  private trackersById = new Map<string, Tracker>();
  private unitsById = new Map<string, Unit>();
  private pendingGeofence: GeofenceEvent[] = [];
  officerAlarm: RaiseOfficerAlarm | null = null;

  constructor(
    private store: TrackingStore,
    private writer: BatchWriter,
    private units: UnitService,
    private bus: TrackingBus,
    private audit: AuditLog,
    private clock: Clock,
    private locate: (lon: number, lat: number) => string | null,
    private opts: TrackingOptions,
    private router: RoadRouter | null = null,
  ) {}

  /** Loads trackers and units; keeps the unit table in step with dispatch's changes. */
  async load(): Promise<void> {
    this.trackersById = new Map((await this.store.trackers()).map((t) => [t.uniqueId, t]));
    for (const u of await this.units.list()) this.unitChanged(u);
  }

  unitChanged(u: Unit): void {
    this.unitsById.set(u.id, u);
    const last = this.last.get(u.id);
    if (last) this.index.upsert(u.id, last.lat, last.lon, u.shiftState === 'available');
  }

  // ——— ingest ———

  /** One report from an OsmAnd device; null when the device is not registered. */
  async ingestTracker(deviceId: string, reports: readonly DeviceReport[], source: FixSource = 'osmand'): Promise<IngestResult | null> {
    const tracker = this.trackersById.get(deviceId);
    if (!tracker) return null;
    return this.ingest(tracker.unitId, reports, source, deviceId);
  }

  /** The unit a registered tracker reports for (a map look-up: batches name thousands). */
  unitOfTracker(deviceId: string): string | undefined {
    return this.trackersById.get(deviceId)?.unitId;
  }

  async ingest(unitId: string, reports: readonly DeviceReport[], source: FixSource, trackerId: string | null = null): Promise<IngestResult> {
    const unit = this.unitsById.get(unitId);
    const result: IngestResult = { accepted: 0, dropped: {} };
    if (!unit) { result.dropped.unknown_unit = reports.length; return result; }
    const now = this.clock.now().getTime();
    const ctx = this.context(now);
    for (const r of reports) {
      if (r.alarm?.toLowerCase() === 'sos') await this.alarm(unit, r);
      if (r.lat === null || r.lon === null) continue; // an alarm or a heartbeat without a fix
      // The device itself says the fix is not valid: never let it move the unit.
      if (!r.valid) { result.dropped.invalid = (result.dropped.invalid ?? 0) + 1; continue; }
      const out = runPipeline(this.toFix(unit, r, source, trackerId, now), ctx, this.effects);
      if ('drop' in out) result.dropped[out.drop] = (result.dropped[out.drop] ?? 0) + 1;
      else result.accepted++;
    }
    await this.flushGeofence();
    return result;
  }

  private toFix(unit: Unit, r: DeviceReport, source: FixSource, trackerId: string | null, now: number): Fix {
    return {
      unitId: unit.id, unitType: unit.type, source, trackerId, at: r.at ?? now, receivedAt: now,
      lat: r.lat!, lon: r.lon!, speedMps: r.speedMps, course: r.course, altitudeM: r.altitudeM, accuracyM: r.accuracyM,
      batteryPct: r.batteryPct, alarm: r.alarm, attributes: r.attributes, quadrantId: null, late: false,
    };
  }

  private context(now: number): PipelineContext {
    return { now, settings: this.opts.pipeline, last: (id) => this.last.get(id), locate: this.locate };
  }

  private readonly effects = {
    geofence: (fix: Fix) => {
      const unit = this.unitsById.get(fix.unitId);
      if (!unit) return;
      const r = geofenceStep(this.geofences.get(fix.unitId) ?? INSIDE, fix.unitId, unit.quadrantIds, fix.quadrantId, fix.at, this.opts.geofenceAllowanceMs);
      this.geofences.set(fix.unitId, r.state);
      for (const e of r.events) { this.pendingGeofence.push(e); this.bus.emit('geofence', e); }
    },
    updateLast: (fix: Fix) => {
      this.last.set(fix.unitId, fix);
      this.index.upsert(fix.unitId, fix.lat, fix.lon, this.unitsById.get(fix.unitId)?.shiftState === 'available');
    },
    persist: (fix: Fix) => this.writer.push(fix),
    publish: (fix: Fix) => { this.bus.emit('position', fix); },
  };

  private async flushGeofence(): Promise<void> {
    if (this.pendingGeofence.length === 0) return;
    const events = this.pendingGeofence;
    this.pendingGeofence = [];
    await this.store.insertGeofenceEvents(events);
  }

  private async alarm(unit: Unit, r: DeviceReport): Promise<void> {
    const at = r.lat !== null && r.lon !== null ? { lat: r.lat, lon: r.lon } : this.last.get(unit.id);
    if (!at || !this.officerAlarm) return;
    await this.officerAlarm(unit, at.lat, at.lon);
  }

  // ——— reading ———

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

  private view(u: Unit, f: Fix, now: number = this.clock.now().getTime()): UnitPositionView {
    return {
      unitId: u.id, callsign: u.callsign, type: u.type, shiftState: u.shiftState, lat: f.lat, lon: f.lon,
      at: new Date(f.at).toISOString(), speedMps: f.speedMps, course: f.course, accuracyM: f.accuracyM,
      quadrantId: f.quadrantId, noSignal: now - f.at > this.opts.noSignalMs,
    };
  }

  /** k nearest available units with signal, with an ETA (road time when a router is configured). */
  async nearest(lat: number, lon: number, k: number): Promise<{ unitId: string; callsign: string; type: string; distanceM: number; etaS: number; etaSource: 'road' | 'estimate' }[]> {
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

  async track(unitId: string, from: number, to: number) {
    if (!this.unitsById.has(unitId)) throw new DomainError('UNIT_NOT_FOUND', { id: unitId });
    await this.writer.flush();
    const points = await this.store.track(unitId, from, to, 10_000);
    return {
      type: 'FeatureCollection' as const,
      features: [
        {
          type: 'Feature' as const,
          geometry: { type: 'LineString' as const, coordinates: points.map((p) => [p.lon, p.lat]) },
          properties: { unitId, from: new Date(from).toISOString(), to: new Date(to).toISOString(), points: points.length, times: points.map((p) => new Date(p.at).toISOString()) },
        },
        ...points.map((p) => ({
          type: 'Feature' as const,
          geometry: { type: 'Point' as const, coordinates: [p.lon, p.lat] },
          properties: { at: new Date(p.at).toISOString(), speedMps: p.speedMps, course: p.course, accuracyM: p.accuracyM, quadrantId: p.quadrantId, source: p.source },
        })),
      ],
    };
  }

  // ——— trackers and retention ———

  trackers(): Tracker[] { return [...this.trackersById.values()]; }

  async registerTracker(actorId: string | null, uniqueId: string, unitId: string, label: string | null): Promise<Tracker> {
    await this.units.get(unitId);
    const id = uniqueId.trim();
    if (this.trackersById.has(id)) {
      throw new DomainError('VALIDATION_FAILED', { detail: { es: `el rastreador ${id} ya está registrado`, en: `tracker ${id} is already registered` } });
    }
    const t: Tracker = { uniqueId: id, unitId, label, createdAt: this.clock.now().getTime() };
    await this.store.insertTracker(t, actorId);
    await this.audit.record(actorId, 'tracker.register', id, { unitId });
    this.trackersById.set(id, t);
    return t;
  }

  async removeTracker(actorId: string | null, uniqueId: string): Promise<void> {
    if (!(await this.store.deleteTracker(uniqueId))) throw new DomainError('NOT_FOUND');
    this.trackersById.delete(uniqueId);
    await this.audit.record(actorId, 'tracker.remove', uniqueId);
  }

  async purge(): Promise<number> {
    return this.store.purgeBefore(this.clock.now().getTime() - this.opts.retentionMs);
  }

  geofenceEvents(since: number) { return this.store.geofenceEvents(since, 500); }

  flush(): Promise<void> { return this.writer.flush(); }
}
