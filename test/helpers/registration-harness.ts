import { catalogTenantLocator } from '../../src/platform/catalog-tenant-locator.js';
import { catalogSpareLedger } from '../../src/platform/catalog-spare-ledger.js';
import { PasswordHasher } from '../../src/auth/password.js';
import type { Env } from '../../src/config.js';
import { migrateCatalog, openCatalog, type CatalogDb } from '../../src/platform/catalog-db.js';
import { type ProvisionerDeps, provisionRegistration } from '../../src/platform/registrations/provisioner.js';
import { RegistrationService } from '../../src/platform/registrations/registration.service.js';
import { seedChurch } from '../../src/domain/church/seed-church.js';
import { seedDbServers, tenantTarget } from '../../src/platform/db-servers.js';
import { quoteIdent } from '../../src/infra/db/postgres.js';
import { pgTenantDbName } from '../../src/tenancy/tenant-id.js';
import { createTenancy } from '../../src/tenancy/create-tenancy.js';
import type { TenantProvisioning } from '../../src/tenancy/tenant-provisioning.js';
import type { TenantDbManager } from '../../src/tenancy/tenant-db-manager.js';
import { testConfig, testLogger, tempDataDir } from './config.js';
import { adminQuery, createTestPgDatabase, type Dialect } from './dialects.js';

export interface RegistrationHarness {
  catalog: CatalogDb;
  manager: TenantDbManager;
  provisioning: TenantProvisioning;
  provisioner: ProvisionerDeps;
  service: RegistrationService;
  dataDir: string;
  /** Starts provisioning in the background, as the queue would. */
  dispatch(id: string): Promise<void>;
  /** Waits for every provisioning run started by dispatch. */
  idle(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Registration over real storage without HTTP: a catalog (SQLite file or its own PostgreSQL
 * database), the real tenant manager, and a dispatcher that provisions in the background
 * (retrying like the queue does) so tests can inject faults between steps.
 */
export async function createRegistrationHarness(
  dialect: Dialect,
  opts: {
    servers?: string[];
    env?: Env;
    maxAttempts?: number;
    leaseMs?: number;
    /** Replaces the signup hash, to make it slow or fail. */
    hashPassword?: (password: string) => Promise<string>;
  } = {},
): Promise<RegistrationHarness> {
  const data = tempDataDir();
  const pgCatalog = dialect === 'postgres' ? await createTestPgDatabase() : undefined;
  const config = testConfig(data.dir, { ...(pgCatalog ? { DATABASE_URL: pgCatalog.url } : {}), ...opts.env });
  const logger = testLogger();
  const catalog = openCatalog(config, logger);
  await migrateCatalog(catalog);
  await seedDbServers(catalog, opts.servers ?? []);
  const tenancy = createTenancy(config, {
    locator: catalogTenantLocator(catalog),
    spareLedger: catalogSpareLedger(catalog),
    logger,
  });
  const manager = tenancy.handles;
  const hasher = new PasswordHasher({ maxConcurrent: 2, maxQueued: 1000 });
  const provisioner: ProvisionerDeps = {
    catalog,
    tenants: manager,
    provisioning: tenancy.provisioning,
    seedTenant: seedChurch,
    logger,
    owner: 'test-worker',
    leaseMs: opts.leaseMs ?? 30_000,
    maxAttempts: opts.maxAttempts ?? 3,
  };
  const running = new Set<Promise<unknown>>();
  const dispatch = async (id: string) => {
    const run = (async () => {
      for (let i = 0; i < provisioner.maxAttempts; i++) {
        if ((await provisionRegistration(provisioner, id)) !== 'retry') return;
      }
    })();
    running.add(run);
    void run.finally(() => running.delete(run));
  };
  const service = new RegistrationService({
    catalog,
    logger,
    hashPassword: (p) => (opts.hashPassword ?? ((q) => hasher.hash(q)))(p),
    dispatch,
    schemaVersion: tenancy.provisioning.schemaVersion,
    spares: tenancy.provisioning.spareTemplate,
  });
  // The service listens on its own emitter; the harness's provisioner signals on it.
  provisioner.settled = service.settled;
  return {
    catalog,
    manager,
    provisioning: tenancy.provisioning,
    provisioner,
    service,
    dataDir: data.dir,
    dispatch,
    idle: async () => {
      while (running.size) await Promise.allSettled([...running]);
    },
    close: async () => {
      while (running.size) await Promise.allSettled([...running]);
      // Tenant databases on the shared PostgreSQL server must not outlive the test.
      const placed = await catalog
        .selectFrom('tenants')
        .selectAll()
        .where('server_id', 'is not', null)
        .execute();
      for (const t of placed) await tenancy.provisioning.dropDatabase(await tenantTarget(catalog, t));
      await tenancy.close();
      // Spares too (TENANT_SPARE_DATABASES > 0), once no top-up can add one.
      for (const s of await catalog.selectFrom('spare_databases').select('tenant_id').execute())
        await adminQuery(`DROP DATABASE IF EXISTS ${quoteIdent(pgTenantDbName(s.tenant_id))} WITH (FORCE)`);
      await catalog.destroy();
      await pgCatalog?.drop();
      data.cleanup();
    },
  };
}
