// The event bus: how one instance's domain events reach every instance (src/bus/, issue 11).
//
//   const bus = createBus({ config, db, log });
//   // a change and its events, in one transaction:
//   await bus.transact(db, async (trx) => { …writes…; return { value, events: [{ id, subject: 'dispatch.alert.changed', payload, at }] }; });
//   // or, where the transaction is already someone else's:
//   await db.transaction().execute(async (trx) => { …writes…; await bus.record(trx, events); });
//   bus.committed(events);                      // after the commit
//   // every instance (the one that made the change too) receives every event, in order:
//   const sub = bus.subscribe({ from: 'new', filter: 'dispatch.>', handler: (e) => …e.seq, e.payload… });
//
// Without CUADRANTE_NATS_URL: LocalBus — committed() hands the events to this process's subscribers
// at once, nothing is written (record() only checks the payloads are JSON), as the contexts'
// EventEmitters do today. With it: NatsBus — record() writes outbox rows in the caller's transaction,
// committed() wakes the relay that publishes them to JetStream (Nats-Msg-Id = event id), and
// subscriptions are ordered consumers on the stream. Subjects are `<context>.<event>`, relative to
// the configured prefix. Consumers must be idempotent by event id: an event can arrive twice (a
// re-send after the duplicate window; a handler replayed from an older sequence).
import type { Config } from '../config/index.js';
import type { Db } from '../storage/index.js';
import { LocalBus } from './local.js';
import { NatsBus } from './nats-bus.js';
import type { BusLog, EventBus } from './types.js';

export type { BusEvent, BusHealth, BusLog, ChangeLog, DeliveredEvent, EventBus, EventHandler, StartAt, SubscribeOptions, Subscription } from './types.js';
export { LocalBus, subjectMatcher } from './local.js';
export { NatsBus, type NatsBusOptions } from './nats-bus.js';
export { appendEvents, EventOutbox, type OutboxRow } from './outbox.js';
export { Relay, type RelayOptions, type RelayStats, type Publish } from './relay.js';
export { NatsSubscription, type NatsSubscriberOptions } from './subscriber.js';
export { connectNats, deleteStream, ensureStream, jetStreamPublisher, streamConfig, type NatsSettings } from './nats.js';
export { decodeEvent, encodeEvent } from './codec.js';

/** The bus the configuration asks for. The NATS one connects in the background (see NatsBus.ready). */
export function createBus(deps: { config: Pick<Config, 'natsUrl' | 'bus'>; db: Db; log?: BusLog; instanceName?: string }): EventBus {
  const { config, db, log } = deps;
  if (!config.natsUrl) return new LocalBus(log ? { log } : {});
  return new NatsBus({
    db, ...(log ? { log } : {}),
    nats: {
      servers: config.natsUrl, stream: config.bus.stream, subjectPrefix: config.bus.subjectPrefix, replicas: config.bus.replicas,
      maxAgeMs: config.bus.maxAgeMs, duplicateWindowMs: config.bus.duplicateWindowMs,
      ...(deps.instanceName ? { connectionName: deps.instanceName } : {}),
    },
    relay: { retentionMs: config.bus.outboxRetentionMs },
  });
}
