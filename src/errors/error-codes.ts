/** The one registry of error codes: every problem response uses a code from here. */
export const ERROR_CODES = {
  VALIDATION_FAILED: { status: 400, title: 'Request validation failed' },
  TOKEN_INVALID: { status: 400, title: 'The link is not valid' },
  UNAUTHENTICATED: { status: 401, title: 'Authentication required' },
  INVALID_CREDENTIALS: { status: 401, title: 'Invalid credentials' },
  FORBIDDEN: { status: 403, title: 'Forbidden' },
  TENANT_SUSPENDED: { status: 403, title: 'Church is suspended' },
  NOT_FOUND: { status: 404, title: 'Not found' },
  NO_GIFTS: { status: 404, title: 'No gifts in that year' },
  METHOD_NOT_ALLOWED: { status: 405, title: 'Method not allowed' },
  REQUEST_TIMEOUT: { status: 408, title: 'Request timeout' },
  CONFLICT: { status: 409, title: 'Conflict' },
  PAYLOAD_TOO_LARGE: { status: 413, title: 'Payload too large' },
  URI_TOO_LONG: { status: 414, title: 'URI too long' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, title: 'Unsupported media type' },
  TOKEN_EXPIRED: { status: 410, title: 'The link has expired' },
  TOKEN_USED: { status: 410, title: 'The link has already been used' },
  TOKEN_REVOKED: { status: 410, title: 'The link has been withdrawn' },
  UNPROCESSABLE: { status: 422, title: 'Unprocessable content' },
  RATE_LIMITED: { status: 429, title: 'Too many requests' },
  HEADERS_TOO_LARGE: { status: 431, title: 'Request header fields too large' },
  INTERNAL: { status: 500, title: 'Internal server error' },
  TENANT_UNAVAILABLE: { status: 503, title: 'Church database unavailable' },
  SERVICE_UNAVAILABLE: { status: 503, title: 'Service unavailable' },
  TIMEOUT: { status: 504, title: 'Timed out' },
} as const satisfies Record<string, { status: number; title: string }>;

export type ErrorCode = keyof typeof ERROR_CODES;
