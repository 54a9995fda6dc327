import { type TSchema, Type } from 'typebox';

/** Success body `{ data, meta? }`. */
export function ok<T>(data: T, meta?: Record<string, unknown>) {
  return meta ? { data, meta } : { data };
}

/** Response schema for `{ data }`. */
export const DataEnvelope = <T extends TSchema>(data: T) => Type.Object({ data });

/** Response schema for a cursor page `{ data: [...], meta: { nextCursor, limit } }`. */
export const PageEnvelope = <T extends TSchema>(item: T) =>
  Type.Object({
    data: Type.Array(item),
    meta: Type.Object({ nextCursor: Type.Union([Type.String(), Type.Null()]), limit: Type.Integer() }),
  });

/** The RFC 9457 problem schema, for the OpenAPI document. */
export const Problem = Type.Object({
  type: Type.String(),
  title: Type.String(),
  status: Type.Integer(),
  detail: Type.String(),
  code: Type.String(),
  requestId: Type.String(),
  errors: Type.Optional(Type.Array(Type.Object({ path: Type.String(), message: Type.String() }))),
});

/** Clamps `?limit=` to 1..200 (default 50) rather than rejecting large values. */
export function clampLimit(limit: number | undefined, def = 50): number {
  if (limit === undefined || !Number.isFinite(limit)) return def;
  return Math.min(200, Math.max(1, Math.trunc(limit)));
}
