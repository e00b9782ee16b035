// Composition root: builds each context's use-cases with exactly the ports it needs.
// Used by the server, the CLI and the tests alike.
import { AccountService } from './accounts/service.js';
import { AccountStore } from './accounts/storage.js';
import { PinService } from './accounts/pins.js';
import { SignInThrottle } from './accounts/throttle.js';
import { AuditLog } from './audit/index.js';
import type { Config } from './config/index.js';
import { DispatchBus, DispatchService, DispatchStore, UnitService, type QuadrantLookup } from './dispatch/index.js';
import { AlertPresenter } from './dispatch/presenter.js';
import { systemClock, uuidIds, type Clock, type IdGenerator } from './kernel/index.js';
import { QuadrantService } from './quadrants/index.js';
import { QuadrantStore } from './quadrants/storage.js';
import { DEFAULT_PIPELINE } from './tracking/domain/pipeline.js';
import { MetaStore, type Storage } from './storage/index.js';
import { BatchWriter, TrackingBus, TrackingService, TrackingStore, TrackerSweepGuard, osrmRouter } from './tracking/index.js';
import { ApiKeyService, CheckinService, ExtortionService, ExtortionStore } from './extortion/index.js';
import { Notifier, smsDestinations } from './notify/index.js';
import { RateLimiter } from './limits/index.js';
import { ephemeralSecrets, type ServerSecrets } from './config/secrets.js';

export interface Services {
  storage: Storage;
  meta: MetaStore;
  audit: AuditLog;
  accounts: AccountService;
  pins: PinService;
  quadrants: QuadrantService;
  units: UnitService;
  dispatch: DispatchService;
  dispatchStore: DispatchStore;
  presenter: AlertPresenter;
  bus: DispatchBus;
  tracking: TrackingService;
  trackingBus: TrackingBus;
  extortion: ExtortionService;
  apiKeys: ApiKeyService;
  checkins: CheckinService;
  notifier: Notifier;
  /** Every abuse limit, counted in the database (shared by instances, survives restarts). */
  limits: RateLimiter;
  /** Keys kept outside the database, for keyed hashes of networks and reporters. */
  secrets: ServerSecrets;
  clock: Clock;
}

