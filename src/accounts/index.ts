// Public face of the accounts context: users, sessions, roles and permissions, PINs, password hashing.
export {
  AccountService, assertPasswordRule, MIN_PASSWORD_LENGTH, SESSIONS_ENDED,
  type Principal, type PublicUser, type Session, type SessionInfo, type SessionsEnded,
} from './service.js';
export { AccountStore, type Revocations, type SessionRow, type UserRow } from './storage.js';
export { DeviceRegistration, type DeviceLimits } from './devices.js';
export { PinService, PIN_GUESSES, type PinCheck, type PinChange } from './pins.js';
export { SignInThrottle, type SignInTry } from './throttle.js';
export { AccountsRetention } from './retention.js';
export { ROLES, PERMISSIONS, isRole, can, type Role, type Permission } from './roles.js';
export { hashPassword, verifyPassword, hashToken, newToken, generatePassword, needsRehash, DUMMY_HASH, hashPoolLoad, hashesComputed } from './passwords.js';
export { accountRoutes } from './routes.js';
