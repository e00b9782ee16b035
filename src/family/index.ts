// Public face of the family context: trusted contacts, the family code word and "¿Estás bien?" check-ins.
export { CheckinService, type Checkin, type CheckinEventMap, type CheckinOptions, type CheckinStatus, type Contact, type RaiseHelpAlert } from './service.js';
export { FamilyStore } from './storage.js';
export { FamilyRetention } from './retention.js';
export { familyRoutes, type FamilyRoutesOptions } from './routes.js';
