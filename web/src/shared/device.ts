import { ApiError } from './api.js';
import { registerDevice } from './dispatchApi.js';
import { deviceCredential, saveDeviceCredential } from './session.js';
import type { Lang } from './types.js';

// The citizen's device credential is created on first use of the panic button (not on page
// load: most visitors only look up their quadrant and need no account at all).

let registering: Promise<string> | null = null;

export function deviceToken(): string | null {
  return deviceCredential()?.token ?? null;
}

export function ensureDeviceToken(lang: Lang): Promise<string> {
  const existing = deviceToken();
  if (existing) return Promise.resolve(existing);
  registering ??= registerDevice({ lang }).then((credential) => {
    saveDeviceCredential(credential);
    return credential.token;
  }).finally(() => { registering = null; });
  return registering;
}

/** A refused token (revoked, expired early) is forgotten so the next try registers anew. */
export function forgetDeviceIfRefused(err: unknown): boolean {
  if (err instanceof ApiError && err.status === 401) {
    saveDeviceCredential(null);
    return true;
  }
  return false;
}
