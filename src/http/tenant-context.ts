import type { FastifyInstance } from 'fastify';
import { AuthErrors } from '../auth/auth.errors.js';
import type { AuthRuntime } from '../auth/create-auth.js';
import { can } from '../auth/roles.js';
import type { TokenStanding } from '../auth/revocation-store.js';
import type { TenantDatabases, TenantLease } from '../tenancy/tenant-database.js';
import { UnknownTenantError } from '../tenancy/tenant-errors.js';
import { AppError, Errors } from '../errors/app-error.js';
import { declareProblems } from './openapi/route-conventions.js';

export interface TenantContextOptions {
  auth: Pick<AuthRuntime, 'tokens' | 'revocations'>;
  tenants: TenantDatabases;
  /** Requests of one church in flight at once (TENANT_MAX_INFLIGHT); over it, 429 for that church. */
  maxInflight: number;
}

const BEARER = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*)$/;

/** One request's claim on its church: counted in flight from auth to close, leased only to run. */
interface TenantSlot {
  tenantId: string;
  lease: TenantLease | null;
  closed: boolean;
}

const kSlot = Symbol('tenantSlot');
const tooManyInFlight = () =>
  new AppError('RATE_LIMITED', 'Too many requests of this church are in flight; try again shortly.', {
    retryAfter: 1,
  });
type WithSlot = { [kSlot]?: TenantSlot };

/**
 * The auth hook for every route of the scope it is installed in (call it before registering
 * those routes): verifies the Bearer token, refuses revoked tokens and churches that are not
 * active, checks the route's declared permission (none declared: 403, fail closed) and the
 * church's requests in flight; then, once the body has arrived (preHandler), leases the tenant
 * database and releases it exactly once, when the response closes. A client that stalls its
 * body therefore holds no database handle: only its socket, until the request timeout.
 */
export function installTenantContext(scope: FastifyInstance, opts: TenantContextOptions): void {
  const { auth, tenants, maxInflight } = opts;
  const inflight = new Map<string, number>();

  scope.decorateRequest('auth', null);
  scope.decorateRequest('tenantDb', null);
  // Every route in this scope needs a bearer token and may be refused: say so in the document.
  scope.addHook('onRoute', (route) => {
    route.schema = { ...route.schema, security: [{ bearer: [] }] };
    declareProblems(route, [401, 403, 429, 503]);
  });

  scope.addHook('onRequest', async (request, reply) => {
    const match = BEARER.exec(request.headers.authorization ?? '');
    if (!match) throw Errors.unauthenticated();
    // Cache hits answer synchronously: every await here is paid by every request.
    const ctx = auth.tokens.peek(match[1]!) ?? (await auth.tokens.verify(match[1]!));
    // Revocation and church status in one catalog read, on every request.
    let standing: TokenStanding;
    try {
      standing = await auth.revocations.standing(ctx);
    } catch (err) {
      // Fail closed: when the catalog cannot answer, nobody is let in (503, never a pass).
      request.log.error({ err }, 'authentication check failed');
      throw Errors.serviceUnavailable('Authentication is temporarily unavailable.');
    }
    if (standing.churchStatus === 'suspended') throw AuthErrors.tenantSuspended();
    if (standing.churchStatus !== 'active' || standing.revoked) throw Errors.unauthenticated();
    const permission = request.routeOptions.config.permission;
    if (!permission || !can(ctx.role, permission)) throw Errors.forbidden();
    // The client left while we were checking: 'close' has already been emitted.
    if (reply.raw.destroyed) throw Errors.serviceUnavailable('The client closed the connection.');
    const count = inflight.get(ctx.tenantId) ?? 0;
    if (count >= maxInflight) throw tooManyInFlight();
    inflight.set(ctx.tenantId, count + 1);
    const slot: TenantSlot = { tenantId: ctx.tenantId, lease: null, closed: false };
    // The response's 'close' comes exactly once on every ending: sent (a stream only once it
    // ends), failed, timed out or aborted by the client. One listener is also much cheaper than
    // Fastify's onRequestAbort/onTimeout hooks, which cost ~10% of a simple read.
    reply.raw.once('close', () => {
      slot.closed = true;
      const n = inflight.get(slot.tenantId)! - 1;
      if (n === 0) inflight.delete(slot.tenantId);
      else inflight.set(slot.tenantId, n);
      if (slot.lease) {
        request.tenantDb = null;
        slot.lease.release();
      }
    });
    (request as WithSlot)[kSlot] = slot;
    request.auth = ctx;
  });

  // After the body is parsed and validated: the lease is held only while the handler runs.
  scope.addHook('preHandler', async (request) => {
    const slot = (request as WithSlot)[kSlot]!;
    const lease = await tenants.acquire(slot.tenantId).catch((err) => {
      // The church vanished between the status check and the lease: the token names nothing.
      throw err instanceof UnknownTenantError ? Errors.unauthenticated() : err;
    });
    if (slot.closed) {
      lease.release(); // the client left while the lease was being taken
      throw Errors.serviceUnavailable('The client closed the connection.');
    }
    slot.lease = lease;
    request.tenantDb = lease.db;
  });
}
