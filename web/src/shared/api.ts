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

interface RequestOptions { lang: Lang; signal?: AbortSignal }

async function getJson<T>(path: string, { lang, signal }: RequestOptions): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, { headers: { accept: 'application/json', 'accept-language': lang }, signal });
  } catch (err) {
    if (signal?.aborted) throw err;
    throw new NetworkError(String(err));
  }
  const body: unknown = await res.json().catch(() => null);
  if (!res.ok) throw toApiError(body, res.status);
  return body as T;
}

function toApiError(body: unknown, status: number): ApiError {
  const error = (body as { error?: { code?: unknown; message?: unknown } } | null)?.error;
  const code = typeof error?.code === 'string' ? error.code : 'HTTP_' + status;
  const message = typeof error?.message === 'string' ? error.message : '';
  return new ApiError(code, message, status);
}

export const getPublicConfig = (opts: RequestOptions) =>
  getJson<PublicConfig>('/api/v1/config/public', opts);

export const getQuadrants = (opts: RequestOptions) =>
  getJson<QuadrantCollection>('/api/v1/quadrants?simplify=15', opts);

export function locate(point: LatLon, opts: RequestOptions): Promise<LocateResult> {
  const query = new URLSearchParams({ lat: point.lat.toFixed(6), lon: point.lon.toFixed(6) });
  return getJson<LocateResult>(`/api/v1/locate?${query}`, opts);
}
