// The wire form of an event: JSON of the whole event, so a consumer needs nothing but the body.
// Decoding never throws: a body that is not an event is reported, the subscriber logs and skips it.
import type { BusEvent } from './types.js';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function encodeEvent(e: BusEvent): Uint8Array {
  return encoder.encode(JSON.stringify({ id: e.id, subject: e.subject, at: e.at, payload: e.payload }));
}

/** The JSON of a stored payload; refuses what JSON cannot carry (undefined, functions, cycles, BigInt). */
export function payloadJson(e: BusEvent): string {
  const json = JSON.stringify(e.payload);
  if (json === undefined) throw new TypeError(`event ${e.id} (${e.subject}): payload is not JSON-serialisable`);
  return json;
}

export type Decoded = { ok: true; event: BusEvent } | { ok: false; reason: string };

/** `wireSubject` is the subject relative to the prefix; the body must agree with it. */
export function decodeEvent(data: Uint8Array, wireSubject: string): Decoded {
  let v: unknown;
  try {
    v = JSON.parse(decoder.decode(data));
  } catch {
    return { ok: false, reason: 'not JSON' };
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return { ok: false, reason: 'not an object' };
  const o = v as Record<string, unknown>;
  if (typeof o.id !== 'string' || o.id === '') return { ok: false, reason: 'no id' };
  if (typeof o.subject !== 'string' || o.subject !== wireSubject) return { ok: false, reason: 'subject does not match the message subject' };
  if (typeof o.at !== 'number' || !Number.isFinite(o.at)) return { ok: false, reason: 'no time' };
  if (!('payload' in o)) return { ok: false, reason: 'no payload' };
  return { ok: true, event: { id: o.id, subject: o.subject, at: o.at, payload: o.payload } };
}
