import type { FastifyInstance } from 'fastify';
import { AuthErrors } from '../auth/auth.errors.js';
import type { AuthRuntime } from '../auth/create-auth.js';
import { can } from '../auth/roles.js';
import type { TenantSummary } from '../auth/tenant-status-cache.js';
import type { TenantDatabases } from '../tenancy/tenant-database.js';
import { UnknownTenantError } from '../tenancy/tenant-errors.js';
import { Errors } from '../errors/app-error.js';
import { declareProblems } from './openapi/route-conventions.js';

export interface TenantContextOptions {
  auth: Pick<AuthRuntime, 'tokens' | 'revocations' | 'tenantStatus'>;
  tenants: TenantDatabases;
}

const BEARER = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*)$/;

/**
 * The auth hook for every route of the scope it is installed in (call it before registering
 * those routes): verifies the Bearer token, refuses revoked tokens and churches that are not
 * active, checks the route's declared permission (none declared: 403, fail closed), then leases
 * the tenant database and releases it exactly once, when the response closes.
 */
export function installTenantContext(scope: FastifyInstance, opts: TenantContextOptions): void {
  const { auth, tenants } = opts;

  scope.decorateRequest('auth', null);
  scope.decorateRequest('tenantDb', null);
  // Every route in this scope needs a bearer token and may be refused: say so in the document.
  scope.addHook('onRoute', (route) => {
    route.schema = { ...route.schema, security: [{ bearer: [] }] };
    declareProblems(route, [401, 403, 503]);
  });

  scope.addHook('onRequest', async (request, reply) => {
    const match = BEARER.exec(request.headers.authorization ?? '');
    if (!match) throw Errors.unauthenticated();
    // Cache hits answer synchronously: every await here is paid by every request.
    const ctx = auth.tokens.peek(match[1]!) ?? (await auth.tokens.verify(match[1]!));
    let tenant: TenantSummary | null | undefined;
    let revoked: boolean;
    try {
      tenant = auth.tenantStatus.peek(ctx.tenantId);
      if (tenant === undefined) tenant = await auth.tenantStatus.get(ctx.tenantId);
      revoked = await auth.revocations.isRevoked(ctx);
    } catch (err) {
      // Fail closed: when the catalog cannot answer, nobody is let in (503, never a pass).
      request.log.error({ err }, 'authentication check failed');
      throw Errors.serviceUnavailable('Authentication is temporarily unavailable.');
    }
    if (tenant?.status === 'suspended') throw AuthErrors.tenantSuspended();
    if (tenant?.status !== 'active' || revoked) throw Errors.unauthenticated();
    const permission = request.routeOptions.config.permission;
    if (!permission || !can(ctx.role, permission)) throw Errors.forbidden();
    const lease = await tenants.acquire(ctx.tenantId).catch((err) => {
      // The church vanished between the status check and the lease: the token names nothing.
      throw err instanceof UnknownTenantError ? Errors.unauthenticated() : err;
    });
    const release = () => {
      request.tenantDb = null;
      lease.release();
    };
    // The response's 'close' comes exactly once on every ending: sent (a stream only once it
    // ends), failed, timed out or aborted by the client. One listener is also much cheaper than
    // Fastify's onRequestAbort/onTimeout hooks, which cost ~10% of a simple read.
    if (reply.raw.destroyed) {
      release(); // the client left while we were checking: 'close' has already been emitted
      throw Errors.serviceUnavailable('The client closed the connection.');
    }
    reply.raw.once('close', release);
    request.auth = ctx;
    request.tenantDb = lease.db;
  });
}
