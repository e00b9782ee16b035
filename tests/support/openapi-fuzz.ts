// Requests generated from the app's own OpenAPI document (GET /openapi.json): for each operation,
// path parameters, query strings, headers and bodies that its schemas accept, and hostile ones —
// wrong types, huge and strange strings (unicode, NUL, lone surrogates, formulas, numbers as text),
// deep nesting, extra and missing properties, duplicate keys in raw JSON, malformed JSON, wrong or
// missing content types, empty bodies. Used by tests/http/fuzz.test.ts.
import fc from 'fast-check';
import type { Schema } from './schema-examples.js';

export interface Param { in: 'path' | 'query' | 'header'; name: string; required: boolean; schema: Schema }
export interface Operation {
  method: string;
  /** OpenAPI template, e.g. /api/v1/alerts/{id}. */
  path: string;
  params: Param[];
  /** The application/json request body schema, when it has one. */
  body: Schema | null;
  /** The operation declares a bearer requirement. */
  secured: boolean;
}

interface OpenApiDoc {
  paths: Record<string, Record<string, {
    parameters?: { in: string; name: string; required?: boolean; schema?: Schema }[];
    requestBody?: { content?: Record<string, { schema?: Schema }> };
    security?: unknown[];
  }>>;
}

const METHODS = ['get', 'head', 'post', 'put', 'patch', 'delete'];

export function operations(doc: OpenApiDoc): Operation[] {
  const out: Operation[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item)) {
      if (!METHODS.includes(method)) continue;
      const params = (op.parameters ?? []).filter((p) => p.in === 'path' || p.in === 'query' || p.in === 'header')
        .map((p) => ({ in: p.in as Param['in'], name: p.name, required: p.required ?? p.in === 'path', schema: p.schema ?? {} }));
      const body = op.requestBody?.content?.['application/json']?.schema ?? null;
      out.push({ method: method.toUpperCase(), path, params, body, secured: (op.security ?? []).length > 0 });
    }
  }
  return out;
}

// ——— values ———

const typesOf = (s: Schema): string[] => (s.type === undefined ? [] : Array.isArray(s.type) ? s.type : [s.type]);
const SHORT = 24;

