// The one shape every error answer has (src/http/errors.ts): {"error": {"code", "message", "details"?}},
// the code from the catalogue, the message in the language asked for.
import { expect } from 'vitest';
import { errorCatalogue } from '../../src/kernel/index.js';

export interface ErrorBody { error: { code: string; message: string; details?: unknown } }

/** Asserts the catalogue's shape and returns the parsed body. `context` names the request in failures. */
export function expectCatalogueError(status: number, headers: Headers, text: string, context: string): ErrorBody {
  let body: unknown;
  try { body = JSON.parse(text); } catch { throw new Error(`${context}: answer is not JSON: ${text.slice(0, 200)}`); }
  expect(body, context).toMatchObject({ error: { code: expect.any(String), message: expect.any(String) } });
  const { error } = body as ErrorBody;
  expect(Object.keys(body as object), context).toEqual(['error']);
  expect(Object.keys(error).filter((k) => !['code', 'message', 'details'].includes(k)), context).toEqual([]);
  const spec = (errorCatalogue as Record<string, { status: number }>)[error.code];
  expect(Object.keys(errorCatalogue), `${context}: ${error.code} is not in the error catalogue`).toContain(error.code);
  expect(spec!.status, `${context}: ${error.code} is documented as ${spec!.status}`).toBe(status);
  expect(error.message.length, context).toBeGreaterThan(0);
  expect(headers.get('content-language'), context).toMatch(/^(es|en)$/);
  return body as ErrorBody;
}
