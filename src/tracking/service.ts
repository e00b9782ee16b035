// Patrol tracking use-cases: ingest positions from the unit page, OsmAnd trackers and fleet
// gateways through the pipeline into the fleet's last known positions; tracks, geofences,
// trackers, retention. Units and their positions are the fleet's (src/fleet).
import { DomainError, type Clock } from '../kernel/index.js';
import type { AuditLog } from '../audit/index.js';
import type { LastKnownPositions, NearestUnit, Unit, UnitPositionView, UnitService } from '../fleet/index.js';
import type { DeviceReport } from './domain/report.js';
import type { Fix, FixSource } from './domain/fix.js';
import { runPipeline, type DropReason, type PipelineContext, type PipelineSettings } from './domain/pipeline.js';
import { geofenceStep, INSIDE, type GeofenceEvent, type GeofenceState } from './domain/geofence.js';
import type { TrackingBus } from './events.js';
import type { TrackingStore, Tracker } from './storage.js';
import type { BatchWriter } from './writer.js';
import { checkSos, type SosCheck } from './domain/sos.js';
import { trackerIdWarnings, type TrackerIdWarning } from './domain/tracker-id.js';
import type { TrackerSweepGuard } from './sweeps.js';

export interface TrackingOptions {
  pipeline: PipelineSettings;
  noSignalMs: number;
  geofenceAllowanceMs: number;
  retentionMs: number;
  /** A tracker's SOS pages by itself only if the unit had a fix this recent (ms) it could have come from. */
  sosTrackWindowMs?: number;
}

export interface IngestResult { accepted: number; dropped: Partial<Record<DropReason | 'unknown_unit', number>> }


/**
 * What an officer's alarm needs from dispatch. `check.verified` false: the SOS does not fit the
 * unit's recent track (or came from a throttled source) — raise it, but hold it for a
 * dispatcher to confirm (alerts.hold = 'unverified_sos') instead of paging units by itself.
 */
export type RaiseOfficerAlarm = (unit: Unit, lat: number, lon: number, check: SosCheck) => Promise<void>;

/** The OsmAnd answer, the same whether the id is registered or not: accepted, or throttled for a while. */
export interface TrackerAnswer { throttledS: number }

const isSos = (r: DeviceReport) => r.alarm?.toLowerCase() === 'sos';

export class TrackingService {
  private geofences = new Map<string, GeofenceState>();
  private trackersById = new Map<string, Tracker>();
  private pendingGeofence: GeofenceEvent[] = [];
  /** How long raising an officer's alarm takes (moving average, ms): an unknown id's SOS waits as long. */
  private alarmMs = 5;

  constructor(
    private store: TrackingStore,
    private writer: BatchWriter,
    private units: UnitService,
    private known: LastKnownPositions<Fix>,
    private bus: TrackingBus,
    private audit: AuditLog,
    private clock: Clock,
    private locate: (lon: number, lat: number) => string | null,
    private opts: TrackingOptions,
    /** Dispatch's door for an officer's SOS (a port: tracking never imports dispatch). */
    private officerAlarm: RaiseOfficerAlarm | null,
    /** Counts unknown tracker ids per source network and throttles sweeps (see sweeps.ts). */
    private sweeps: TrackerSweepGuard | null = null,
  ) {}

  /** Loads trackers and the fleet's units (which then follow the fleet's own changes). */
  async load(): Promise<void> {
    this.trackersById = new Map((await this.store.trackers()).map((t) => [t.uniqueId, t]));
    await this.known.load();
  }

  // ——— ingest ———

  /**
   * A request on the OsmAnd protocol from a source network (keyed hash). Known and unknown ids
   * get the same answer in about the same time — only the guard learns of an unknown one — and
   * a throttled network gets the same refusal for both; an SOS from a registered tracker behind
   * it is still raised, held for a dispatcher (an officer may share a carrier's NAT with a sweeper).
   */
  async receiveTracker(deviceId: string, reports: readonly DeviceReport[], network: string): Promise<TrackerAnswer> {
    const throttledS = this.sweeps?.throttledFor(network) ?? 0;
    const tracker = this.trackersById.get(deviceId);
    if (tracker && throttledS === 0) {
      await this.ingest(tracker.unitId, reports, 'osmand', deviceId);
      return { throttledS };
    }
    if (tracker) {
      const unit = this.known.unit(tracker.unitId);
      const before = unit && this.known.lastFix(unit.id);
      if (unit) for (const r of reports) if (isSos(r)) await this.alarm(unit, r, before, this.clock.now().getTime(), { verified: false, reason: 'source_throttled' });
      return { throttledS };
    }
    this.sweeps?.unknown(network, deviceId);
    // Raising an alarm writes to the database: an unknown id's SOS must not answer measurably
    // sooner (throttled or not), or its timing would tell what its status does not.
    if (reports.some(isSos)) await new Promise((r) => setTimeout(r, this.alarmMs * (0.8 + Math.random() * 0.4)));
    return { throttledS };
  }

