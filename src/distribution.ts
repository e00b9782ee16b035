// Composition root, part 3: what crosses between instances. Each context records its changes
// through a ChangeLog — in the change's own transaction where it can (dispatch: every alert write;
// fleet: every unit write; extortion: every report), right after it otherwise (ended sessions, API
// keys, staff decisions on numbers, quadrant data, coalesced positions); here every instance applies
// the others' changes as if they had been made locally — into the same in-process events the
// realtime hub, the positions index and the caches already listen to.
//
// An instance handles its own changes at once, in-process (as a single instance always did), and
// skips them when they come back from the stream (`origin`); so a page on the instance that raised
// the alert is as fast as before, and the others receive it one relay + consumer hop later.
// Handlers are idempotent: a change applied twice (a re-send, a replay) changes nothing the
// second time — clients order alert changes by version, units by updatedAt, and a session ended
// twice is ended.
import type { BusEvent, ChangeLog, EventBus, Subscription } from './bus/index.js';
import type { Db } from './storage/index.js';
import type { Clock, IdGenerator } from './kernel/index.js';
import { ALERT_CHANGED, type AlertChangeRecord, type DispatchBus, type DeadlineScheduler } from './dispatch/index.js';
import { UNIT_CHANGED, type LastKnownPositions, type Unit, type UnitService } from './fleet/index.js';
import { SESSIONS_ENDED, type AccountService, type SessionsEnded } from './accounts/index.js';
import { API_KEYS_CHANGED, NUMBER_CHANGED, type ApiKeyService, type ExtortionService } from './extortion/index.js';
import { QUADRANT_DATA_CHANGED, type QuadrantService } from './quadrants/index.js';
import type { Fix, TrackingBus } from './tracking/index.js';

/** Each instance's units' latest fixes, coalesced: one event per instance per interval, not one per fix. */
export const POSITIONS = 'tracking.positions';

interface Envelope { origin: string; change: unknown }

/** Subjects this version understands; anything else on the stream is logged and skipped. */
const KNOWN = new Set([ALERT_CHANGED, UNIT_CHANGED, SESSIONS_ENDED, API_KEYS_CHANGED, POSITIONS, QUADRANT_DATA_CHANGED, NUMBER_CHANGED]);

/** The ChangeLog every context's storage writes through: events stamped with this instance's name. */
export function changeLog(bus: EventBus, db: Db, origin: string, clock: Clock, ids: IdGenerator): ChangeLog {
  const event = (subject: string, change: unknown): BusEvent<Envelope> => ({ id: ids(), subject, payload: { origin, change }, at: clock.now().getTime() });
  return {
    record: (trx, subject, change) => bus.record(trx, [event(subject, change)]),
    committed: () => bus.committed([]),
    publish: async (subject, change) => {
      const e = event(subject, change);
      await db.transaction().execute((trx) => bus.record(trx, [e]));
      bus.committed([e]);
    },
  };
}

export interface Receivers {
  dispatchBus: DispatchBus;
  scheduler: DeadlineScheduler;
  units: UnitService;
  accounts: AccountService;
  apiKeys: ApiKeyService;
  extortion: ExtortionService;
  positions: LastKnownPositions<Fix>;
  quadrants: QuadrantService;
  trackingBus: TrackingBus;
  /** Fixes that came from another instance: not published again by this one's PositionRelay. */
  remoteFixes: WeakSet<Fix>;
  /** Events this instance can no longer get were missed (a stream reset, an outage past its max age): reload every cache and have live clients reload too. */
  onGap: () => void;
  onError: (err: unknown) => void;
}

/** After a gap: what this instance keeps in memory is read again from the database. */
export async function resync(r: Pick<Receivers, 'units' | 'apiKeys' | 'extortion' | 'quadrants'>): Promise<void> {
  r.units.invalidate();
  await Promise.all([r.apiKeys.load(), r.extortion.load(), r.quadrants.reload()]);
}

/** Applies the other instances' changes here. Returns the subscription (stopped with the bus). */
export function receiveChanges(bus: EventBus, origin: string, r: Receivers): Subscription {
  return bus.subscribe({
    from: 'new',
    known: (subject) => KNOWN.has(subject),
    onGap: () => r.onGap(),
    handler: async (e) => {
      const { origin: from, change } = e.payload as Envelope;
      if (from === origin) return;
      switch (e.subject) {
        case ALERT_CHANGED: {
          const c = change as AlertChangeRecord;
          // Shift changes first: the console's unit list and the ladder's candidates see them with the alert.
          await r.units.applied(c.unitsChanged, c.alert.updatedAt);
          r.dispatchBus.emit('alert.changed', { alert: c.alert, events: c.events, pagedUnitIds: c.pagedUnitIds });
          // Every instance arms the deadline, so the ladder goes on should the one that set it die;
          // the version compare-and-set lets exactly one of them escalate (DispatchService.processDeadline).
          if (c.alert.nextDeadlineAt !== null) r.scheduler.arm(c.alert.id, c.alert.nextDeadlineAt);
          else r.scheduler.disarm(c.alert.id);
          break;
        }
        case UNIT_CHANGED:
          r.units.remoteChanged((change as { unit: Unit }).unit);
          break;
        case SESSIONS_ENDED:
          r.accounts.remoteEnded(change as SessionsEnded);
          break;
        case API_KEYS_CHANGED:
          await r.apiKeys.load();
          break;
        case NUMBER_CHANGED:
          await r.extortion.remoteChanged((change as { e164: string }).e164);
          break;
        case QUADRANT_DATA_CHANGED:
          await r.quadrants.refreshIfChanged();
          break;
        case POSITIONS:
          // Into this instance's last-known positions and nearest-unit index (its ladder pages by
          // distance too), and to its consoles; a fix older than the one held is dropped.
          for (const fix of (change as { fixes: Fix[] }).fixes) {
            const held = r.positions.lastFix(fix.unitId);
            if (held && held.at >= fix.at) continue;
            r.positions.record(fix);
            r.remoteFixes.add(fix);
            r.trackingBus.emit('position', fix);
          }
          break;
      }
    },
  });
}

/**
 * Publishes this instance's units' positions to the others: the latest fix of each unit that
 * reported here, once per interval (a patrol car reporting every second is one fix per second per
 * instance on the bus, whatever its device sends).
 */
export class PositionRelay {
  private latest = new Map<string, Fix>();
  private timer: NodeJS.Timeout | null = null;
  private off: (() => void) | null = null;

  constructor(private changes: ChangeLog, private trackingBus: TrackingBus, private remoteFixes: WeakSet<Fix>,
    private onError: (err: unknown) => void, private intervalMs = 1000) {}

  start(): void {
    this.off = this.trackingBus.subscribe('position', (fix) => { if (!this.remoteFixes.has(fix)) this.latest.set(fix.unitId, fix); });
    this.timer = setInterval(() => { void this.flush(); }, this.intervalMs);
    this.timer.unref();
  }

  async flush(): Promise<void> {
    if (this.latest.size === 0) return;
    const fixes = [...this.latest.values()];
    this.latest.clear();
    await this.changes.publish(POSITIONS, { fixes }).catch(this.onError);
  }

  async stop(): Promise<void> {
    this.off?.();
    if (this.timer) clearInterval(this.timer);
    await this.flush();
  }
}
