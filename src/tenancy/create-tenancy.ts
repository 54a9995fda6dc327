import type { Config } from '../config.js';
import type { Logger } from '../infra/logger.js';
import type { Registry } from '../infra/metrics.js';
import { PostgresTenantDriver } from './postgres-tenant-driver.js';
import { SqliteTenantDriver } from './sqlite-tenant-driver.js';
import { type TenantDrivers, TenantDbManager, type TenantDbManagerOptions } from './tenant-db-manager.js';
import { TenantProvisioning } from './tenant-provisioning.js';
import type { SpareLedger } from './spare-ledger.js';
import type { TenantLocator } from './tenant-locator.js';
import { createTenantMetrics } from './tenant-metrics.js';

export interface TenancyDeps {
  /** Where tenants live (the catalog, through platform's catalogTenantLocator). */
  locator: TenantLocator;
  /** The catalog's rows of spare PostgreSQL databases; without it spares are off. */
  spareLedger?: SpareLedger;
  logger: Logger;
  metrics?: Registry;
}

/** The tenant databases of a process: the handle cache requests lease from, and provisioning. */
export interface Tenancy {
  handles: TenantDbManager;
  provisioning: TenantProvisioning;
  /** Drains and closes every handle, then the drivers. */
  close(): Promise<void>;
}

/**
 * The one place the tenant drivers are chosen: SQLite files under DATA_DIR always, and a
 * PostgreSQL driver for tenants the catalog places on a server (it holds nothing until used).
 */
export function createTenancy(
  config: Pick<Config, 'dataDir' | 'tenant'>,
  deps: TenancyDeps,
  overrides: Partial<TenantDbManagerOptions> = {},
): Tenancy {
  const t = config.tenant;
  const metrics = deps.metrics ? createTenantMetrics(deps.metrics) : undefined;
  const drivers: TenantDrivers = overrides.drivers ?? {
    sqlite: new SqliteTenantDriver({
      dataDir: config.dataDir,
      cacheKb: t.sqliteCacheKb,
      migrations: overrides.migrations,
    }),
    postgres: new PostgresTenantDriver({
      poolMax: t.poolMax,
      connectTimeoutMs: t.connectTimeoutMs,
      statementTimeoutMs: t.statementTimeoutMs,
      sparesPerServer: t.sparesPerServer,
      spareLedger: deps.spareLedger,
      // Late-bound: the handle cache is built over these drivers below.
      spareHandles: {
        warm: (location) => handles.warmSpare(location),
        retire: (tenantId) => handles.retire(tenantId),
      },
      onCreated: metrics?.pgDatabaseCreated,
      migrations: overrides.migrations,
      logger: deps.logger,
    }),
  };
  const handles = new TenantDbManager({
    locator: deps.locator,
    drivers,
    logger: deps.logger,
    cacheMax: t.cacheMax,
    closeTimeoutMs: t.closeTimeoutMs,
    idleTimeoutMs: t.idleTimeoutMs,
    connectionBudget: t.connectionBudget,
    acquireTimeoutMs: t.acquireTimeoutMs,
    observer: metrics?.observer,
    ...overrides,
  });
  metrics?.bind(() => handles.getStats());
  const provisioning = new TenantProvisioning({
    drivers,
    locator: deps.locator,
    handles,
    schemaVersion: overrides.migrations ? Object.keys(overrides.migrations).length : undefined,
  });
  return {
    handles,
    provisioning,
    close: async () => {
      await handles.close();
      await provisioning.close();
    },
  };
}
