import { type TSchema, Type } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { clampLimit } from '../http/envelope.js';
import { authOf } from '../http/request-context.js';
import type { Actor } from './audit/audit.repository.js';

/** The audit actor of a request: the verified user and the request id. */
export function actorOf(request: FastifyRequest): Actor {
  return { userId: authOf(request).userId, requestId: request.id };
}

/** `T | null`, for optional fields a PATCH may clear. */
export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

/** Paging query members shared by every list: any integer limit is accepted and clamped. */
export const pagingQuery = {
  limit: Type.Optional(Type.Integer()),
  cursor: Type.Optional(Type.String({ maxLength: 2000 })),
};

/** Clamped limit plus cursor, ready for a service call. */
export function paging(q: { limit?: number; cursor?: string }) {
  return { limit: clampLimit(q.limit), cursor: q.cursor };
}

/** Path ids are opaque: an unknown or foreign id is simply not found (404), never a 400. */
export const IdParams = Type.Object(
  { id: Type.String({ minLength: 1, maxLength: 100 }) },
  { additionalProperties: false },
);

/** `{ data, meta: { nextCursor, limit } }` for a service page. */
export function pageBody<T>(page: { items: T[]; nextCursor: string | null }, limit: number) {
  return { data: page.items, meta: { nextCursor: page.nextCursor, limit } };
}

/** A string limited to `values`, typed as their union (and an `enum` in the OpenAPI document). */
export const StringEnum = <T extends string>(values: readonly T[]) =>
  Type.Unsafe<T>({ type: 'string', enum: [...values] });