  /** The unit a registered tracker reports for (a map look-up: batches name thousands). */
  unitOfTracker(deviceId: string): string | undefined {
    return this.trackersById.get(deviceId)?.unitId;
  }

  async ingest(unitId: string, reports: readonly DeviceReport[], source: FixSource, trackerId: string | null = null): Promise<IngestResult> {
    const unit = this.known.unit(unitId);
    const result: IngestResult = { accepted: 0, dropped: {} };
    if (!unit) { result.dropped.unknown_unit = reports.length; return result; }
    const now = this.clock.now().getTime();
    const ctx = this.context(now);
    // An SOS is judged against the track as it was before this request, never against positions
    // sent along with it.
    const before = this.known.lastFix(unit.id);
    for (const r of reports) {
      if (isSos(r)) await this.alarm(unit, r, before, now);
      if (r.lat === null || r.lon === null) continue; // an alarm or a heartbeat without a fix
      // The device itself says the fix is not valid: never let it move the unit.
      if (!r.valid) { result.dropped.invalid = (result.dropped.invalid ?? 0) + 1; continue; }
      const out = runPipeline(this.toFix(unit, r, source, trackerId, now), ctx, this.effects);
      if ('drop' in out) result.dropped[out.drop] = (result.dropped[out.drop] ?? 0) + 1;
      else result.accepted++;
    }
    await this.flushGeofence();
    // History that cannot be written as fast as it comes slows its senders down instead of filling memory.
    const room = this.writer.room();
    if (room) await room;
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
    return { now, settings: this.opts.pipeline, last: (id) => this.known.lastFix(id), locate: this.locate };
  }

  private readonly effects = {
    geofence: (fix: Fix) => {
      const unit = this.known.unit(fix.unitId);
      if (!unit) return;
      const r = geofenceStep(this.geofences.get(fix.unitId) ?? INSIDE, fix.unitId, unit.quadrantIds, fix.quadrantId, fix.at, this.opts.geofenceAllowanceMs);
      this.geofences.set(fix.unitId, r.state);
      for (const e of r.events) { this.pendingGeofence.push(e); this.bus.emit('geofence', e); }
    },
    updateLast: (fix: Fix) => this.known.record(fix),
    persist: (fix: Fix) => this.writer.push(fix),
    publish: (fix: Fix) => { this.bus.emit('position', fix); },
  };

  private async flushGeofence(): Promise<void> {
    if (this.pendingGeofence.length === 0) return;
    const events = this.pendingGeofence;
    this.pendingGeofence = [];
    await this.store.insertGeofenceEvents(events);
  }

  private async alarm(unit: Unit, r: DeviceReport, before: Fix | undefined, now: number, forced?: SosCheck): Promise<void> {
    const fix = r.lat !== null && r.lon !== null ? { lat: r.lat, lon: r.lon, at: r.at ?? now, accuracyM: r.accuracyM } : null;
    const at = fix ?? before;
    if (!at || !this.officerAlarm) return;
    const check = forced ?? checkSos(fix, before, unit.type, now, {
      trackWindowMs: this.opts.sosTrackWindowMs ?? 10 * 60_000, maxSpeedMps: this.opts.pipeline.maxSpeedMps,
    });
    const started = performance.now();
    await this.officerAlarm(unit, at.lat, at.lon, check);
    this.alarmMs = Math.min(1000, this.alarmMs * 0.8 + (performance.now() - started) * 0.2);
  }

  // ——— reading ———

  /** The console's positions panel and nearest query (the state is the fleet's). */
  positions(): UnitPositionView[] { return this.known.positions(); }
  nearest(lat: number, lon: number, k: number): Promise<NearestUnit[]> { return this.known.nearest(lat, lon, k); }

