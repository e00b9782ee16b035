// Answers kept as bytes on the two hottest read paths (/locate, a number's look-up), measured
// against /health in bench/http and bench/lookup. The bytes are made by the route's own response
// serializer (the one Fastify compiled from its schema), so they are exactly what Fastify would
// send for the object; a Buffer is then sent as is. A Buffer, not a string: a cached JSON string
// with a character outside Latin-1 (the "–" of "oct 2014 – sep 2015") had to be measured and
// transcoded to UTF-8 on every send, which cost more than finding the quadrant (bench/http).
import type { FastifyReply } from 'fastify';

export type Serialize = (body: unknown) => string;

export const JSON_UTF8 = 'application/json; charset=utf-8';

/** The serializer Fastify compiled for this route's 200 body; the route must declare that schema. */
export function responseSerializer(reply: FastifyReply): Serialize {
  const fn = reply.getSerializationFunction('200') as unknown;
  if (typeof fn !== 'function') throw new Error(`${reply.request.routeOptions.url}: no serializer compiled for its 200 JSON body`);
  return fn as Serialize;
}

/** Sends bytes made by `responseSerializer` as JSON (Fastify does not serialise a Buffer again). */
export function sendJsonBytes(reply: FastifyReply, bytes: Buffer): FastifyReply {
  return reply.type(JSON_UTF8).send(bytes);
}

/**
 * The serialised answer for one object, kept as long as the object lives: data that changes is
 * replaced by a new object (a new quadrant set, a new reputation), which gets new bytes.
 */
export class BytesCache<K extends object> {
  private readonly bytes = new WeakMap<K, Buffer>();

  get(key: K, serialize: Serialize, body: (key: K) => unknown): Buffer {
    let b = this.bytes.get(key);
    if (b === undefined) this.bytes.set(key, (b = Buffer.from(serialize(body(key)))));
    return b;
  }
}

/**
 * A serialised answer with holes for a few numbers (the point looked up, a distance): the text
 * around them is serialised once, the numbers are written per answer. Built by probing the
 * serializer, so no field order is assumed; `null` when the serializer does not write each value
 * as one run of characters that JavaScript's own number formatting fills (then serialise per answer).
 */
export class NumberTemplate {
  private readonly fixedSize: number;

  private constructor(
    /** The text between the holes, as bytes: one more part than holes. */
    private readonly parts: readonly Buffer[],
    /** Which value fills each hole, in text order. */
    private readonly order: readonly number[],
  ) {
    this.fixedSize = parts.reduce((n, p) => n + p.length, 0);
  }

  static probe(serialize: Serialize, build: (values: readonly number[]) => unknown, holes: number): NumberTemplate | null {
    const zeros = new Array<number>(holes).fill(0);
    const base = serialize(build(zeros));
    const at: { pos: number; value: number }[] = [];
    for (let h = 0; h < holes; h++) {
      const pos = onlyDifference(base, serialize(build(zeros.map((z, i) => (i === h ? 1 : z)))));
      if (pos < 0 || base[pos] !== '0') return null;
      at.push({ pos, value: h });
    }
    at.sort((a, b) => a.pos - b.pos);
    const parts: Buffer[] = [];
    let from = 0;
    for (const { pos } of at) {
      if (pos < from) return null;
      parts.push(Buffer.from(base.slice(from, pos)));
      from = pos + 1;
    }
    parts.push(Buffer.from(base.slice(from)));
    const template = new NumberTemplate(parts, at.map((a) => a.value));
    // Fractions, a negative and a large integer: the way the serializer writes them must be ours.
    const check = [-12.345678, 99.25, 1_234_567, -0.5].slice(0, holes);
    while (check.length < holes) check.push(check.length * 7.5);
    return template.fill(check).equals(Buffer.from(serialize(build(check)))) ? template : null;
  }

  /** The answer for these values (finite numbers; their text is ASCII). */
  fill(values: readonly number[]): Buffer {
    const { parts, order, fixedSize } = this;
    const texts: string[] = [];
    let size = fixedSize;
    for (let k = 0; k < order.length; k++) size += (texts[k] = String(values[order[k]!])).length;
    const out = Buffer.allocUnsafe(size);
    let at = 0;
    for (let k = 0; k < texts.length; k++) {
      out.set(parts[k]!, at);
      at += parts[k]!.length;
      const t = texts[k]!;
      for (let c = 0; c < t.length; c++) out[at++] = t.charCodeAt(c);
    }
    out.set(parts[texts.length]!, at);
    return out;
  }
}

/** The one index where two strings of the same length differ; -1 if none or more than one. */
function onlyDifference(a: string, b: string): number {
  if (a.length !== b.length) return -1;
  let at = -1;
  for (let i = 0; i < a.length; i++) {
    if (a.charCodeAt(i) === b.charCodeAt(i)) continue;
    if (at >= 0) return -1;
    at = i;
  }
  return at;
}
