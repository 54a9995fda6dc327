import os from 'node:os';
import { Counter, type Registry } from 'prom-client';
import type { Writable } from 'node:stream';
import type { Config } from '../../config.js';
import { Errors } from '../../errors/app-error.js';
import type { Logger } from '../../infra/logger.js';
import type { TenantDb } from '../../tenancy/tenant-database.js';
import type { TenantDatabases } from '../../tenancy/tenant-database.js';
import type { TenantProvisioning } from '../../tenancy/tenant-provisioning.js';
import type { CatalogDb } from '../catalog-db.js';
import { keepSpareDatabases, seedDbServers } from '../db-servers.js';
import { TenantLifecycle } from '../tenant-lifecycle.js';
import type { NewChurch, ProvisionerDeps } from './provisioner.js';
import { startReconciler } from './registration-reconciler.js';
import { RegistrationService } from './registration.service.js';
import { RegistrationRateLimit, type SharedCounters } from './registration-rate-limit.js';

export interface RegistrationsDeps {
  catalog: CatalogDb;
  logger: Logger;
  tenants: TenantDatabases;
  provisioning: TenantProvisioning;
  /** argon2id with a queue sized for signups (auth's PasswordHasher). */
  hashPassword(password: string): Promise<string>;
  metrics?: Registry;
  /** Counters shared by every instance, for the per-IP limit. */
  counters: SharedCounters;
  dispatch(registrationId: string): Promise<void>;
  /** Writes a new church's profile and first admin (the church module). */
  seedTenant(db: TenantDb, church: NewChurch): Promise<void>;
  /** The church export (domain export module), for delete and `tenants export`. */
  exportTenant(tenantId: string, out: Writable): Promise<void>;
}

/** Signup, provisioning, reconciliation and the church lifecycle, wired for one process. */
export interface Registrations {
  service: RegistrationService;
  provisioner: ProvisionerDeps;
  lifecycle: TenantLifecycle;
  /** Throws RATE_LIMITED past REGISTRATION_RATE_LIMIT per client IP per hour. */
  limit(ip: string): Promise<void>;
  /** Starts the reconciler (registrations and delete purges); returns its stop function. */
  startBackground(): () => Promise<void>;
}

const MAX_ATTEMPTS = 5;

export async function createRegistrations(config: Config, deps: RegistrationsDeps): Promise<Registrations> {
  await seedDbServers(deps.catalog, config.tenantDbServers);
  const service = new RegistrationService({
    catalog: deps.catalog,
    logger: deps.logger,
    hashPassword: deps.hashPassword,
    dispatch: deps.dispatch,
    schemaVersion: deps.provisioning.schemaVersion,
    spares: deps.provisioning.spareTemplate,
  });
  const outcomes = deps.metrics
    ? new Counter({
        name: 'steeple_registrations_total',
        help: 'Registrations that ended, by outcome (ready, or failed and rolled back)',
        labelNames: ['outcome'],
        registers: [deps.metrics],
      })
    : undefined;
  const provisioner: ProvisionerDeps = {
    catalog: deps.catalog,
    tenants: deps.tenants,
    provisioning: deps.provisioning,
    seedTenant: deps.seedTenant,
    logger: deps.logger,
    owner: `${os.hostname()}:${process.pid}`,
    leaseMs: config.registration.leaseMs,
    maxAttempts: MAX_ATTEMPTS,
    settled: service.settled,
    onOutcome: (outcome) => outcomes?.inc({ outcome }),
  };
  const lifecycle = new TenantLifecycle({
    catalog: deps.catalog,
    provisioning: deps.provisioning,
    logger: deps.logger,
    dataDir: config.dataDir,
    deleteGraceDays: config.tenant.deleteGraceDays,
    exportTenant: deps.exportTenant,
  });
  const rateLimit = new RegistrationRateLimit(deps.counters, config.registration.rateLimitPerHour);

  return {
    service,
    provisioner,
    lifecycle,
    limit: async (ip) => {
      const retryAfter = await rateLimit.hit(ip);
      if (retryAfter !== null) throw Errors.rateLimited(retryAfter);
    },
    startBackground: () =>
      startReconciler(
        {
          catalog: deps.catalog,
          logger: deps.logger,
          provisioner,
          dispatch: deps.dispatch,
          // Longer than a healthy queue takes to start a job, so live jobs are not doubled.
          pendingGraceMs: config.registration.pendingGraceMs,
          afterRun: async () => {
            await lifecycle.purgeExpired();
            await keepSpareDatabases(deps.catalog, deps.provisioning, deps.logger);
          },
        },
        config.registration.reconcileIntervalMs,
      ),
  };
}
