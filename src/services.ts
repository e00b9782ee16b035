// Composition root, part 1: builds each context's use-cases with exactly the ports it needs, and
// the background parts (deadline scheduler, 911 sender, retention job, realtime hub) without
// starting any of them. Used by the server, the CLI and the tests alike; src/composition.ts starts
// and stops the background parts in order (the server does; the CLI and most tests never do).
import { AccountService, AccountStore, DeviceRegistration, PinService, SignInThrottle } from './accounts/index.js';
import { AuditLog } from './audit/index.js';
import type { Config } from './config/index.js';
import {
  AlertPresenter, AlertReadModel, DeadlineScheduler, DispatchBus, DispatchService, DispatchStore, OutboxStore, WebhookSender,
  type DispatchReadModel, type QuadrantLookup,
} from './dispatch/index.js';
import { FleetBus, FleetStore, LastKnownPositions, UnitEnrolment, UnitService, osrmRouter } from './fleet/index.js';
import { systemClock, uuidIds, type Clock, type IdGenerator } from './kernel/index.js';
import { QuadrantService, QuadrantStore } from './quadrants/index.js';
import { MetaStore, type Storage } from './storage/index.js';
import { DEFAULT_PIPELINE, TrackingBus, TrackingService, TrackingStore, TrackerSweepGuard, historyWriter, sweepRecorder, type Fix } from './tracking/index.js';
import { ApiKeyService, ExtortionService, ExtortionStore } from './extortion/index.js';
import { CheckinService, FamilyStore } from './family/index.js';
import { Notifier, smsDestinations } from './notify/index.js';
import { RateLimiter } from './limits/index.js';
import { ephemeralSecrets, type ServerSecrets } from './config/index.js';
import { createRetentionJob, type RetentionJob } from './retention/index.js';
import { RealtimeHub } from './realtime/index.js';
import { Readiness, databaseCheck } from './health/index.js';
import { LocalBus, type ChangeLog, type EventBus } from './bus/index.js';
import { changeLog } from './distribution.js';

/** How the deadline scheduler runs; tests driving a manual clock pass autoRun false and call runDue(). */
export interface ServiceOptions {
  deadlines?: { autoRun?: boolean; sweepMs?: number; onError?: (err: unknown) => void };
  /**
   * The bus between instances (the server passes the NATS one when CUADRANTE_NATS_URL is set).
   * Without it: a LocalBus, and no context records its changes for anyone (one instance).
   */
  bus?: EventBus;
  /** This instance's name on the bus (its own events are not applied twice). */
  instanceId?: string;
}

export interface Services {
  storage: Storage;
  meta: MetaStore;
  audit: AuditLog;
  accounts: AccountService;
  pins: PinService;
  /** Citizen device credentials, counted per network. */
  devices: DeviceRegistration;
  quadrants: QuadrantService;
  units: UnitService;
  fleetBus: FleetBus;
  /** Every unit's last known position (written by tracking, read by dispatch and the console). */
  positions: LastKnownPositions<Fix>;
  dispatch: DispatchService;
  dispatchStore: DispatchStore;
  presenter: AlertPresenter;
  /** Dispatch's read side for fan-out adapters (the WebSocket hub). */
  readModel: DispatchReadModel;
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
  /** Durable deadlines' in-process alarm clock (armed by dispatch; fires only once started). */
  scheduler: DeadlineScheduler;
  /** The signed 911/C5 hand-off, when CUADRANTE_WEBHOOK_URL and its secret are set. */
  webhook: WebhookSender | null;
  /** Every retention period, enforced at start-up and then hourly (src/retention). */
  retention: RetentionJob;
  /** WebSocket fan-out; its subscriptions and timers run between start() and close(). */
  hub: RealtimeHub;
  /** A unit with its officer account, in one transaction. */
  enrolment: UnitEnrolment;
  /** What /health/ready checks (the database here; other parts register theirs, e.g. the bus). */
  readiness: Readiness;
  /** The event bus (local, or NATS between instances) and this instance's name on it. */
  eventBus: EventBus;
  instanceId: string;
  /** Null on one instance; otherwise what every context records its changes through (src/distribution.ts). */
  changes: ChangeLog | null;
}

