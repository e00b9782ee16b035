// Small HTTP helpers shared by the browser suites: set up through the real API, fail loudly.
import { expect } from 'vitest';
import type { TestServer } from './server.js';

export interface LatLon { lat: number; lon: number }

/** A point strictly inside a quadrant (the server computes it at import). */
export async function interiorPoint(base: string, id: string): Promise<LatLon> {
  const res = await fetch(`${base}/api/v1/quadrants/${encodeURIComponent(id)}`);
  expect(res.status, `GET /api/v1/quadrants/${id}`).toBe(200);
  const p = ((await res.json()) as { properties: { interiorPoint?: LatLon } }).properties.interiorPoint;
  if (!p) throw new Error(`quadrant ${id} has no properties.interiorPoint`);
  return p;
}

/** A JSON call that must succeed; the body of a failure is in the assertion message. */
export async function api<T>(server: TestServer, method: string, path: string, token: string | null, body?: unknown): Promise<T> {
  const res = await fetch(server.url + path, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  expect(res.ok, `${method} ${path} → ${res.status} ${text}`).toBe(true);
  return (text ? JSON.parse(text) : undefined) as T;
}

export interface CallOptions { token?: string; body?: unknown; headers?: Record<string, string> }
export interface Answer {
  status: number;
  /** The parsed JSON, or the raw text when the answer is not JSON (a CSV export, an empty 204). */
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  headers: Headers;
}

/** A call whose answer the test inspects, whatever its status; `base` is read per call (servers start in beforeAll). */
export function caller(base: () => string) {
  return async (method: string, path: string, opts: CallOptions = {}): Promise<Answer> => {
    const res = await fetch(`${base()}${path}`, {
      method, body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
      headers: { ...(opts.body === undefined ? {} : { 'content-type': 'application/json' }), ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}), ...opts.headers },
    });
    const text = await res.text();
    let body: unknown;
    try { body = JSON.parse(text); } catch { body = text; }
    return { status: res.status, body, headers: res.headers };
  };
}
