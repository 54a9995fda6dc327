import { Type } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { DEFAULT_PAGE_LIMIT, PageLimit } from '../http/envelope.js';
import { Nullable, StringEnum } from '../http/openapi/schema-helpers.js';
import { authOf } from '../http/request-context.js';
import type { Actor } from './audit/audit.repository.js';

/** The audit actor of a request: the verified user and the request id. */
export function actorOf(request: FastifyRequest): Actor {
  return { userId: authOf(request).userId, requestId: request.id };
}

/** Paging query members shared by every list (the limit is clamped before validation). */
export const pagingQuery = {
  limit: Type.Optional(PageLimit),
  cursor: Type.Optional(
    Type.String({ maxLength: 2000, description: "The previous page's `meta.nextCursor`." }),
  ),
};

/** Limit (defaulted and clamped by the route conventions) plus cursor, ready for a service call. */
export function paging(q: { limit?: number; cursor?: string }) {
  return { limit: q.limit ?? DEFAULT_PAGE_LIMIT, cursor: q.cursor };
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

export { Nullable, StringEnum };
