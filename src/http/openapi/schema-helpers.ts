import { type TSchema, Type } from '@fastify/type-provider-typebox';

/** A string limited to `values`, typed as their union (and an `enum` in the OpenAPI document). */
export const StringEnum = <T extends string>(values: readonly T[], options: { description?: string } = {}) =>
  Type.Unsafe<T>({ type: 'string', enum: [...values], ...options });

/** `T | null`, for optional fields a PATCH may clear. */
export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

/** Money in integer cents: `int64`, since totals pass 2^31 (a client must not use a 32-bit integer). */
export const CentsValue = (options: { minimum?: number; maximum?: number; description?: string } = {}) =>
  Type.Integer({ format: 'int64', ...options });

/** One response header as declared in the document. `required`: every such response carries it. */
export interface HeaderSpec {
  schema: { type: 'string' | 'integer'; minimum?: number; enum?: string[] };
  description: string;
  required?: boolean;
}

/** Marks a declared header as always present; the document finisher turns it into `required: true`. */
export const HEADER_REQUIRED = 'x-required';

/**
 * A response schema that also declares headers (`Location`, `Cache-Control`, ...). The
 * conformance test fails a response that carries one of these headers undeclared.
 */
export function withHeaders<T extends object>(schema: T, headers: Record<string, HeaderSpec>): T {
  const declared = Object.fromEntries(
    Object.entries(headers).map(([name, h]) => [
      name,
      { ...h.schema, description: h.description, ...(h.required ? { [HEADER_REQUIRED]: true } : {}) },
    ]),
  );
  // Adds to headers declared before (a session response that also sets a cookie).
  const before = (schema as { headers?: Record<string, unknown> }).headers;
  return { ...schema, headers: { ...before, ...declared } };
}

/** `Cache-Control: no-store`: tokens and financial data are never kept by shared or browser caches. */
export const NO_STORE: Record<string, HeaderSpec> = {
  'cache-control': {
    schema: { type: 'string', enum: ['no-store'] },
    description: 'Never cached: the body holds credentials or financial data.',
    required: true,
  },
};

/** A 204: the route replies with `reply.status(204).send()` (typed void, `type: null` in the document). */
export const NoContent = Type.Unsafe<void>({ type: 'null', description: 'Done; the response has no body.' });

/** The marker `optionalBody` leaves on a body schema (the document finisher reads it). */
export const OPTIONAL_BODY = 'x-optional-body';

/**
 * A body the client may leave out: the document says `required: false`. The route must then
 * default it itself (a `preValidation` that sets `request.body ??= {}`).
 */
export const optionalBody = <T extends TSchema>(schema: T): T => ({ ...schema, [OPTIONAL_BODY]: true });
