import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type RawServerDefault } from 'fastify';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AuthRuntime } from './auth/create-auth.js';
import type { Config } from './config.js';
import { meRoutes } from './domain/me/me.routes.js';
import { domainRoutes } from './domain/domain.routes.js';
import { RUN_IMPORT } from './domain/imports/run-import.job.js';
import { userRoutes } from './domain/users/users.routes.js';
import { authPublicRoutes, authSessionRoutes } from './auth/auth.routes.js';
import { installErrorHandling, renderClientError, renderFrameworkError } from './http/error-handler.js';
import { consoleRoutes, defaultConsoleDir } from './http/console.routes.js';
import { healthRoutes } from './http/health.routes.js';
import { metricsRoutes } from './http/metrics.routes.js';
import { connectionStatsRoutes } from './tenancy/connection-stats.routes.js';
import { genRequestId } from './http/request-id.js';
import { addSecurityHeaders } from './http/security-headers.js';
import { installTenantContext } from './http/tenant-context.js';
import { installValidation } from './http/validation.js';
import { buildSerializerOnFirstUse } from './http/compile-on-first-use.js';
import { registerApiDocument } from './http/openapi/api-document.js';
import { installRouteConventions } from './http/openapi/route-conventions.js';
import { Errors } from './errors/app-error.js';
import type { HealthCheck } from './infra/health.js';
import type { Logger } from './infra/logger.js';
import type { Registrations } from './platform/registrations/create-registrations.js';
import { registrationRoutes } from './platform/registrations/registration.routes.js';
import { opsTenantRoutes } from './platform/tenant-ops.routes.js';
import { opsMoveRoutes } from './platform/tenant-move/tenant-move.routes.js';
import { opsRestoreRoutes } from './domain/export/restore.routes.js';
import { slugAvailability } from './platform/registrations/slug-availability.js';
import type { RedisPort } from './infra/redis/redis-port.js';
import type { JobQueue } from './jobs/job-queue.js';
import type { Registry } from './infra/metrics.js';
import type { MailRuntime } from './mail/create-mail.js';
import type { PasswordResets } from './domain/password-reset/password-reset.service.js';
import { passwordResetRoutes } from './domain/password-reset/password-reset.routes.js';
import type { StaffInvites } from './domain/invites/invites.service.js';
import { inviteAdminRoutes, invitePublicRoutes } from './domain/invites/invites.routes.js';
import type { YearEndStatements } from './domain/year-end/year-end.service.js';
import { yearEndRoutes } from './domain/year-end/year-end.routes.js';
import type { CatalogDb } from './platform/catalog-db.js';
import type { TenantMoves } from './platform/tenant-move/create-tenant-moves.js';
import type { TenantDbManager } from './tenancy/tenant-db-manager.js';
import type { TenantProvisioning } from './tenancy/tenant-provisioning.js';

export const BODY_LIMIT = 1024 * 1024;

/** Everything the HTTP layer needs, built by the caller (services.ts in production, tests directly). */
export interface AppDeps {
  config: Config;
  logger: Logger;
  catalog: CatalogDb;
  health: readonly HealthCheck[];
  metrics: Registry;
  /** Optional accelerator; every call fails fast to the caller's fallback (state up|down|disabled). */
  redis: RedisPort;
  /** Leases tenant databases (the handle cache). */
  tenants: TenantDbManager;
  /** Creates and drops tenant databases (registrations, lifecycle, moving churches). */
  provisioning: TenantProvisioning;
  /** Tokens, passwords, revocations, throttling (src/auth/create-auth.ts). */
  auth: AuthRuntime;
  /** Background jobs: BullMQ, or in-process (also the fallback while Redis is down). */
  jobs: JobQueue;
  /** Church signup, provisioning, reconciler and tenant lifecycle. */
  registrations: Registrations;
  /** Moving churches between database servers and engines. */
  moves: TenantMoves;
  /** Outgoing mail: the outbox and its delivery. */
  mail: MailRuntime;
  /** Forgotten passwords: emailed single-use links. */
  passwordResets: PasswordResets;
  /** Staff invites by email. */
  invites: StaffInvites;
  /** Year-end giving statements for every donor (PDF, ZIP, email). */
  yearEnd: YearEndStatements;
}

export type App = FastifyInstance<
  RawServerDefault,
  IncomingMessage,
  ServerResponse,
  FastifyBaseLogger,
  TypeBoxTypeProvider
>;

export interface BuildAppOptions {
  /** Runs on the root instance before any plugin or route: its hooks see every request (tests). */
  instrument?: (app: FastifyInstance) => void;
  /** The built console served at `/` (default: web/dist of this checkout). */
  consoleDir?: string;
}

