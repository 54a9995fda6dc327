import { Type } from '@fastify/type-provider-typebox';
import { ERROR_CODES, type ErrorCode } from '../../errors/error-codes.js';
import { named } from './named-schema.js';
import { type HeaderSpec, StringEnum } from './schema-helpers.js';

export const PROBLEM_MEDIA_TYPE = 'application/problem+json';

/** One `{ path, message }` of a 400/422: which part of the request is wrong, and how. */
export const FieldError = named(
  'FieldError',
  Type.Object({
    path: Type.String({
      description: 'JSON pointer rooted at the request part: `/body/church/slug`, `/query/limit`',
    }),
    message: Type.String(),
  }),
);

/** Every error code of the registry (src/errors/error-codes.ts). */
export const ProblemCode = named(
  'ProblemCode',
  StringEnum(Object.keys(ERROR_CODES) as ErrorCode[], {
    description: 'Stable error code; `title` follows it.',
  }),
);

/** The members every problem has; modules extend it with their own (see ImportProblem). */
export const problemMembers = {
  type: Type.String({ description: '`urn:steeple:problem:<code>`, e.g. `urn:steeple:problem:not-found`' }),
  title: Type.String(),
  status: Type.Integer({ minimum: 400, maximum: 599 }),
  detail: Type.String(),
  code: ProblemCode,
  requestId: Type.String({ description: 'Also sent as `x-request-id`; quote it when reporting a fault.' }),
  errors: Type.Optional(Type.Array(FieldError, { description: 'The fields at fault (400 and 422).' })),
};

/** RFC 9457 problem details: the body of every error response. */
export const Problem = named(
  'Problem',
  Type.Object(problemMembers, {
    description: 'RFC 9457 problem details. Some operations add extension members (see ImportProblem).',
  }),
);

const RETRY_AFTER: Record<string, HeaderSpec> = {
  'retry-after': {
    schema: { type: 'integer', minimum: 1 },
    description: 'Seconds to wait before trying again.',
    required: true,
  },
};

/** The error statuses the API uses, each a named response in the document. */
export const PROBLEM_STATUSES = {
  400: { name: 'BadRequest', description: 'The request is malformed or fails its schema; nothing changed.' },
  401: { name: 'Unauthorized', description: 'No valid credentials (missing, expired or revoked token).' },
  403: { name: 'Forbidden', description: 'The caller may not do this, or the church is suspended.' },
  404: { name: 'NotFound', description: 'No such resource for this caller.' },
  409: { name: 'Conflict', description: 'The request conflicts with the current state; nothing changed.' },
  410: { name: 'Gone', description: 'The link was used, withdrawn or has expired; ask for a new one.' },
  413: { name: 'PayloadTooLarge', description: 'The request body is larger than this operation accepts.' },
  414: { name: 'UriTooLong', description: 'A path parameter is longer than 100 characters.' },
  415: {
    name: 'UnsupportedMediaType',
    description: 'The request body has a content type this operation does not take.',
  },
  422: {
    name: 'Unprocessable',
    description: 'The request is well formed but cannot be applied; nothing changed.',
  },
  429: {
    name: 'TooManyRequests',
    description: 'Too many requests; wait `Retry-After` seconds.',
    headers: RETRY_AFTER,
  },
  500: {
    name: 'InternalError',
    description: 'An unexpected fault; the request id identifies it in the logs.',
  },
  503: {
    name: 'ServiceUnavailable',
    description:
      'A dependency is unavailable or the server is shutting down; retry after `Retry-After` seconds.',
    headers: RETRY_AFTER,
  },
} as const satisfies Record<
  number,
  { name: string; description: string; headers?: Record<string, HeaderSpec> }
>;

export type ProblemStatus = keyof typeof PROBLEM_STATUSES;

/** The route-schema entry of one problem status (its runtime serializer, and its document entry). */
export function problemResponse(status: ProblemStatus, schema = Problem) {
  const spec: { description: string; headers?: Record<string, HeaderSpec> } = PROBLEM_STATUSES[status];
  return {
    description: spec.description,
    content: { [PROBLEM_MEDIA_TYPE]: { schema } },
  };
}

/**
 * The problem statuses a route can answer beyond the ones every route gets (see
 * route-conventions.ts): `response: { 200: ..., ...problems(409) }`.
 */
export function problems(...statuses: ProblemStatus[]) {
  return Object.fromEntries(statuses.map((s) => [s, problemResponse(s)]));
}
