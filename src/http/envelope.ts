import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import { type TSchema, Type } from 'typebox';
import { named } from './openapi/named-schema.js';

/** Success body `{ data, meta? }`. */
export function ok<T>(data: T, meta?: Record<string, unknown>) {
  return meta ? { data, meta } : { data };
}

/** Response schema for `{ data }`. */
export const DataEnvelope = <T extends TSchema>(data: T) => Type.Object({ data });

export const DEFAULT_PAGE_LIMIT = 50;
export const MAX_PAGE_LIMIT = 200;

/** `meta` of every cursor page. */
export const PageMeta = named(
  'PageMeta',
  Type.Object({
    nextCursor: Type.Union([Type.String(), Type.Null()], {
      description: 'Pass as `cursor` for the next page; null on the last page.',
    }),
    limit: Type.Integer({ minimum: 1, maximum: MAX_PAGE_LIMIT }),
  }),
);

/** Response schema for a cursor page `{ data: [...], meta: { nextCursor, limit } }`. */
export const PageEnvelope = <T extends TSchema>(item: T) =>
  Type.Object({ data: Type.Array(item), meta: PageMeta });

/** The `limit` query parameter of every list: declared 1..200 (default 50); other integers are clamped. */
export const PageLimit = Type.Integer({
  minimum: 1,
  maximum: MAX_PAGE_LIMIT,
  default: DEFAULT_PAGE_LIMIT,
  description: `Page size, 1..${MAX_PAGE_LIMIT} (default ${DEFAULT_PAGE_LIMIT}); a larger or smaller integer is clamped into that range.`,
});

/** Clamps a limit into 1..200 (default 50) rather than rejecting large values. */
export function clampLimit(limit: number | undefined, def = DEFAULT_PAGE_LIMIT): number {
  if (limit === undefined || !Number.isFinite(limit)) return def;
  return Math.min(MAX_PAGE_LIMIT, Math.max(1, Math.trunc(limit)));
}

/**
 * preValidation hook of paging routes: an integer `?limit=` outside 1..200 is clamped before the
 * schema sees it, so `limit=100000` lists 200 rather than failing. Anything else is left to the
 * schema (a 400).
 */
export function clampPageLimit(request: FastifyRequest, _reply: FastifyReply, done: HookHandlerDoneFunction) {
  const query = request.query as Record<string, unknown> | undefined;
  const raw = query?.limit;
  if (typeof raw === 'string' && /^-?\d{1,15}$/.test(raw)) query!.limit = String(clampLimit(Number(raw)));
  done();
}