/** Builds the HTTP app without listening: plugins, then hooks, then routes. */
export async function buildApp(deps: AppDeps, options: BuildAppOptions = {}): Promise<App> {
  const app = Fastify({
    loggerInstance: deps.logger as FastifyBaseLogger,
    genReqId: genRequestId,
    requestIdHeader: false,
    bodyLimit: BODY_LIMIT,
    trustProxy: trustProxyOption(deps.config.http.trustProxy),
    ...serverTimeouts(deps.config.http),
    // Shutdown's 503 comes from the hook below, as a problem like every other error.
    return503OnClosing: false,
    frameworkErrors: renderFrameworkError,
    clientErrorHandler: renderClientError,
    schemaController: { compilersFactory: { buildSerializer: buildSerializerOnFirstUse } },
  }).withTypeProvider<TypeBoxTypeProvider>();
  options.instrument?.(app);

  installValidation(app);
  installErrorHandling(app);
  // JSON only by default; routes that take other bodies (CSV import) add their own parser.
  app.removeContentTypeParser(['text/plain']);

  installRouteConventions(app);
  await registerApiDocument(app);

  // While closing, new requests get a 503 and responses end their keep-alive connection, so the
  // process can exit promptly.
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onRequest', async (request, reply) => {
    addSecurityHeaders(reply);
    reply.header('x-request-id', request.id);
    if (closing) throw Errors.serviceUnavailable('The server is shutting down.');
  });
  app.addHook('onSend', async (_request, reply) => {
    if (closing) reply.header('connection', 'close');
  });

  await app.register(metricsRoutes, { registry: deps.metrics, opsToken: deps.config.auth.opsToken });
  await app.register(
    async (api) => {
      await api.register(healthRoutes, { checks: deps.health });
      await api.register(connectionStatsRoutes, {
        tenants: deps.tenants,
        opsToken: deps.config.auth.opsToken,
      });
      const secureCookies = deps.config.env === 'production';
      await api.register(authPublicRoutes, { service: deps.auth.service, secureCookies });
      await api.register(passwordResetRoutes, { resets: deps.passwordResets });
      await api.register(invitePublicRoutes, { invites: deps.invites, secureCookies });
      await api.register(registrationRoutes, {
        registrations: deps.registrations.service,
        slugAvailability: (slug) => slugAvailability(deps.catalog, slug),
        waitMs: deps.config.registration.waitMs,
        limitRegistration: (ip) => deps.registrations.limit(ip),
      });
      await api.register(opsTenantRoutes, {
        lifecycle: deps.registrations.lifecycle,
        opsToken: deps.config.auth.opsToken,
      });
      await api.register(opsMoveRoutes, { mover: deps.moves.mover, opsToken: deps.config.auth.opsToken });
      await api.register(opsRestoreRoutes, {
        deps: {
          catalog: deps.catalog,
          tenants: deps.tenants,
          provisioning: deps.provisioning,
          logger: deps.logger,
        },
        dataDir: deps.config.dataDir,
        opsToken: deps.config.auth.opsToken,
      });
      // Every church route lives in this scope: token, revocation, church status, permission, lease.
      await api.register(async (tenantScope) => {
        installTenantContext(tenantScope, {
          auth: deps.auth,
          tenants: deps.tenants,
          maxInflight: deps.config.tenant.maxInflight,
        });
        await tenantScope.register(authSessionRoutes, { service: deps.auth.service, secureCookies });
        await tenantScope.register(meRoutes, {
          hasher: deps.auth.hasher,
          throttle: deps.auth.throttle,
          service: deps.auth.service,
          church: (id) => deps.auth.tenantStatus.get(id),
        });
        await tenantScope.register(userRoutes, {
          hasher: deps.auth.hasher,
          revocations: deps.auth.revocations,
        });
        await tenantScope.register(inviteAdminRoutes, { invites: deps.invites });
        await tenantScope.register(yearEndRoutes, { yearEnd: deps.yearEnd });
        await tenantScope.register(domainRoutes, {
          onChurchUpdated: (id, profile) => deps.registrations.lifecycle.updateProfile(id, profile),
          startImport: (tenantId, importId) =>
            deps.jobs.enqueue(RUN_IMPORT, { tenantId, importId }).then(() => undefined),
        });
      });
    },
    { prefix: '/api' },
  );
  await app.register(consoleRoutes, { dir: options.consoleDir ?? defaultConsoleDir() });

  return app;
}

/**
 * Every socket is bounded in time, so stalled clients cannot pile up: the whole request must
 * arrive within requestTimeoutMs (else 408, socket closed), headers sooner, and a socket silent
 * that long mid-request is closed. Node checks the request deadlines every
 * connectionsCheckingInterval (30 s by default, far too coarse for a 30 s limit).
 */
function serverTimeouts(http: Config['http']) {
  return {
    requestTimeout: http.requestTimeoutMs,
    connectionTimeout: http.requestTimeoutMs,
    keepAliveTimeout: http.keepAliveTimeoutMs,
    http: {
      requestTimeout: http.requestTimeoutMs,
      headersTimeout: http.headersTimeoutMs,
      connectionsCheckingInterval: Math.max(50, Math.min(1000, Math.floor(http.requestTimeoutMs / 4))),
    },
  };
}

/** A hop count becomes "trust the first n hops" (Fastify's types take a function for that). */
function trustProxyOption(v: boolean | number | string[]) {
  return typeof v === 'number' ? (_address: string, hop: number) => hop < v : v;
}
