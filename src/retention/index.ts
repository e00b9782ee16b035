// Retention: how long each kind of record is kept, enforced by one job (job.ts). The SQL lives in
// each context's own retention.ts; this builds the job from them.
import type { Clock } from '../kernel/index.js';
import type { AuditLog } from '../audit/index.js';
import type { Db } from '../storage/index.js';
import type { RetentionDays } from '../config/index.js';
import { DispatchRetention } from '../dispatch/index.js';
import { QuadrantPoints } from '../quadrants/index.js';
import { ExtortionRetention } from '../extortion/index.js';
import { FamilyRetention } from '../family/index.js';
import { NotifyRetention } from '../notify/index.js';
import { AccountsRetention } from '../accounts/index.js';
import { AuditRetention } from '../audit/index.js';
import { TrackingRetention } from '../tracking/index.js';
import { RetentionJob } from './job.js';

export { RetentionJob, RETENTION_KINDS, type RetentionKind, type RetentionPeriods, type RetentionRun } from './job.js';

/** What the job needs from the services (Services has all of it). */
export interface RetentionParts {
  storage: { db: Db };
  clock: Clock;
  audit: AuditLog;
  limits: { prune(): Promise<number> };
  notifier: { readonly delivers: boolean };
  extortion: { load(): Promise<void> };
}

export function createRetentionJob(parts: RetentionParts, config: { retentionDays: RetentionDays; positionRetentionDays: number }, opts: { batchSize?: number } = {}): RetentionJob {
  const { db } = parts.storage;
  return new RetentionJob({
    clock: parts.clock, audit: parts.audit,
    periods: { ...config.retentionDays, positions: config.positionRetentionDays },
    dispatch: new DispatchRetention(db), quadrants: new QuadrantPoints(db), extortion: new ExtortionRetention(db), family: new FamilyRetention(db),
    notify: new NotifyRetention(db), accounts: new AccountsRetention(db), auditLog: new AuditRetention(db), tracking: new TrackingRetention(db),
    pruneRateCounters: () => parts.limits.prune(),
    smsUndeliverable: () => !parts.notifier.delivers,
    // The service keeps every report's facts in memory: recompute them without the deleted ones.
    reportsPurged: () => parts.extortion.load(),
    ...(opts.batchSize ? { batchSize: opts.batchSize } : {}),
  });
}
