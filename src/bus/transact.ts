// record + committed around one transaction, the same for either bus.
import type { Db } from '../storage/index.js';
import type { BusEvent, EventBus } from './types.js';

export async function transactWith<T>(bus: Pick<EventBus, 'record' | 'committed'>, db: Db,
  work: (trx: Db) => Promise<{ value: T; events: readonly BusEvent[] }>): Promise<T> {
  const { value, events } = await db.transaction().execute(async (trx) => {
    const r = await work(trx);
    await bus.record(trx, r.events);
    return r;
  });
  bus.committed(events);
  return value;
}
