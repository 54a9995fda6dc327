import { AppError } from '../errors/app-error.js';

/** Auth failures. One body per kind, whatever the reason, so responses reveal nothing. */
export const AuthErrors = {
  invalidCredentials: () => new AppError('INVALID_CREDENTIALS', 'The church, email or password is wrong.'),
  tenantSuspended: () => new AppError('TENANT_SUSPENDED', 'This church is suspended.'),
};
