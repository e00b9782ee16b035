// How requests are validated: request bodies exactly as sent, everything else as text that may be
// read as a number or a boolean.
//
// Ajv's coerceTypes turned `{"lat":null}` into an alert at (0, 0) and `{"word":true}` into the code
// word "true". A JSON body already carries its own types, so a wrong one is refused (400), never
// converted. Query strings, path parameters and headers are always text on the wire: there "5" for
// an integer is the only way to say 5, so they keep Fastify's usual conversion ('array': also one
// value for a one-item list) and their defaults.
//
// Both Ajv instances come from Fastify's own compiler factory (@fastify/ajv-compiler), so they get
// exactly Fastify's defaults (useDefaults, ajv-formats, fast-uri, allErrors: false) and the shared
// schemas added with app.addSchema.
import { AjvCompiler } from '@fastify/ajv-compiler';
import type { FastifyServerOptions } from 'fastify';

/** Options both instances share. Extra properties are refused by the schemas, never silently dropped. */
const shared = { removeAdditional: false, allErrors: false } as const;

export const bodyAjvOptions = { ...shared, coerceTypes: false } as const;
export const textAjvOptions = { ...shared, coerceTypes: 'array' } as const;

type ValidatorFactory = NonNullable<NonNullable<NonNullable<FastifyServerOptions['schemaController']>['compilersFactory']>['buildValidator']>;

/** Fastify's `schemaController` option: one compiler for bodies, another for the text parts. */
export function schemaController(): NonNullable<FastifyServerOptions['schemaController']> {
  const pool = AjvCompiler();
  const buildValidator: ValidatorFactory = (externalSchemas) => {
    const body = pool(externalSchemas, { customOptions: bodyAjvOptions });
    const text = pool(externalSchemas, { customOptions: textAjvOptions });
    return (route) => refusingNul(route.httpPart === 'body' ? body(route) : text(route));
  };
  return { compilersFactory: { buildValidator } };
}

type Validate = ((data: unknown, ctx?: unknown) => unknown) & { errors?: unknown[] | null; schemaEnv?: unknown };

/** Where a string with U+0000 is in a validated value, as a JSON pointer; null when none. */
function nulAt(v: unknown, path: string, depth: number): string | null {
  if (typeof v === 'string') return v.includes('\u0000') ? path : null;
  if (v === null || typeof v !== 'object' || depth > 64) return null;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) { const at = nulAt(v[i], `${path}/${i}`, depth + 1); if (at !== null) return at; }
    return null;
  }
  for (const k in v) {
    if (k.includes('\u0000')) return `${path}/${k}`;
    const at = nulAt((v as Record<string, unknown>)[k], `${path}/${k}`, depth + 1);
    if (at !== null) return at;
  }
  return null;
}

/**
 * Valid by the schema is not enough: a string with U+0000 (no person types one) is refused too, in
 * bodies, path parameters, query strings and headers alike. PostgreSQL cannot store it in text and
 * answered 500 ("invalid byte sequence") to a contact's name or an alert's note carrying one
 * (found by tests/http/fuzz.test.ts); SQLite would store it and C-string readers would cut it.
 */
function refusingNul<F>(compiled: F): F {
  const validate = compiled as unknown as Validate;
  const wrapped: Validate = (data, ctx) => {
    const ok = ctx === undefined ? validate(data) : validate(data, ctx);
    if (ok !== true) { wrapped.errors = validate.errors ?? null; return ok; }
    const at = nulAt(data, '', 0);
    if (at === null) { wrapped.errors = null; return true; }
    wrapped.errors = [{ keyword: 'nul', instancePath: at, schemaPath: '#', params: {}, message: 'must not contain U+0000' }];
    return false;
  };
  // Fastify passes the parent (so Ajv may replace a coerced root value) only to validators that have a schemaEnv.
  if (validate.schemaEnv) wrapped.schemaEnv = validate.schemaEnv;
  return wrapped as unknown as F;
}

/**
 * A stand-alone validator built the way the app builds body validators: tests use it to check that
 * a body they made up is valid before they spoil one field of it.
 */
export function compileBodyValidator(schema: object): (data: unknown) => boolean {
  const validate = AjvCompiler()({}, { customOptions: bodyAjvOptions })({ schema, httpPart: 'body' });
  return (data) => validate(data) as boolean;
}
