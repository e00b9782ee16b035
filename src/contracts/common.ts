// Pieces every contract file uses. Like all of src/contracts/, imports nothing but typebox: the
// pages import these types (type-only), so nothing server-side can reach the bundle.
import { Type, type Static, type TSchema } from 'typebox';

/** A value or null (JSON has no undefined: an absent fact is sent as null). */
export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

/** An instant as ISO 8601 text in UTC, e.g. 2026-03-01T12:00:00.000Z. */
export const IsoTime = (options: { description?: string } = {}) => Type.String({ format: 'date-time', ...options });

/**
 * Every error the server sends: {"error":{"code","message","details"?}}, the message in the caller's
 * language (Accept-Language). The codes are catalogued in docs/ERRORS.md.
 */
export const ErrorBody = Type.Object({
  error: Type.Object({
    code: Type.String({ description: 'Stable code from docs/ERRORS.md' }),
    message: Type.String({ description: 'In the language of Accept-Language' }),
    details: Type.Optional(Type.Unknown()),
  }),
});
export type ErrorBody = Static<typeof ErrorBody>;
