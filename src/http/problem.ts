import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, type FieldError } from '../errors/app-error.js';
import { ERROR_CODES, type ErrorCode } from '../errors/error-codes.js';
import { isTransientDbError, isUnstorableText } from '../infra/db/errors.js';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json; charset=utf-8';

/** Maps a framework status (parse errors, limits) to our stable code. */
const STATUS_CODES: Record<number, ErrorCode> = {
  400: 'VALIDATION_FAILED',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  408: 'REQUEST_TIMEOUT',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  414: 'URI_TOO_LONG',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  431: 'HEADERS_TOO_LARGE',
  429: 'RATE_LIMITED',
  503: 'SERVICE_UNAVAILABLE',
};

interface AjvIssue {
  instancePath: string;
  keyword: string;
  message?: string;
  params: Record<string, unknown>;
}

const PART_NAMES: Record<string, string> = {
  querystring: 'query',
  body: 'body',
  params: 'params',
  headers: 'headers',
};

/** Turns Ajv issues into `{ path, message }` with the offending property in the path. */
export function fieldErrors(issues: AjvIssue[], context = 'body'): FieldError[] {
  const root = `/${PART_NAMES[context] ?? context}`;
  return issues.map((i) => {
    const prop = (i.params.missingProperty ?? i.params.additionalProperty) as string | undefined;
    const path = `${root}${i.instancePath}${prop ? `/${prop}` : ''}`;
    const message =
      i.keyword === 'additionalProperties' ? 'is not an allowed property' : (i.message ?? 'is invalid');
    return { path, message };
  });
}

/** Normalizes anything thrown into an AppError; unknown errors become INTERNAL. */
export function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  const fe = err as FastifyError & { validationContext?: string };
  if (Array.isArray(fe?.validation)) {
    return new AppError('VALIDATION_FAILED', 'The request is not valid.', {
      errors: fieldErrors(fe.validation as AjvIssue[], fe.validationContext),
    });
  }
  if (fe instanceof SyntaxError || fe?.code === 'FST_ERR_CTP_INVALID_JSON_BODY') {
    return new AppError('VALIDATION_FAILED', 'The request body is not valid JSON.', {
      errors: [{ path: '/body', message: 'is not valid JSON' }],
    });
  }
  if (isUnstorableText(err)) {
    return new AppError('VALIDATION_FAILED', 'The request contains characters that cannot be stored.', {
      cause: err,
    });
  }
  if (isTransientDbError(err)) {
    return new AppError('SERVICE_UNAVAILABLE', 'A database is temporarily unavailable.', {
      retryAfter: 1,
      cause: err,
    });
  }
  const status = typeof fe?.statusCode === 'number' ? fe.statusCode : 500;
  const code = status < 500 ? STATUS_CODES[status] : undefined;
  if (code) return new AppError(code, safeDetail(code, fe), { cause: err });
  return new AppError('INTERNAL', 'An unexpected error occurred.', { cause: err });
}

// Framework messages for client errors are safe to show; keep them short and generic otherwise
// (the router's own messages quote the whole URL).
function safeDetail(code: ErrorCode, fe: FastifyError): string {
  if (code === 'PAYLOAD_TOO_LARGE') return 'The request body is too large.';
  if (code === 'UNSUPPORTED_MEDIA_TYPE') return 'This content type is not supported here.';
  if (code === 'URI_TOO_LONG') return 'A path parameter is longer than 100 characters.';
  if (fe.code === 'FST_ERR_BAD_URL') return 'The URL is not valid (bad percent-encoding).';
  return typeof fe.message === 'string' && fe.message.length < 200 ? fe.message : ERROR_CODES[code].title;
}

/** The RFC 9457 body of an error: what every problem response carries. */
export function problemBody(err: AppError, requestId: string): Record<string, unknown> {
  const body: Record<string, unknown> = {
    type: `urn:steeple:problem:${err.code.toLowerCase().replaceAll('_', '-')}`,
    title: ERROR_CODES[err.code].title,
    status: err.status,
    detail: err.message,
    code: err.code,
    requestId,
    ...err.extensions,
  };
  if (err.errors) body.errors = err.errors;
  return body;
}

// 429 and 503 always say when to come back (the document declares Retry-After required on both).
const RETRY_STATUSES = new Set([429, 503]);

/** The single renderer: every error response in the API is written here. */
export function sendProblem(request: FastifyRequest, reply: FastifyReply, err: AppError) {
  const retryAfter = err.retryAfter ?? (RETRY_STATUSES.has(err.status) ? 1 : undefined);
  if (retryAfter !== undefined) reply.header('retry-after', String(Math.max(1, Math.ceil(retryAfter))));
  // Framework errors raised before the request hooks (a bad URL) still name their request.
  reply.header('x-request-id', request.id);
  return reply.status(err.status).type(PROBLEM_CONTENT_TYPE).send(problemBody(err, request.id));
}
