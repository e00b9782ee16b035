// Valid examples made from a route's JSON Schema (TypeBox emits plain JSON Schema), and the
// list of its fields with the JSON types each allows — what the coercion test spoils one at a
// time, and what the fuzz suite starts from.
import fc from 'fast-check';

export type JsonType = 'null' | 'boolean' | 'integer' | 'number' | 'string' | 'array' | 'object';
export type Path = (string | number)[];

export interface Schema {
  type?: JsonType | JsonType[];
  const?: unknown;
  enum?: unknown[];
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
  properties?: Record<string, Schema>;
  patternProperties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  multipleOf?: number;
  default?: unknown;
  examples?: unknown[];
}

const FORMATS: Record<string, string> = {
  'date-time': '2026-03-01T12:34:56.000Z',
  date: '2026-03-01',
  time: '12:34:56Z',
  email: 'persona@example.org',
  uri: 'https://example.org/a',
  url: 'https://example.org/a',
  uuid: '6f1c2c9e-5b1a-4c3e-9a7e-2d1f0b9c8a71',
  ipv4: '192.0.2.10',
  ipv6: '2001:db8::10',
  hostname: 'example.org',
};

function stringExample(s: Schema, seed: number): string {
  const min = s.minLength ?? 0;
  const max = s.maxLength ?? Math.max(min, 24);
  if (s.format && FORMATS[s.format] !== undefined) return FORMATS[s.format]!;
  if (s.pattern) {
    const arb = fc.stringMatching(new RegExp(s.pattern)).filter((v) => v.length >= min && v.length <= max);
    const [v] = fc.sample(arb, { numRuns: 1, seed });
    if (v === undefined) throw new Error(`no example for pattern ${s.pattern}`);
    return v;
  }
  // Letters and digits, long enough for minLength, short of maxLength: e.g. "ejemplo7".
  const base = 'ejemplo7valido';
  let out = base.slice(0, Math.min(max, Math.max(min, 8)));
  while (out.length < min) out += base;
  return out.slice(0, Math.max(min, Math.min(max, out.length)));
}

function numberExample(s: Schema, integer: boolean): number {
  const lo = s.minimum ?? (s.exclusiveMinimum !== undefined ? s.exclusiveMinimum + (integer ? 1 : 0.5) : undefined);
  const hi = s.maximum ?? (s.exclusiveMaximum !== undefined ? s.exclusiveMaximum - (integer ? 1 : 0.5) : undefined);
  // A value inside the range and away from 0, so that a coerced null (0) or true (1) is not what we sent.
  let v = lo !== undefined && hi !== undefined ? lo + (hi - lo) * 0.37 : lo !== undefined ? lo + 7.25 : hi !== undefined ? hi - 7.25 : 19.43;
  if (integer) v = Math.ceil(v);
  else v = Math.round(v * 100) / 100;
  if (lo !== undefined && v < lo) v = lo;
  if (hi !== undefined && v > hi) v = hi;
  return v;
}

const typesOf = (s: Schema): JsonType[] => (s.type === undefined ? [] : Array.isArray(s.type) ? s.type : [s.type]);

/** A value the schema accepts. Deterministic for a seed. */
export function example(s: Schema, seed = 42): unknown {
  if (s.default !== undefined) return structuredClone(s.default);
  if (s.const !== undefined) return s.const;
  if (s.enum) return s.enum[0];
  const branches = s.anyOf ?? s.oneOf;
  if (branches) {
    // Prefer a branch that is not null, so nested fields exist to be spoiled.
    const branch = branches.find((b) => !typesOf(b).includes('null') && b.const !== null) ?? branches[0]!;
    return example(branch, seed);
  }
  if (s.allOf) return Object.assign({}, ...s.allOf.map((b) => example(b, seed)));
  const type = typesOf(s).find((t) => t !== 'null') ?? typesOf(s)[0] ?? (s.properties ? 'object' : undefined);
  switch (type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(s.properties ?? {})) out[k] = example(v, seed + k.length);
      return out;
    }
    case 'array': return Array.from({ length: Math.max(1, s.minItems ?? 0) }, (_, i) => example(s.items ?? {}, seed + i));
    case 'string': return stringExample(s, seed);
    case 'integer': return numberExample(s, true);
    case 'number': return numberExample(s, false);
    case 'boolean': return true;
    case 'null': return null;
    default: return {};
  }
}

/** The JSON types a schema can accept; null when it accepts anything (Type.Unknown()). */
export function allowedTypes(s: Schema): Set<JsonType> | null {
  const branches = s.anyOf ?? s.oneOf;
  if (branches) {
    const out = new Set<JsonType>();
    for (const b of branches) {
      const t = allowedTypes(b);
      if (t === null) return null;
      for (const x of t) out.add(x);
    }
    return out;
  }
  const values = s.const !== undefined ? [s.const] : s.enum;
  if (values) return new Set(values.map(jsonType));
  const types = typesOf(s);
  if (types.length === 0) return s.properties ? new Set(['object']) : null;
  const out = new Set(types);
  if (out.has('number')) out.add('integer');
  return out;
}

export function jsonType(v: unknown): JsonType {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v as JsonType;
}

export interface Field { path: Path; schema: Schema }

/**
 * Every field of an example body, top level and nested (object properties, and the first item of
 * arrays), with the body itself as the field at path [].
 */
export function fields(s: Schema, value: unknown, path: Path = []): Field[] {
  const out: Field[] = [{ path, schema: s }];
  if (value !== null && typeof value === 'object' && !Array.isArray(value) && s.properties) {
    for (const [k, sub] of Object.entries(s.properties)) out.push(...fields(sub, (value as Record<string, unknown>)[k], [...path, k]));
  } else if (Array.isArray(value) && s.items && value.length > 0) {
    out.push(...fields(s.items, value[0], [...path, 0]));
  }
  return out;
}

export function getAt(value: unknown, path: Path): unknown {
  return path.reduce<unknown>((v, k) => (v as Record<string | number, unknown>)[k], value);
}

/** A copy of `value` with the field at `path` replaced. */
export function setAt(value: unknown, path: Path, replacement: unknown): unknown {
  if (path.length === 0) return replacement;
  const copy = structuredClone(value) as Record<string | number, unknown>;
  let parent = copy;
  for (const k of path.slice(0, -1)) parent = parent[k] as Record<string | number, unknown>;
  parent[path[path.length - 1]!] = replacement;
  return copy;
}

/**
 * Values of the wrong JSON type for a field, each one that a coercing validator would have turned
 * into a valid value: null (→ 0, ""), true/false (→ 1/0, "true"), the field's own number as text,
 * its own string as a number when it is all digits, and the valid value wrapped in a one-item list.
 */
export function wrongTypedValues(s: Schema, valid: unknown): { label: string; value: unknown }[] {
  const allowed = allowedTypes(s);
  if (allowed === null) return [];
  const numeric = typeof valid === 'number' ? valid : typeof valid === 'string' && /^-?\d+(\.\d+)?$/.test(valid) ? Number(valid) : 12345;
  const candidates: { label: string; value: unknown }[] = [
    { label: 'null', value: null },
    { label: 'true', value: true },
    { label: 'false', value: false },
    { label: 'numeric string', value: String(numeric) },
    { label: 'number', value: numeric },
    { label: 'one-item array', value: [valid] },
    { label: 'object', value: {} },
  ];
  return candidates.filter(({ value }) => {
    const t = jsonType(value);
    return !(allowed.has(t) || (t === 'integer' && allowed.has('number')));
  });
}
