import { catalogTenantLocator } from '../../../src/platform/catalog-tenant-locator.js';
import { v7 } from 'uuid';
import type { Env } from '../../../src/config.js';
import { quoteIdent } from '../../../src/infra/db/postgres.js';
import { pgTenantDbName } from '../../../src/tenancy/tenant-id.js';
import { createMetricsRegistry, type Registry } from '../../../src/infra/metrics.js';
import { type CatalogDb, migrateCatalog, openCatalog } from '../../../src/platform/catalog-db.js';
import { createTenancy } from '../../../src/tenancy/create-tenancy.js';
import type { TenantDbManager, TenantDbManagerOptions } from '../../../src/tenancy/tenant-db-manager.js';
import type { TenantProvisioning } from '../../../src/tenancy/tenant-provisioning.js';
import { tempDataDir, testConfig, testLogger } from '../../helpers/config.js';
import { adminPgUrl, adminQuery, type Dialect } from '../../helpers/dialects.js';

export interface TenancyFixture {
  dataDir: string;
  catalog: CatalogDb;
  manager: TenantDbManager;
  provisioning: TenantProvisioning;
  metrics: Registry;
  serverUrl: string | null;
  /** Adds a catalog row and (unless create is false) its database from the template. */
  addTenant(opts?: { create?: boolean; schemaVersion?: number }): Promise<string>;
  close(): Promise<void>;
}

/**
 * A SQLite catalog in a temp DATA_DIR and a manager whose tenants live on `dialect`
 * (SQLite files, or databases on the test PostgreSQL server). Every tenant database it made is
 * dropped on close.
 */
export async function createTenancyFixture(
  dialect: Dialect,
  env: Env = {},
  overrides: Partial<TenantDbManagerOptions> = {},
): Promise<TenancyFixture> {
  const data = tempDataDir();
  const config = testConfig(data.dir, env);
  const logger = testLogger();
  const catalog = openCatalog(config, logger);
  await migrateCatalog(catalog);
  const now = new Date().toISOString();
  let serverId: string | null = null;
  const serverUrl = dialect === 'postgres' ? adminPgUrl() : null;
  if (serverUrl) {
    serverId = v7();
    await catalog
      .insertInto('db_servers')
      .values({ id: serverId, url: serverUrl, capacity: 100_000, status: 'active', created_at: now })
      .execute();
  }
  const metrics = createMetricsRegistry();
  const tenancy = createTenancy(
    config,
    { locator: catalogTenantLocator(catalog), logger, metrics },
    overrides,
  );
  const manager = tenancy.handles;
  const made: string[] = [];
  return {
    dataDir: data.dir,
    catalog,
    manager,
    provisioning: tenancy.provisioning,
    metrics,
    serverUrl,
    async addTenant(opts = {}) {
      const id = v7();
      await catalog
        .insertInto('tenants')
        .values({
          id,
          slug: `t-${id}`,
          name: 'Test Church',
          status: 'active',
          server_id: serverId,
          schema_version: opts.schemaVersion ?? 0,
          timezone: 'UTC',
          currency: 'USD',
          created_at: now,
          updated_at: now,
          last_active_at: null,
        })
        .execute();
      made.push(id);
      if (opts.create !== false) await tenancy.provisioning.createDatabase({ tenantId: id, serverUrl });
      return id;
    },
    async close() {
      await tenancy.close();
      // A few at a time: each PostgreSQL DROP DATABASE waits for a checkpoint. SQLite files go
      // with the temporary DATA_DIR.
      for (let i = 0; serverUrl && i < made.length; i += 8) {
        await Promise.all(
          made
            .slice(i, i + 8)
            .map((id) =>
              adminQuery(`DROP DATABASE IF EXISTS ${quoteIdent(pgTenantDbName(id))} WITH (FORCE)`),
            ),
        );
      }
      await catalog.destroy();
      data.cleanup();
    },
  };
}
