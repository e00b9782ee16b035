// Public face of the dispatch context.
export { DispatchService, type DispatchOptions, type RaiseInput, type RaiseContext } from './service.js';
export type { HoldReason } from './domain/hold.js';
export { UnitService, type UnitInput } from './units.js';
export { DispatchStore } from './storage.js';
export { DispatchBus, type AlertChanged } from './events.js';
export { DeadlineScheduler } from './scheduler.js';
export { WebhookSender, sign as signWebhook } from './webhook.js';
export type { Alert, AlertEvent, Unit, AlertKind, UnitType } from './model.js';
export type { Actor, QuadrantLookup } from './ports.js';
