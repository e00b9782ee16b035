import { ApiError, request, type AuthOptions } from './api.js';
import type { ActionBody, RaiseBody } from '../../../src/contracts/dispatch.js';
import type { CitizenAlertView, DispatchSettings, ShiftState, StaffAlertView, Unit } from './alerts.js';
import type { DeviceCredential, StaffSession } from './session.js';
import type { Lang } from './types.js';

// Authenticated calls of the dispatch API (alerts, units, sign-in), shared by every page.

/** A call made with a signed-in session's token; `signal` lets a superseded read be abandoned. */
export type SessionCall = <T>(call: (opts: AuthOptions) => Promise<T>, signal?: AbortSignal) => Promise<T>;

/**
 * Calls with a session's token, in the page's current language. A 401 means the session is over:
 * `onExpired` runs here (the page goes back to sign-in) rather than at every call site.
 */
export function sessionCaller(token: string, lang: () => Lang, onExpired: () => void): SessionCall {
  return async <T>(call: (opts: AuthOptions) => Promise<T>, signal?: AbortSignal): Promise<T> => {
    try {
      return await call({ lang: lang(), token, ...(signal ? { signal } : {}) });
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) onExpired();
      throw err;
    }
  };
}

export type RaiseInput = RaiseBody;

export const registerDevice = (opts: AuthOptions) => request<DeviceCredential>('POST', '/api/v1/devices', undefined, opts);

export const raiseAlert = (input: RaiseInput, idempotencyKey: string, opts: AuthOptions) =>
  request<CitizenAlertView>('POST', '/api/v1/alerts', input, { ...opts, headers: { 'idempotency-key': idempotencyKey } });

export const getAlert = <V = CitizenAlertView>(id: string, opts: AuthOptions) =>
  request<V>('GET', `/api/v1/alerts/${encodeURIComponent(id)}`, undefined, opts);

export const listAlerts = <V = StaffAlertView>(opts: AuthOptions) => request<V[]>('GET', '/api/v1/alerts', undefined, opts);

export type ActionInput = ActionBody;
export const actOnAlert = <V = StaffAlertView>(id: string, input: ActionInput, opts: AuthOptions) =>
  request<V>('POST', `/api/v1/alerts/${encodeURIComponent(id)}/actions`, input, opts);

/** Once PINs are set, `currentPin` (the cancel PIN) is required to change them. */
export const setPins = (cancelPin: string, duressPin: string, currentPin: string | null, opts: AuthOptions) =>
  request<void>('PUT', '/api/v1/devices/me/pins', { cancelPin, duressPin, ...(currentPin ? { currentPin } : {}) }, opts);

export const getDispatchSettings = (opts: AuthOptions) => request<DispatchSettings>('GET', '/api/v1/dispatch/settings', undefined, opts);

export const login = (username: string, password: string, opts: AuthOptions) =>
  request<StaffSession>('POST', '/api/v1/auth/login', { username, password }, opts);

export const logout = (opts: AuthOptions) => request<void>('POST', '/api/v1/auth/logout', undefined, opts);

export const listUnits = (opts: AuthOptions) => request<Unit[]>('GET', '/api/v1/units', undefined, opts);

export const setShift = (unitId: string, state: Exclude<ShiftState, 'busy'>, opts: AuthOptions) =>
  request<Unit>('PUT', `/api/v1/units/${encodeURIComponent(unitId)}/shift`, { state }, opts);
