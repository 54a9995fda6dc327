import type { FastifyRequest } from 'fastify';
import type { Permission, Role } from '../auth/roles.js';
import type { TenantDb } from '../tenancy/tenant-database.js';
import { Errors } from './app-error.js';

/** Who is calling, from the verified access token only. */
export interface AuthContext {
  userId: string;
  tenantId: string;
  role: Role;
  jti: string;
  /** Seconds since epoch, from the token. */
  issuedAt: number;
  expiresAt: number;
  /** The refresh-token family this access token was issued with (`sid` claim); logout revokes it. */
  sessionId?: string;
}

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
