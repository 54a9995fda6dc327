import { ERROR_CODES, type ErrorCode } from './error-codes.js';

export interface FieldError {
  /** JSON pointer into the request, rooted at its part: `/body/church/slug`, `/query/limit`. */
  path: string;
  message: string;
}

export interface AppErrorOptions {
  errors?: FieldError[];
  /** Seconds, sent as `Retry-After`. */
  retryAfter?: number;
  cause?: unknown;
  /** Extra members for the problem body (e.g. an import report). Never secrets. */
  extensions?: Record<string, unknown>;
}

/** An expected failure with a stable code; the error renderer turns it into RFC 9457 JSON. */
export class AppError extends Error {
  override name = 'AppError';
  readonly status: number;
  readonly errors: FieldError[] | undefined;
  readonly retryAfter: number | undefined;
  readonly extensions: Record<string, unknown> | undefined;

  constructor(
    readonly code: ErrorCode,
    detail?: string,
    options: AppErrorOptions = {},
  ) {
    super(detail ?? ERROR_CODES[code].title, { cause: options.cause });
    this.status = ERROR_CODES[code].status;
    this.errors = options.errors;
    this.retryAfter = options.retryAfter;
    this.extensions = options.extensions;
  }
}

/** Factories for the codes every module uses. Modules add their own next to their services. */
export const Errors = {
  validation: (errors: FieldError[], detail = 'The request is not valid.') =>
    new AppError('VALIDATION_FAILED', detail, { errors }),
  unauthenticated: () => new AppError('UNAUTHENTICATED', 'A valid access token is required.'),
  forbidden: (detail = 'You do not have permission to do this.') => new AppError('FORBIDDEN', detail),
  notFound: (what = 'resource') => new AppError('NOT_FOUND', `The ${what} was not found.`),
  conflict: (detail: string) => new AppError('CONFLICT', detail),
  rateLimited: (retryAfter: number) =>
    new AppError('RATE_LIMITED', 'Too many requests; try again later.', { retryAfter }),
  serviceUnavailable: (detail: string, retryAfter = 1) =>
    new AppError('SERVICE_UNAVAILABLE', detail, { retryAfter }),
};
