import type { Lang, LocateResult, PublicConfig, QuadrantCollection, LatLon } from './types.js';

/** A failed call, with the server's stable code and a message ready to show. */
export class ApiError extends Error {
  constructor(readonly code: string, message: string, readonly status: number) {
    super(message);
    this.name = 'ApiError';
  }
}

/** The network itself failed (offline, server down): the page words this one itself. */
export class NetworkError extends Error {
  override name = 'NetworkError';
}

/** How a call is made: in the page's language, with a bearer token when there is one. */
export interface AuthOptions { lang: Lang; token?: string | null; signal?: AbortSignal; headers?: Record<string, string> }

/** A JSON call; answers 204 with undefined and any error with an ApiError or a NetworkError. */
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
  if (!res.ok) throw toApiError(payload, res.status);
  return payload as T;
}

/** The server's `{error: {code, message}}` body as an ApiError. */
export function toApiError(body: unknown, status: number): ApiError {
  const error = (body as { error?: { code?: unknown; message?: unknown } } | null)?.error;
  const code = typeof error?.code === 'string' ? error.code : 'HTTP_' + status;
  const message = typeof error?.message === 'string' ? error.message : '';
  return new ApiError(code, message, status);
}

type PublicOptions = Pick<AuthOptions, 'lang' | 'signal'>;

export const getPublicConfig = (opts: PublicOptions) =>
  request<PublicConfig>('GET', '/api/v1/config/public', undefined, opts);

export const getQuadrants = (opts: PublicOptions) =>
  request<QuadrantCollection>('GET', '/api/v1/quadrants?simplify=15', undefined, opts);

export function locate(point: LatLon, opts: PublicOptions): Promise<LocateResult> {
  const query = new URLSearchParams({ lat: point.lat.toFixed(6), lon: point.lon.toFixed(6) });
  return request<LocateResult>('GET', `/api/v1/locate?${query}`, undefined, opts);
}
