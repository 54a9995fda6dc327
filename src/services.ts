import { catalogTenantLocator } from './platform/catalog-tenant-locator.js';
import { catalogSpareLedger } from './platform/catalog-spare-ledger.js';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { AppDeps } from './app.js';
import { FailureCounters } from './auth/failure-counters.js';
import { PasswordHasher } from './auth/password.js';
import { seedChurch } from './domain/church/seed-church.js';
import { exportChurch } from './domain/export/church-export.js';
import { createAuth } from './auth/create-auth.js';
import type { Config } from './config.js';
import type { HealthCheck } from './infra/health.js';
import type { Logger } from './infra/logger.js';
import { createMetricsRegistry } from './infra/metrics.js';
import { createRedisService } from './infra/redis/redis-service.js';
import { createJobQueue } from './jobs/create-job-queue.js';
import type { JobDefinition } from './jobs/job-definition.js';
import { migrateCatalog, openCatalog, pingCatalog } from './platform/catalog-db.js';
import { createTenancy } from './tenancy/create-tenancy.js';
import { createRegistrations, type Registrations } from './platform/registrations/create-registrations.js';
import { provisionRegistrationJob } from './platform/registrations/provision-registration.job.js';
import { createTenantMoves } from './platform/tenant-move/create-tenant-moves.js';
import { createMail } from './mail/create-mail.js';
import { PasswordResets } from './domain/password-reset/password-reset.service.js';
import { StaffInvites } from './domain/invites/invites.service.js';
import { YearEndStatements } from './domain/year-end/year-end.service.js';
import { StatementPdfPool } from './domain/year-end/statement-pdf-pool.js';
import { YEAR_END_EMAILS, yearEndEmailsJob } from './domain/year-end/year-end-emails.job.js';
import { DELIVER_MAIL, deliverMailJob } from './mail/deliver-mail.job.js';
import { runImportJob } from './domain/imports/run-import.job.js';

/** The process's long-lived resources, built in one place and closed in reverse order. */
export interface Services {
  deps: AppDeps;
  /** One line for the operator: what storage and Redis this process uses. */
  describe(): string;
  close(): Promise<void>;
}

/**
 * Every background job kind. Adding one = its own file (a `defineJob`) + one line here; each must
 * be re-dispatchable and idempotent (see src/jobs/job-definition.ts).
 */
const JOB_DEFINITIONS: readonly JobDefinition[] = [
  provisionRegistrationJob as JobDefinition,
  runImportJob as JobDefinition,
  deliverMailJob as JobDefinition,
  yearEndEmailsJob as JobDefinition,
];

export interface ServicesOptions {
  /** Run BullMQ workers in this process (default: config.queues.workersInProcess). */
  workers?: boolean;
  /** Extra job kinds (tests). */
  jobs?: readonly JobDefinition[];
  /** Periodic work: registration reconciler and delete purges (default true; the CLI turns it off). */
  background?: boolean;
  /** Open the most recently active churches at start (default true; the CLI turns it off). */
  prewarm?: boolean;
}

