import { ApiError, NetworkError } from './api.js';
import type { AlertAction, AlertKind, CitizenAlertView, DispatchSettings, Outcome, ShiftState, StaffAlertView, Unit } from './alerts.js';
import type { DeviceCredential, StaffSession } from './session.js';
import type { Lang } from './types.js';

// Authenticated calls of the dispatch API (alerts, units, sign-in), shared by every page.

export interface AuthOptions { lang: Lang; token?: string | null; signal?: AbortSignal; headers?: Record<string, string> }

export async function request<T>(method: string, path: string, body: unknown, opts: AuthOptions): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json', 'accept-language': opts.lang, ...opts.headers };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  let res: Response;
  try {
    res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal: opts.signal });
  } catch (err) {
    if (opts.signal?.aborted) throw err;
    throw new NetworkError(String(err));
  }
  if (res.status === 204) return undefined as T;
  const payload: unknown = await res.json().catch(() => null);
  if (!res.ok) {
    const error = (payload as { error?: { code?: unknown; message?: unknown } } | null)?.error;
    throw new ApiError(
      typeof error?.code === 'string' ? error.code : `HTTP_${res.status}`,
      typeof error?.message === 'string' ? error.message : '',
      res.status,
    );
  }
  return payload as T;
}

export interface RaiseInput { lat: number; lon: number; accuracy?: number; kind?: AlertKind; note?: string }

export const registerDevice = (opts: AuthOptions) => request<DeviceCredential>('POST', '/api/v1/devices', undefined, opts);

export const raiseAlert = (input: RaiseInput, idempotencyKey: string, opts: AuthOptions) =>
  request<CitizenAlertView>('POST', '/api/v1/alerts', input, { ...opts, headers: { 'idempotency-key': idempotencyKey } });

export const getAlert = <V = CitizenAlertView>(id: string, opts: AuthOptions) =>
  request<V>('GET', `/api/v1/alerts/${encodeURIComponent(id)}`, undefined, opts);

export const listAlerts = <V = StaffAlertView>(opts: AuthOptions) => request<V[]>('GET', '/api/v1/alerts', undefined, opts);

export interface ActionInput { action: AlertAction; outcome?: Outcome; pin?: string }
export const actOnAlert = <V = StaffAlertView>(id: string, input: ActionInput, opts: AuthOptions) =>
  request<V>('POST', `/api/v1/alerts/${encodeURIComponent(id)}/actions`, input, opts);

export const setPins = (cancelPin: string, duressPin: string, opts: AuthOptions) =>
  request<void>('PUT', '/api/v1/devices/me/pins', { cancelPin, duressPin }, opts);

export const getDispatchSettings = (opts: AuthOptions) => request<DispatchSettings>('GET', '/api/v1/dispatch/settings', undefined, opts);

export const login = (username: string, password: string, opts: AuthOptions) =>
  request<StaffSession>('POST', '/api/v1/auth/login', { username, password }, opts);

export const logout = (opts: AuthOptions) => request<void>('POST', '/api/v1/auth/logout', undefined, opts);

export const listUnits = (opts: AuthOptions) => request<Unit[]>('GET', '/api/v1/units', undefined, opts);

export const setShift = (unitId: string, state: Exclude<ShiftState, 'busy'>, opts: AuthOptions) =>
  request<Unit>('PUT', `/api/v1/units/${encodeURIComponent(unitId)}/shift`, { state }, opts);