const FORMAT_ARBS: Record<string, fc.Arbitrary<string>> = {
  'date-time': fc.date({ min: new Date('2020-01-01T00:00:00Z'), max: new Date('2030-01-01T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString()),
  date: fc.date({ min: new Date('2020-01-01T00:00:00Z'), max: new Date('2030-01-01T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)),
  email: fc.emailAddress(),
  uri: fc.webUrl(),
  uuid: fc.uuid(),
};

function stringArb(s: Schema): fc.Arbitrary<string> {
  if (s.format && FORMAT_ARBS[s.format]) return FORMAT_ARBS[s.format]!;
  const min = s.minLength ?? 0;
  const max = Math.max(min, Math.min(s.maxLength ?? SHORT, Math.max(min, SHORT)));
  if (s.pattern) return fc.stringMatching(new RegExp(s.pattern)).filter((v) => v.length >= min && v.length <= (s.maxLength ?? Infinity));
  // Valid strings are not only letters: any unicode a person (or an attacker) can type, NUL included.
  return fc.oneof(
    { arbitrary: fc.string({ minLength: min, maxLength: max }), weight: 3 },
    { arbitrary: fc.string({ minLength: min, maxLength: max, unit: 'grapheme' }), weight: 2 },
    { arbitrary: fc.string({ minLength: min, maxLength: max, unit: 'binary' }), weight: 1 },
    // Digits only: numbers of all kinds come as text (phones, ids, PINs).
    { arbitrary: fc.stringMatching(/^[0-9]+$/).filter((v) => v.length >= min && v.length <= max), weight: 1 },
  );
}

function numberArb(s: Schema, integer: boolean): fc.Arbitrary<number> {
  const lo = s.minimum ?? (s.exclusiveMinimum !== undefined ? s.exclusiveMinimum + (integer ? 1 : 1e-9) : undefined);
  const hi = s.maximum ?? (s.exclusiveMaximum !== undefined ? s.exclusiveMaximum - (integer ? 1 : 1e-9) : undefined);
  if (integer) return fc.integer({ min: Math.max(lo ?? -1e12, Number.MIN_SAFE_INTEGER), max: Math.min(hi ?? 1e12, Number.MAX_SAFE_INTEGER) });
  return fc.double({ min: lo ?? -1e300, max: hi ?? 1e300, noNaN: true, noDefaultInfinity: true });
}

/** Values the schema accepts (Type.Unknown: any small JSON). */
export function validArb(s: Schema, depth = 0): fc.Arbitrary<unknown> {
  if (s.const !== undefined) return fc.constant(s.const);
  if (s.enum) return fc.constantFrom(...s.enum);
  const branches = s.anyOf ?? s.oneOf;
  if (branches) return fc.oneof(...branches.map((b) => validArb(b, depth)));
  if (s.allOf) return fc.tuple(...s.allOf.map((b) => validArb(b, depth))).map((parts) => Object.assign({}, ...parts));
  const types = typesOf(s);
  if (types.length === 0 && !s.properties) return fc.jsonValue({ maxDepth: 2 });
  const arbs = (types.length ? types : ['object']).map((t): fc.Arbitrary<unknown> => {
    switch (t) {
      case 'string': return stringArb(s);
      case 'integer': return numberArb(s, true);
      case 'number': return numberArb(s, false);
      case 'boolean': return fc.boolean();
      case 'null': return fc.constant(null);
      case 'array': return fc.array(validArb(s.items ?? {}, depth + 1), { minLength: s.minItems ?? 0, maxLength: Math.max(s.minItems ?? 0, Math.min(s.maxItems ?? 3, 3)) });
      default: {
        const props = Object.fromEntries(Object.entries(s.properties ?? {}).map(([k, v]) => [k, validArb(v, depth + 1)]));
        return fc.record(props, { requiredKeys: (s.required ?? []).filter((k) => k in props) });
      }
    }
  });
  return arbs.length === 1 ? arbs[0]! : fc.oneof(...arbs);
}

const HOSTILE_TEXT = [
  '', ' ', '\u0000', 'a\u0000b', '\u0000'.repeat(20), 'NaN', '-NaN', 'Infinity', '-Infinity', '1e309', '-1e309', '-1', '-0', '0x1F', '0b101', '1_000',
  '٣٤٥', '１２３', '\uFEFF12', ' 42 ', 'null', 'true', 'false', '[]', '{}', '__proto__', 'constructor', 'prototype', 'toString',
  '../../../etc/passwd', '..\\..\\windows', "'; drop table users; --", '" or ""="', '<script>alert(1)</script>', '=HYPERLINK("http://x","y")',
  '+52 1 55 1234 5678', '044 55 1234 5678', '*611', '911', '\u202Egnp.exe', '\uD800', '\uDFFF\uD800', 'e\u0301'.repeat(40), '🚨'.repeat(60),
  'ﷺ'.repeat(30), '\r\n\r\n', '\t', '%00', '%zz', '${7*7}', '{{7*7}}', 'a'.repeat(257), 'x'.repeat(5000),
];

/** Text no schema planned for. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.constantFrom(...HOSTILE_TEXT), weight: 5 },
  { arbitrary: fc.string({ maxLength: 40, unit: 'binary' }), weight: 2 },
  { arbitrary: fc.string({ maxLength: 40, unit: 'grapheme' }), weight: 2 },
  // Huge: far past any maxLength, short of the body limit.
  { arbitrary: fc.integer({ min: 10_000, max: 200_000 }).map((n) => 'Ω'.repeat(n)), weight: 1 },
);

/** Deeply nested arrays or objects, to depth 50–3000. */
export const deepNesting: fc.Arbitrary<unknown> = fc.tuple(fc.integer({ min: 50, max: 3000 }), fc.boolean()).map(([depth, arrays]) => {
  let v: unknown = 1;
  for (let i = 0; i < depth; i++) v = arrays ? [v] : { a: v };
  return v;
});

export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: hostileString, weight: 4 },
  { arbitrary: fc.constantFrom(null, true, false, 0, -1, -0, 1e308, -1e308, 2 ** 53 + 2, -(2 ** 63), 5e-324, 0.1 + 0.2, 4.5), weight: 3 },
  { arbitrary: fc.array(fc.jsonValue({ maxDepth: 1 }), { maxLength: 4 }), weight: 1 },
  { arbitrary: fc.dictionary(fc.constantFrom('__proto__', 'constructor', 'a', 'lat', 'id', ''), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 3 }), weight: 1 },
  { arbitrary: deepNesting, weight: 1 },
);

// ——— bodies ———

export interface RawBody { text: string | undefined; contentType: string | undefined; kind: string }

const json = (v: unknown, kind: string): RawBody => ({ text: JSON.stringify(v), contentType: 'application/json', kind });
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** One field of `value` (any depth) replaced by a hostile value, or removed. */
function spoilOneField(value: unknown, replacement: unknown, pick: number, remove: boolean): unknown {
  const paths: (string | number)[][] = [];
  const walk = (v: unknown, path: (string | number)[]) => {
    if (path.length > 4) return;
    if (isObject(v)) for (const k of Object.keys(v)) { paths.push([...path, k]); walk(v[k], [...path, k]); }
    else if (Array.isArray(v)) v.forEach((x, i) => { paths.push([...path, i]); walk(x, [...path, i]); });
  };
  walk(value, []);
  if (paths.length === 0) return replacement;
  const path = paths[pick % paths.length]!;
  const copy = structuredClone(value) as Record<string | number, unknown>;
  let parent = copy;
  for (const k of path.slice(0, -1)) parent = parent[k] as Record<string | number, unknown>;
  const last = path[path.length - 1]!;
  if (remove && !Array.isArray(parent)) delete parent[last];
  else parent[last] = replacement;
  return copy;
}

const MALFORMED = ['{', '}', '{"', '{"a":', '{"a":1,}', '[1,]', 'nul', 'tru', '{a:1}', "{'a':1}", '{"a":1}}', '\u0000', '\uFEFF{}', '{"a":"\\u12"}', '{"a":01}', '{"a":NaN}', '{"a":Infinity}', '[' .repeat(10_000), '"' + 'x'.repeat(1000)];
const CONTENT_TYPES = ['text/plain', 'text/csv', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=zz', 'application/xml', 'application/json; charset=utf-16', 'application/geo+json', 'application/octet-stream', 'application/json-patch+json', ';;;', 'application/json, text/plain'];

/** A request body for an operation with a JSON body schema: valid, slightly spoilt, or hostile in form. */
export function bodyArb(schema: Schema | null): fc.Arbitrary<RawBody> {
  const valid = schema ? validArb(schema) : fc.jsonValue({ maxDepth: 2 });
  return fc.oneof(
    { arbitrary: valid.map((v) => json(v, 'valid')), weight: 6 },
    { arbitrary: fc.tuple(valid, hostileValue, fc.nat(), fc.boolean()).map(([v, h, i, rm]) => json(spoilOneField(v, h, i, rm), rm ? 'field removed' : 'field spoilt')), weight: 6 },
    { arbitrary: fc.tuple(valid, fc.constantFrom('extra', '__proto__', 'constructor', 'isAdmin', 'role', 'ownerId'), hostileValue).map(([v, k, h]) => {
      // Raw text: {"__proto__":…} must arrive as written, not be eaten by JSON.stringify.
      const base = isObject(v) ? JSON.stringify(v).slice(0, -1) : '{';
      return { text: `${base}${base.length > 1 ? ',' : ''}${JSON.stringify(k)}:${JSON.stringify(h)}}`, contentType: 'application/json', kind: 'extra property' };
    }), weight: 2 },
    { arbitrary: fc.tuple(valid, hostileValue).map(([v, h]) => {
      // The same key twice: JSON.parse keeps the last one, a validator must see that one.
      const keys = isObject(v) ? Object.keys(v) : [];
      if (!keys.length) return json(h, 'hostile body');
      return { text: `${JSON.stringify(v).slice(0, -1)},${JSON.stringify(keys[0])}:${JSON.stringify(h)}}`, contentType: 'application/json', kind: 'duplicate key' };
    }), weight: 2 },
    { arbitrary: hostileValue.map((h) => json(h, 'hostile body')), weight: 2 },
    { arbitrary: fc.constantFrom(...MALFORMED).map((t) => ({ text: t, contentType: 'application/json', kind: 'malformed JSON' })), weight: 2 },
    { arbitrary: fc.tuple(valid, fc.constantFrom(...CONTENT_TYPES)).map(([v, ct]) => ({ text: JSON.stringify(v), contentType: ct, kind: `content type ${ct}` })), weight: 2 },
    { arbitrary: fc.constantFrom<RawBody>(
      { text: '', contentType: 'application/json', kind: 'empty JSON body' },
      { text: undefined, contentType: 'application/json', kind: 'no body, JSON content type' },
      { text: undefined, contentType: undefined, kind: 'no body' },
      { text: '{"a":1}', contentType: undefined, kind: 'body without content type' },
      { text: 'x'.repeat(1_100_000), contentType: 'application/json', kind: 'over the body limit' },
    ), weight: 2 },
  );
}

// ——— URL parts and headers ———

/** A path segment, already encoded — or deliberately not (malformed escapes, dot segments). */
export function segmentArb(schema: Schema, pool: readonly string[]): fc.Arbitrary<string> {
  return fc.oneof(
    { arbitrary: validArb(schema).map((v) => encodeURIComponent(String(v))), weight: 3 },
    ...(pool.length ? [{ arbitrary: fc.constantFrom(...pool).map(encodeURIComponent), weight: 3 }] : []),
    { arbitrary: hostileString.filter((s) => s.length < 3000).map(encodeURIComponent), weight: 3 },
    { arbitrary: fc.constantFrom('%zz', '%', '%00', '%2e%2e', '%2F', '..', '.', '%C0%AE', '%E2%80%AE', 'a%20b', '-1', '0', 'NaN', '1e3', '99999999999999999999'), weight: 1 },
  );
}

/** A query value, encoded; an array means the key is repeated. */
export function queryValueArb(schema: Schema, pool: readonly string[]): fc.Arbitrary<string | string[]> {
  const one = fc.oneof(
    { arbitrary: validArb(schema).map((v) => encodeURIComponent(String(v))), weight: 4 },
    ...(pool.length ? [{ arbitrary: fc.constantFrom(...pool).map(encodeURIComponent), weight: 1 }] : []),
    { arbitrary: hostileString.filter((s) => s.length < 3000).map(encodeURIComponent), weight: 3 },
    { arbitrary: fc.constantFrom('%zz', '', 'NaN', '-0', '1e400', '0x10', ' 1', '1,2', '[]', 'true'), weight: 1 },
  );
  return fc.oneof({ arbitrary: one, weight: 5 }, { arbitrary: fc.array(one, { minLength: 2, maxLength: 3 }), weight: 1 });
}

/** Header values must be printable ASCII to be sent at all (fetch refuses the rest, as HTTP does). */
const headerSafe = (s: string) => /^[\x20-\x7e]*$/.test(s) && s.length < 8000;
export const hostileHeader: fc.Arbitrary<string> = fc.oneof(
  hostileString.filter(headerSafe),
  fc.string({ maxLength: 60, unit: 'binary-ascii' }).filter(headerSafe),
  fc.constantFrom('', ' ', 'null', '-1', 'x'.repeat(7000)),
);

export const acceptLanguageArb: fc.Arbitrary<string | undefined> = fc.oneof(
  fc.constant(undefined),
  fc.constantFrom('es', 'en', 'en-US,en;q=0.9', 'fr', '*', 'es-MX;q=abc', 'zz-ZZ', ''),
  hostileHeader,
);
