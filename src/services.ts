// Composition root: builds each context's use-cases with exactly the ports it needs.
// Used by the server, the CLI and the tests alike.
import { AccountService } from './accounts/service.js';
import { AccountStore } from './accounts/storage.js';
import { AuditLog } from './audit/index.js';
import type { Config } from './config/index.js';
import { systemClock, uuidIds, type Clock, type IdGenerator } from './kernel/index.js';
import { QuadrantService } from './quadrants/service.js';
import { QuadrantStore } from './quadrants/storage.js';
import { MetaStore, type Storage } from './storage/index.js';

export interface Services {
  storage: Storage;
  meta: MetaStore;
  audit: AuditLog;
  accounts: AccountService;
  quadrants: QuadrantService;
  clock: Clock;
}

export function createServices(storage: Storage, config: Config, clock: Clock = systemClock, ids: IdGenerator = uuidIds): Services {
  const meta = new MetaStore(storage.db);
  const audit = new AuditLog(storage.db, clock);
  return {
    storage, meta, audit, clock,
    accounts: new AccountService(new AccountStore(storage.db), audit, clock, ids, config.tokenTtlHours * 3600_000),
    quadrants: new QuadrantService(new QuadrantStore(storage.db), meta, audit, clock, {
      cityLine: config.cityLine, maxImportBytes: config.maxImportBytes,
    }),
  };
}
