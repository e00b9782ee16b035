// Answers kept as text on the two hottest read paths (/locate, a number's look-up), measured
// against /health in bench/http and bench/lookup. The text is made by the route's own response
// serializer (the one Fastify compiled from its schema), so it is exactly what Fastify would send
// for the object, then made pure ASCII: every character past U+007E is written as its JSON escape
// (\u2013 for the "–" of "oct 2014 – sep 2015"), which parses to the same value. Why text, and why
// ASCII: Node writes a string body together with the headers in one write(), but a Buffer body as a
// second chunk through writev() — measured ~4 µs a request more (bench/http profile: writev was the
// largest single cost). A string with a non-Latin-1 character had instead to be transcoded to UTF-8
// on every send; an ASCII string is copied as is.
import type { FastifyReply } from 'fastify';

export type Serialize = (body: unknown) => string;

export const JSON_UTF8 = 'application/json; charset=utf-8';

/** The serializer Fastify compiled for this route's 200 body; the route must declare that schema. */
export function responseSerializer(reply: FastifyReply): Serialize {
  const fn = reply.getSerializationFunction('200') as unknown;
  if (typeof fn !== 'function') throw new Error(`${reply.request.routeOptions.url}: no serializer compiled for its 200 JSON body`);
  return fn as Serialize;
}

const asIs = (text: string) => text;

/** Sends JSON text made by `responseSerializer` (and `asciiJson`) as it is: the reply's serializer
 * is told not to serialise the string again. */
export function sendJsonText(reply: FastifyReply, text: string): FastifyReply {
  return reply.type(JSON_UTF8).serializer(asIs).send(text);
}

/** The same JSON with every character past U+007E escaped (\uXXXX; a pair for an astral one): the
 * same value for any JSON parser, one byte per character for Node. Such characters occur only
 * inside JSON strings, where an escape is always valid. */
export function asciiJson(json: string): string {
  return json.replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * The serialised answer for one object, kept as long as the object lives: data that changes is
 * replaced by a new object (a new quadrant set, a new reputation), which gets a new answer.
 */
export class AnswerCache<K extends object> {
  private readonly texts = new WeakMap<K, string>();

  get(key: K, serialize: Serialize, body: (key: K) => unknown): string {
    let t = this.texts.get(key);
    if (t === undefined) this.texts.set(key, (t = asciiJson(serialize(body(key)))));
    return t;
  }
}

/**
 * A serialised answer with holes for a few numbers (the point looked up, a distance): the text
 * around them is serialised once, the numbers are written per answer. Built by probing the
 * serializer, so no field order is assumed; `null` when the serializer does not write each value
 * as one run of characters that JavaScript's own number formatting fills (then serialise per answer).
 */
export class NumberTemplate {
  private constructor(
    /** The text between the holes (ASCII): one more part than holes. */
    private readonly parts: readonly string[],
    /** Which value fills each hole, in text order. */
    private readonly order: readonly number[],
  ) {}

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
    const parts: string[] = [];
    let from = 0;
    for (const { pos } of at) {
      if (pos < from) return null;
      parts.push(asciiJson(base.slice(from, pos)));
      from = pos + 1;
    }
    parts.push(asciiJson(base.slice(from)));
    const template = new NumberTemplate(parts, at.map((a) => a.value));
    // Fractions, a negative and a large integer: the way the serializer writes them must be ours.
    const check = [-12.345678, 99.25, 1_234_567, -0.5].slice(0, holes);
    while (check.length < holes) check.push(check.length * 7.5);
    return template.fill(check) === asciiJson(serialize(build(check))) ? template : null;
  }

  /** The answer for these values (finite numbers; their text is ASCII). */
  fill(values: readonly number[]): string {
    const { parts, order } = this;
    let out = parts[0]!;
    for (let k = 0; k < order.length; k++) out += String(values[order[k]!]) + parts[k + 1]!;
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
