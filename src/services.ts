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
import { MetaStore, type Storage } from './storage/index.js';

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
  clock: Clock;
}

export function createServices(storage: Storage, config: Config, clock: Clock = systemClock, ids: IdGenerator = uuidIds): Services {
  const meta = new MetaStore(storage.db);
  const audit = new AuditLog(storage.db, clock);
  const quadrants = new QuadrantService(new QuadrantStore(storage.db), meta, audit, clock, {
    cityLine: config.cityLine, maxImportBytes: config.maxImportBytes,
  });
  const bus = new DispatchBus();
  const dispatchStore = new DispatchStore(storage.db);
  const units = new UnitService(dispatchStore, bus, audit, clock, ids, (id) => quadrants.current?.indexOf(id) !== undefined);
  const dispatch = new DispatchService(dispatchStore, units, quadrantLookup(quadrants), bus, clock, ids, {
    ackTimeoutMs: config.ackTimeoutMs, escalateAfterMs: config.escalateAfterMs, ring2Nearest: 3,
    targetOnSceneMs: config.targetOnSceneMs, webhookUrl: config.webhookUrl,
    rateLimit: { max: config.alertRateMax, windowMs: config.alertRateWindowMs },
  });
  return {
    storage, meta, audit, clock, quadrants, units, dispatch, bus, dispatchStore,
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
