// Public face of the fleet context: patrol units, their shifts and their last known positions.
// Dispatch and tracking both depend on it; it depends on neither.
export { UNIT_TYPES, type Unit, type UnitType, type ShiftState, type UnitShiftChange } from './model.js';
export { UnitService, type UnitInput } from './units.js';
export { UnitEnrolment, type OfficerAccounts, type OfficerInput } from './enrolment.js';
export { FleetStore, UNIT_CHANGED, writeShiftChanges } from './storage.js';
export { FleetBus, type FleetEventMap } from './events.js';
export { LastKnownPositions, type KnownFix, type NearestUnit, type UnitPositionView } from './positions.js';
export { etaSeconds, osrmRouter, type RoadRouter } from './domain/eta.js';
export { distanceAndEta, coarseApproach } from './domain/approach.js';