  /** Where an officer was: staff reading it is audited (actorId: who asked). */
  /** Where an officer was over [from, to] (epoch ms; to defaults to now, from to an hour before it). */
  async track(unitId: string, fromMs: number | null, toMs: number | null, actorId: string | null = null) {
    const to = toMs ?? this.clock.now().getTime();
    const from = fromMs ?? to - 3600_000;
    if (!(from <= to)) throw new DomainError('VALIDATION_FAILED', { detail: { es: 'from debe ser anterior a to', en: 'from must be before to' } });
    if (!this.known.unit(unitId)) throw new DomainError('UNIT_NOT_FOUND', { id: unitId });
    if (actorId !== null) await this.audit.record(actorId, 'unit.track.read', unitId, { from: new Date(from).toISOString(), to: new Date(to).toISOString() });
    await this.writer.flush();
    const points = await this.store.track(unitId, from, to, 10_000);
    return {
      type: 'FeatureCollection' as const,
      features: [
        {
          type: 'Feature' as const,
          geometry: { type: 'LineString' as const, coordinates: points.map((p): [number, number] => [p.lon, p.lat]) },
          properties: { unitId, from: new Date(from).toISOString(), to: new Date(to).toISOString(), points: points.length, times: points.map((p) => new Date(p.at).toISOString()) },
        },
        ...points.map((p) => ({
          type: 'Feature' as const,
          geometry: { type: 'Point' as const, coordinates: [p.lon, p.lat] as [number, number] },
          properties: { at: new Date(p.at).toISOString(), speedMps: p.speedMps, course: p.course, accuracyM: p.accuracyM, quadrantId: p.quadrantId, source: p.source },
        })),
      ],
    };
  }

  // ——— trackers and retention ———

  trackers(): Tracker[] { return [...this.trackersById.values()]; }

  /** Registers a tracker; the warnings say when its id could be found by sweeping (short, digits only). */
  async registerTracker(actorId: string | null, uniqueId: string, unitId: string, label: string | null): Promise<Tracker & { warnings: TrackerIdWarning[] }> {
    await this.units.get(unitId);
    const id = uniqueId.trim();
    if (this.trackersById.has(id)) {
      throw new DomainError('VALIDATION_FAILED', { detail: { es: `el rastreador ${id} ya está registrado`, en: `tracker ${id} is already registered` } });
    }
    const t: Tracker = { uniqueId: id, unitId, label, createdAt: this.clock.now().getTime() };
    await this.store.insertTracker(t, actorId);
    const warnings = trackerIdWarnings(id);
    await this.audit.record(actorId, 'tracker.register', id, { unitId, ...(warnings.length ? { warnings: warnings.map((w) => w.code) } : {}) });
    this.trackersById.set(id, t);
    return { ...t, warnings };
  }

  async removeTracker(actorId: string | null, uniqueId: string): Promise<void> {
    if (!(await this.store.deleteTracker(uniqueId))) throw new DomainError('NOT_FOUND');
    this.trackersById.delete(uniqueId);
    await this.audit.record(actorId, 'tracker.remove', uniqueId);
  }

  async purge(): Promise<number> {
    return this.store.purgeBefore(this.clock.now().getTime() - this.opts.retentionMs);
  }

  /** Since then (default: the last day). */
  geofenceEvents(since: number | null = null) { return this.store.geofenceEvents(since ?? this.clock.now().getTime() - 24 * 3600_000, 500); }


  /** Recent sweeps, newest first, for the trackers panel. */
  async sweepNotices(since: number | null = null): Promise<{ at: number; network: string; unknownIds: number; windowS: number; blockedUntil: string }[]> {
    // Recorded in the audit log by sweepRecorder; read back through the audit context, not its table.
    const rows = await this.audit.ofAction('tracker.sweep', since ?? this.clock.now().getTime() - 7 * 24 * 3600_000, 100);
    return rows.map((r) => {
      const d = r.details as { unknownIds?: number; windowS?: number; blockedUntil?: string };
      return { at: r.at, network: r.target ?? '', unknownIds: d.unknownIds ?? 0, windowS: d.windowS ?? 0, blockedUntil: d.blockedUntil ?? '' };
    });
  }

  async flush(): Promise<void> {
    await this.writer.flush();
    await this.sweeps?.flush();
  }
}