export function createServices(storage: Storage, config: Config, clock: Clock = systemClock, ids: IdGenerator = uuidIds,
  onError: (err: unknown) => void = (err) => console.error(err), secrets: ServerSecrets = ephemeralSecrets()): Services {
  const meta = new MetaStore(storage.db);
  const limits = new RateLimiter(storage.db, clock);
  const audit = new AuditLog(storage.db, clock);
  const quadrants = new QuadrantService(new QuadrantStore(storage.db), meta, audit, clock, {
    cityLine: config.cityLine, maxImportBytes: config.maxImportBytes,
  });
  const bus = new DispatchBus();
  const dispatchStore = new DispatchStore(storage.db);
  const units = new UnitService(dispatchStore, bus, audit, clock, ids, (id) => quadrants.current?.indexOf(id) !== undefined);
  const presenter = new AlertPresenter(dispatchStore, units, config.emergencyNumber);
  const dispatch = new DispatchService(dispatchStore, units, quadrantLookup(quadrants), bus, clock, ids, {
    ackTimeoutMs: config.ackTimeoutMs, escalateAfterMs: config.escalateAfterMs, ring2Nearest: 3, ring2MaxDistanceM: 5000,
    targetOnSceneMs: config.targetOnSceneMs, webhookUrl: config.webhookUrl,
    alertLimits: {
      device: { max: config.alertRateMax, windowMs: config.alertRateWindowMs },
      network: { max: config.alertNetworkRateMax, windowMs: config.alertNetworkRateWindowMs },
    },
  }, audit, presenter);
  const trackingBus = new TrackingBus();
  const trackingStore = new TrackingStore(storage.db, storage.sqlite);
  const writer = new BatchWriter((fixes) => trackingStore.insertPositions(fixes), { intervalMs: 1000, maxBatch: 10_000, onError });
  const lookup = quadrantLookup(quadrants);
  const tracking = new TrackingService(trackingStore, writer, units, trackingBus, audit, clock,
    (lon, lat) => lookup.locate(lon, lat)?.id ?? null, {
      pipeline: DEFAULT_PIPELINE, noSignalMs: config.noSignalMs, geofenceAllowanceMs: config.geofenceAllowanceMs,
      retentionMs: config.positionRetentionDays * 24 * 3600_000, sosTrackWindowMs: config.sosTrackWindowMs,
    }, config.osrmUrl ? osrmRouter(config.osrmUrl) : null);
  // A tracker's SOS that does not fit the unit's recent track waits for a dispatcher (tracking/domain/sos.ts).
  tracking.officerAlarm = async (unit, lat, lon, check) => {
    await dispatch.raiseOfficerAlarm(unit.id, lat, lon, { hold: check.verified ? null : 'unverified_sos' });
  };
  // Unknown tracker ids, counted per source network; a sweep is throttled and reported (tracking/sweeps.ts).
  tracking.sweeps = new TrackerSweepGuard(limits, clock, { maxUnknownIds: config.trackerUnknownIdsPerNetworkHour, windowMs: 3600_000 },
    (notice) => tracking.recordSweep(notice), onError);
  dispatch.useLocator(tracking);
  bus.on('unit.changed', (u) => tracking.unitChanged(u));
  const extortionStore = new ExtortionStore(storage.db);
  // Every outgoing SMS: allowed destinations only, a per-destination daily limit, a fair queue.
  const notifier = new Notifier(storage.db, clock, {
    provider: config.sms, limits, secrets, perDestinationDay: config.smsPerDestinationDay, destinations: smsDestinations(config.smsCountries), onError,
  });
  // "I need help" from a contact's check-in link raises an alert at the contact's position.
  const checkins = new CheckinService(storage.db, notifier, clock, ids, config.publicUrl, async (checkinId, lat, lon) =>
    (await dispatch.raise({ userId: `checkin:${checkinId}`, role: 'citizen', unitId: null }, { lat, lon, kind: 'extortion', note: 'Contacto de confianza: «Necesito ayuda»' }, `checkin-${checkinId}`)).alert.id,
    { limits, checkinsPerDeviceDay: config.checkinsPerDeviceDay });
  return {
    storage, meta, audit, clock, limits, secrets, quadrants, units, dispatch, bus, dispatchStore, tracking, trackingBus, notifier, checkins,
    extortion: new ExtortionService(extortionStore, audit, clock, ids, {
      reportsPerDevicePerHour: config.reportsPerDevicePerHour, reportsPerNetworkPerHour: config.reportsPerNetworkPerHour, disputesPerNetworkHour: config.disputesPerNetworkHour,
    }, secrets, limits),
    apiKeys: new ApiKeyService(extortionStore, audit, clock, ids),
    presenter,
    accounts: new AccountService(new AccountStore(storage.db), audit, clock, ids, config.tokenTtlHours * 3600_000, new SignInThrottle(limits, secrets, clock)),
    pins: new PinService(storage.db, clock, limits),
  };
}

/** Dispatch sees quadrants only through this narrow port. */
function quadrantLookup(quadrants: QuadrantService): QuadrantLookup {
  return {
    locate(lon, lat) {
      const set = quadrants.current;
      if (!set) return null;
      const i = set.index.locate(lon, lat);
      if (i < 0) return null;
      const q = set.quadrants[i]!;
      return { id: q.id, sector: q.sector, alcaldia: q.alcaldia, version: set.version };
    },
    neighbours(id) {
      const set = quadrants.current;
      const i = set?.indexOf(id);
      return i === undefined || !set ? [] : set.quadrants[i]!.neighbours;
    },
    centroid(id) {
      const set = quadrants.current;
      const i = set?.indexOf(id);
      return i === undefined || !set ? null : set.quadrants[i]!.centroid;
    },
  };
}
