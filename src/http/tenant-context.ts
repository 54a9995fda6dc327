import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AuthErrors } from '../auth/auth.errors.js';
import type { AuthRuntime } from '../auth/create-auth.js';
import { can } from '../auth/roles.js';
import type { TenantDatabases, TenantLease } from '../tenancy/tenant-database.js';
import { UnknownTenantError } from '../tenancy/tenant-errors.js';
import { Errors } from './app-error.js';

export interface TenantContextOptions {
  auth: Pick<AuthRuntime, 'tokens' | 'revocations' | 'tenantStatus'>;
  tenants: TenantDatabases;
}

const BEARER = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*)$/;

/**
 * The auth hook for every route of the scope it is installed in (call it before registering
 * those routes): verifies the Bearer token, refuses revoked tokens and churches that are not
 * active, checks the route's declared permission (none declared: 403, fail closed), then leases
 * the tenant database and releases it exactly once on whichever hook ends the request.
 */
export function installTenantContext(scope: FastifyInstance, opts: TenantContextOptions): void {
  const { auth, tenants } = opts;
  const leases = new WeakMap<FastifyRequest, TenantLease>();

  scope.decorateRequest('auth', null);
  scope.decorateRequest('tenantDb', null);
  // Every route in this scope needs a bearer token: say so in the OpenAPI document.
  scope.addHook('onRoute', (route) => {
    route.schema = { ...route.schema, security: [{ bearer: [] }] };
  });

  scope.addHook('onRequest', async (request) => {
    const match = BEARER.exec(request.headers.authorization ?? '');
    if (!match) throw Errors.unauthenticated();
    const ctx = await auth.tokens.verify(match[1]!);
    // Fail closed: when the catalog cannot answer, nobody is let in (503, never a pass).
    const [tenant, revoked] = await Promise.all([
      auth.tenantStatus.get(ctx.tenantId),
      auth.revocations.isRevoked(ctx),
    ]).catch((err) => {
      request.log.error({ err }, 'authentication check failed');
      throw Errors.serviceUnavailable('Authentication is temporarily unavailable.');
    });
    if (tenant?.status === 'suspended') throw AuthErrors.tenantSuspended();
    if (tenant?.status !== 'active' || revoked) throw Errors.unauthenticated();
    const permission = request.routeOptions.config.permission;
    if (!permission || !can(ctx.role, permission)) throw Errors.forbidden();
    const lease = await tenants.acquire(ctx.tenantId).catch((err) => {
      // The church vanished between the status check and the lease: the token names nothing.
      throw err instanceof UnknownTenantError ? Errors.unauthenticated() : err;
    });
    leases.set(request, lease);
    request.auth = ctx;
    request.tenantDb = lease.db;
  });

  const release = async (request: FastifyRequest) => {
    const lease = leases.get(request);
    if (!lease) return;
    leases.delete(request);
    request.tenantDb = null;
    lease.release();
  };
  scope.addHook('onResponse', release);
  scope.addHook('onError', release);
  scope.addHook('onTimeout', release);
  scope.addHook('onRequestAbort', release);
}