/** Opens and migrates the catalog and wires every backend chosen by the config. */
export async function createServices(
  config: Config,
  logger: Logger,
  options: ServicesOptions = {},
): Promise<Services> {
  const catalog = openCatalog(config, logger);
  const closers: Array<() => Promise<void>> = [() => catalog.destroy()];
  try {
    await migrateCatalog(catalog);
  } catch (err) {
    await catalog.destroy();
    throw err;
  }

  const metrics = createMetricsRegistry();
  const redis = createRedisService({
    ...config.redis,
    reconnect: { baseMs: 100, maxMs: config.redis.reconnectMaxMs },
    logger,
    metrics,
  });
  closers.push(() => redis.close());

  // A one-shot command (no background work) neither claims nor keeps spare databases: topping
  // them up is the job of the long-running processes.
  const tenantConfig =
    options.background === false ? { ...config, tenant: { ...config.tenant, sparesPerServer: 0 } } : config;
  const tenancy = createTenancy(tenantConfig, {
    locator: catalogTenantLocator(catalog),
    spareLedger: catalogSpareLedger(catalog),
    logger,
    metrics,
  });
  closers.push(() => tenancy.close());
  const tenants = tenancy.handles;
  // Open the most recently active churches now, not on their first request; never fatal.
  if (options.prewarm ?? true)
    await tenants
      .prewarmRecent(config.tenant.prewarm)
      .catch((err) => logger.warn({ err }, 'tenant pre-warm failed'));
  const auth = createAuth(config, { catalog, tenants, redis, logger });
  closers.push(async () => auth.close());

  // Signups queue for hashing rather than fail: only the running hashes hold memory.
  const signupHasher = new PasswordHasher({ maxConcurrent: 2, maxQueued: 500 });
  const registrations: Registrations = await createRegistrations(config, {
    catalog,
    logger,
    tenants,
    provisioning: tenancy.provisioning,
    hashPassword: (p) => signupHasher.hash(p),
    metrics,
    counters: new FailureCounters(catalog, redis, redis.keys),
    dispatch: (id) =>
      jobs.enqueue(provisionRegistrationJob.name, { registrationId: id }).then(() => undefined),
    seedTenant: seedChurch,
    exportTenant: (tenantId, out) =>
      tenants.withTenant(tenantId, (db) =>
        pipeline(Readable.from(exportChurch(db, { passwordHashes: true })), out),
      ),
  });

  const moves = createTenantMoves(config, {
    catalog,
    tenants,
    provisioning: tenancy.provisioning,
    logger,
    metrics,
  });
  // Every serving process watches for churches moved by any process (its handles go stale).
  if (options.background ?? true) closers.push(moves.startBackground());
  const mail = createMail(config, {
    catalog,
    tenants,
    logger,
    metrics,
    dispatch: (tenantId) => jobs.enqueue(DELIVER_MAIL, { tenantId }).then(() => undefined),
  });
  closers.push(async () => mail.close());

  const passwordResets = new PasswordResets({
    catalog,
    tenants,
    hasher: auth.hasher,
    auth: auth.service,
    outbox: mail.outbox,
    counters: new FailureCounters(catalog, redis, redis.keys),
    publicUrl: config.publicUrl,
    mailFrom: config.mail.from,
  });

  const invites = new StaffInvites({
    catalog,
    tenants,
    hasher: auth.hasher,
    auth: auth.service,
    outbox: mail.outbox,
    publicUrl: config.publicUrl,
  });

  const pdfPool = new StatementPdfPool(config.statements.workers);
  closers.push(() => pdfPool.close());
  const yearEnd = new YearEndStatements({
    tenants,
    outbox: mail.outbox,
    pool: pdfPool,
    receiptText: config.statements.receiptText,
    dispatch: (tenantId, runId) => jobs.enqueue(YEAR_END_EMAILS, { tenantId, runId }).then(() => undefined),
  });

  const jobs = await createJobQueue({
    config,
    redis,
    // Jobs get process-wide dependencies only, never a request's tenant context.
    context: {
      config,
      logger,
      redis,
      tenants,
      provisioner: registrations.provisioner,
      mail: mail.delivery,
      yearEnd,
    },
    definitions: [...JOB_DEFINITIONS, ...(options.jobs ?? [])],
    metrics,
  });
  // Closed before Redis and the catalog: workers finish their current job first.
  closers.push(() => jobs.close());
  if (options.workers ?? config.queues.workersInProcess) jobs.startWorkers();
  if (options.background ?? true) {
    const stop = registrations.startBackground();
    closers.push(stop);
    closers.push(mail.startSweeper());
  }

  const health: HealthCheck[] = [
    {
      name: 'catalog',
      critical: true,
      check: async () => {
        await pingCatalog(catalog);
        return 'up';
      },
    },
    // Redis down makes readiness `degraded`, never unavailable: every feature has a fallback.
    { name: 'redis', critical: false, check: async () => redis.state() },
  ];

  return {
    deps: {
      config,
      logger,
      catalog,
      health,
      metrics,
      redis,
      jobs,
      tenants,
      provisioning: tenancy.provisioning,
      auth,
      registrations,
      moves,
      mail,
      passwordResets,
      invites,
      yearEnd,
    },
    describe: () => {
      const cat = config.catalog.dialect === 'sqlite' ? `SQLite ${config.catalog.file}` : 'PostgreSQL';
      const tenants = config.tenantDbServers.length
        ? `${config.tenantDbServers.length} PostgreSQL server(s)`
        : `SQLite files under ${config.dataDir}/tenants`;
      const redis = config.redis.url ? 'Redis enabled' : 'no Redis (set REDIS_URL to enable)';
      return `catalog: ${cat}; tenants: ${tenants}; ${redis}`;
    },
    close: async () => {
      for (const close of closers.reverse()) {
        await close().catch((err) => logger.error({ err }, 'error while closing a resource'));
      }
    },
  };
}
