import type { FastifyRequest } from 'fastify';
import type { AuthContext } from '../auth/auth-context.js';
import type { Permission } from '../auth/roles.js';
import type { TenantDb } from '../tenancy/tenant-database.js';
import { Errors } from '../errors/app-error.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the tenant-context hook for authenticated routes. */
    auth: AuthContext | null;
    /** The request's leased tenant database; released on every request-ending hook. */
    tenantDb: TenantDb | null;
  }
  interface FastifyContextConfig {
    /** The permission a tenant route needs; a tenant route without one is refused. */
    permission?: Permission;
  }
}

/** The caller of an authenticated route (throws 401 if the hook did not run). */
export function authOf(request: FastifyRequest): AuthContext {
  if (!request.auth) throw Errors.unauthenticated();
  return request.auth;
}

/** The leased tenant database of an authenticated route. */
export function tenantDbOf(request: FastifyRequest): TenantDb {
  if (!request.tenantDb) throw Errors.unauthenticated();
  return request.tenantDb;
}
