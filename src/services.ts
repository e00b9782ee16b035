// Composition root: builds each context's use-cases with exactly the ports it needs.
// Used by the server, the CLI and the tests alike.
import { AccountService } from './accounts/service.js';
import { AccountStore } from './accounts/storage.js';
import { PinService } from './accounts/pins.js';
import { AuditLog } from './audit/index.js';
import type { Config } from './config/index.js';
import { DispatchBus, DispatchService, DispatchStore, UnitService, type QuadrantLookup } from './dispatch/index.js';
import { AlertPresenter } from './dispatch/presenter.js';
import { systemClock, uuidIds, type Clock, type IdGenerator } from './kernel/index.js';
import { QuadrantService } from './quadrants/index.js';
import { QuadrantStore } from './quadrants/storage.js';
import { DEFAULT_PIPELINE } from './tracking/domain/pipeline.js';
import { MetaStore, type Storage } from './storage/index.js';
import { BatchWriter, TrackingBus, TrackingService, TrackingStore, osrmRouter } from './tracking/index.js';
import { ApiKeyService, CheckinService, ExtortionService, ExtortionStore } from './extortion/index.js';
import { Notifier } from './notify/index.js';
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
  const dispatch = new DispatchService(dispatchStore, units, quadrantLookup(quadrants), bus, clock, ids, {
    ackTimeoutMs: config.ackTimeoutMs, escalateAfterMs: config.escalateAfterMs, ring2Nearest: 3, ring2MaxDistanceM: 5000,
    targetOnSceneMs: config.targetOnSceneMs, webhookUrl: config.webhookUrl,
    rateLimit: { max: config.alertRateMax, windowMs: config.alertRateWindowMs },
  });
  const trackingBus = new TrackingBus();
  const trackingStore = new TrackingStore(storage.db, storage.sqlite);
  const writer = new BatchWriter((fixes) => trackingStore.insertPositions(fixes), { intervalMs: 1000, maxBatch: 10_000, onError });
  const lookup = quadrantLookup(quadrants);
  const tracking = new TrackingService(trackingStore, writer, units, trackingBus, audit, clock,
    (lon, lat) => lookup.locate(lon, lat)?.id ?? null, {
      pipeline: DEFAULT_PIPELINE, noSignalMs: config.noSignalMs, geofenceAllowanceMs: config.geofenceAllowanceMs,
      retentionMs: config.positionRetentionDays * 24 * 3600_000,
    }, config.osrmUrl ? osrmRouter(config.osrmUrl) : null);
  tracking.officerAlarm = async (unit, lat, lon) => { await dispatch.raiseOfficerAlarm(unit.id, lat, lon); };
  dispatch.useLocator(tracking);
  bus.on('unit.changed', (u) => tracking.unitChanged(u));
  const extortionStore = new ExtortionStore(storage.db);
  const notifier = new Notifier(storage.db, clock, config.sms, onError);
  // "I need help" from a contact's check-in link raises an alert at the contact's position.
  const checkins = new CheckinService(storage.db, notifier, clock, ids, config.publicUrl, async (checkinId, lat, lon) =>
    (await dispatch.raise({ userId: `checkin:${checkinId}`, role: 'citizen', unitId: null }, { lat, lon, kind: 'extortion', note: 'Contacto de confianza: «Necesito ayuda»' }, `checkin-${checkinId}`)).alert.id);
  return {
    storage, meta, audit, clock, limits, secrets, quadrants, units, dispatch, bus, dispatchStore, tracking, trackingBus, notifier, checkins,
    extortion: new ExtortionService(extortionStore, meta, audit, clock, ids, { reportsPerDevicePerHour: config.reportsPerDevicePerHour, reportsPerNetworkPerHour: config.reportsPerNetworkPerHour }),
    apiKeys: new ApiKeyService(extortionStore, audit, clock, ids),
    presenter: new AlertPresenter(dispatchStore, units, config.emergencyNumber),
    accounts: new AccountService(new AccountStore(storage.db), audit, clock, ids, config.tokenTtlHours * 3600_000),
    pins: new PinService(storage.db, clock),
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