export function createServices(storage: Storage, config: Config, clock: Clock = systemClock, ids: IdGenerator = uuidIds,
  onError: (err: unknown) => void = (err) => console.error(err), secrets: ServerSecrets = ephemeralSecrets(), options: ServiceOptions = {}): Services {
  const meta = new MetaStore(storage.db);
  const eventBus = options.bus ?? new LocalBus();
  const instanceId = options.instanceId ?? ids();
  // In-process events are all a single instance needs; between instances each change is also recorded.
  const changes = eventBus.mode === 'nats' ? changeLog(eventBus, storage.db, instanceId, clock, ids) : null;
  const limits = new RateLimiter(storage.db, clock);
  const audit = new AuditLog(storage.db, clock);
  const quadrants = new QuadrantService(new QuadrantStore(storage.db), meta, audit, clock, {
    cityLine: config.cityLine, maxImportBytes: config.maxImportBytes,
  }, changes);
  const bus = new DispatchBus();
  const dispatchStore = new DispatchStore(storage.db, changes);
  const fleetBus = new FleetBus();
  const units = new UnitService(new FleetStore(storage.db, changes), fleetBus, audit, clock, ids, (id) => quadrants.current?.indexOf(id) !== undefined);
  const positions = new LastKnownPositions<Fix>(units, fleetBus, clock, { noSignalMs: config.noSignalMs }, config.osrmUrl ? osrmRouter(config.osrmUrl) : null);
  const presenter = new AlertPresenter(dispatchStore, units, config.emergencyNumber);
  // Deadlines are re-read from the database at start: an alert accepted before a crash escalates then.
  const scheduler = new DeadlineScheduler({
    clock, fire: (id) => dispatch.processDeadline(id), load: (until) => dispatchStore.alertsWithDeadline(until),
    onError: options.deadlines?.onError ?? onError, sweepMs: options.deadlines?.sweepMs ?? Math.min(5000, config.ackTimeoutMs),
    ...(options.deadlines?.autoRun === false ? { autoRun: false } : {}),
  });
  const dispatch = new DispatchService(dispatchStore, units, quadrantLookup(quadrants), bus, clock, ids, {
    ackTimeoutMs: config.ackTimeoutMs, escalateAfterMs: config.escalateAfterMs, ring2Nearest: 3, ring2MaxDistanceM: 5000,
    targetOnSceneMs: config.targetOnSceneMs, webhookUrl: config.webhookUrl,
    alertLimits: {
      device: { max: config.alertRateMax, windowMs: config.alertRateWindowMs },
      network: { max: config.alertNetworkRateMax, windowMs: config.alertNetworkRateWindowMs },
    },
  }, audit, presenter, positions, scheduler);
  const trackingBus = new TrackingBus();
  const trackingStore = new TrackingStore(storage.db, storage.sqlite);
  // On the server's SQLite file the inserts run in a worker thread, off the event loop (tracking/history.ts).
  const writer = historyWriter(storage, trackingStore, onError);
  const lookup = quadrantLookup(quadrants);
  // Unknown tracker ids, counted per source network; a sweep is throttled and reported (tracking/sweeps.ts).
  const sweeps = new TrackerSweepGuard(limits, clock, { maxUnknownIds: config.trackerUnknownIdsPerNetworkHour, windowMs: 3600_000 },
    sweepRecorder(trackingBus, audit), onError);
  const tracking = new TrackingService(trackingStore, writer, units, positions, trackingBus, audit, clock,
    (lon, lat) => lookup.locate(lon, lat)?.id ?? null, {
      pipeline: DEFAULT_PIPELINE, noSignalMs: config.noSignalMs, geofenceAllowanceMs: config.geofenceAllowanceMs,
      retentionMs: config.positionRetentionDays * 24 * 3600_000, sosTrackWindowMs: config.sosTrackWindowMs,
    },
    // A tracker's SOS that does not fit the unit's recent track waits for a dispatcher (tracking/domain/sos.ts).
    async (unit, lat, lon, check) => { await dispatch.raiseOfficerAlarm(unit.id, lat, lon, { hold: check.verified ? null : 'unverified_sos' }); },
    sweeps);
  const extortionStore = new ExtortionStore(storage.db, changes);
  // Every outgoing SMS: allowed destinations only, a per-destination daily limit, a fair queue.
  const notifier = new Notifier(storage.db, clock, {
    provider: config.sms, limits, secrets, perDestinationDay: config.smsPerDestinationDay, destinations: smsDestinations(config.smsCountries), onError,
  });
  // "I need help" from a contact's check-in link raises an alert at the contact's position.
  const checkins = new CheckinService(new FamilyStore(storage.db), notifier, clock, ids, config.publicUrl, async (checkinId, lat, lon) =>
    (await dispatch.raise({ userId: `checkin:${checkinId}`, role: 'citizen', unitId: null }, { lat, lon, kind: 'extortion', note: 'Contacto de confianza: «Necesito ayuda»' }, `checkin-${checkinId}`)).alert.id,
    { limits, checkinsPerDeviceDay: config.checkinsPerDeviceDay });
  const accounts = new AccountService(new AccountStore(storage.db), audit, clock, ids, config.tokenTtlHours * 3600_000, new SignInThrottle(limits, secrets, clock), changes);
  accounts.onPublishError = onError;
  const extortion = new ExtortionService(extortionStore, audit, clock, ids, {
    reportsPerDevicePerHour: config.reportsPerDevicePerHour, reportsPerNetworkPerHour: config.reportsPerNetworkPerHour, disputesPerNetworkHour: config.disputesPerNetworkHour,
  }, secrets, limits);
  extortion.onPublishError = onError;
  const readModel = new AlertReadModel(bus, dispatch, presenter, dispatchStore);
  const webhook = config.webhookUrl && config.webhookSecret
    ? new WebhookSender(new OutboxStore(storage.db), { url: config.webhookUrl, secret: config.webhookSecret, clock, onError })
    : null;
  const hub = new RealtimeHub({ dispatch: readModel, accounts, fleetBus, positions, trackingBus, checkins }, onError);
  const readiness = new Readiness();
  readiness.register(databaseCheck(storage));
  const parts = {
    readiness, eventBus, instanceId, changes, storage, meta, audit, clock, limits, secrets, quadrants, units, fleetBus, positions, dispatch, bus, dispatchStore, tracking, trackingBus, notifier, checkins,
    extortion, apiKeys: new ApiKeyService(extortionStore, audit, clock, ids, limits, changes), presenter, readModel, accounts,
    pins: new PinService(storage.db, clock, limits),
    devices: new DeviceRegistration(accounts, limits, clock, { perNetworkHour: config.devicesPerNetworkHour, perNetworkHourMax: config.devicesPerNetworkHourMax, probationMs: config.deviceProbationMs }),
    scheduler, webhook, hub,
    enrolment: new UnitEnrolment(storage.db, units, accounts),
  };
  return { ...parts, retention: createRetentionJob(parts, config) };
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
