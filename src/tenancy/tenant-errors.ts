import { AppError } from '../errors/app-error.js';

// Manager failures are AppErrors so any caller (auth hook, job, route) can rethrow them as-is;
// the subclasses let a caller tell them apart (e.g. the auth hook maps an unknown tenant to 401).

/** The id is not a strict lowercase UUID: rejected before any file, pool or database is touched. */
export class InvalidTenantIdError extends AppError {
  override name = 'InvalidTenantIdError';
  constructor() {
    super('VALIDATION_FAILED', 'The church id is not valid.', {
      errors: [{ path: '/tenantId', message: 'is not a valid id' }],
    });
  }
}

/** The catalog has no such tenant. Nothing was opened or created. */
export class UnknownTenantError extends AppError {
  override name = 'UnknownTenantError';
  constructor(readonly tenantId: string) {
    super('NOT_FOUND', 'The church was not found.');
  }
}

/** The tenant exists but its database cannot be used now (budget wait timed out, open failed, shutting down). */
export class TenantUnavailableError extends AppError {
  override name = 'TenantUnavailableError';
  constructor(
    readonly tenantId: string,
    readonly reason: 'budget' | 'open' | 'closed',
    retryAfter = 1,
    cause?: unknown,
  ) {
    super('TENANT_UNAVAILABLE', 'The church database is temporarily unavailable.', { retryAfter, cause });
  }
}
