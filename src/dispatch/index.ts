// Public face of the dispatch context.
export { DispatchService, type DispatchOptions, type RaiseInput, type RaiseContext } from './service.js';
export type { HoldReason } from './domain/hold.js';
export { DispatchStore, ALERT_CHANGED, type AlertChangeRecord } from './storage.js';
export { DispatchBus, type AlertChanged } from './events.js';
export { AlertReadModel, type AlertFanOut, type Approach, type DispatchReadModel, type DispatchSnapshot } from './read-model.js';
export { DeadlineScheduler } from './scheduler.js';
export { WebhookSender, sign as signWebhook, wakeOnEscalation } from './webhook.js';
export { OutboxStore } from './outbox.js';
export { AlertPresenter } from './presenter.js';
export type { Alert, AlertEvent, Unit, AlertKind, UnitType } from './model.js';
export type { Actor, QuadrantLookup } from './ports.js';
export { DispatchRetention, reducedLocation, type ExactAlert, type Point } from './retention.js';
