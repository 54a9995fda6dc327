import type { Config } from '../config.js';
import type { Logger } from '../infra/logger.js';
import type { Registry } from '../infra/metrics.js';
import { PostgresTenantDriver } from './postgres-tenant-driver.js';
import { SqliteTenantDriver } from './sqlite-tenant-driver.js';
import { TenantDbManager, type TenantDbManagerOptions } from './tenant-db-manager.js';
import type { TenantLocator } from './tenant-locator.js';
import { createTenantMetrics } from './tenant-metrics.js';

export interface TenantDbManagerDeps {
  /** Where tenants live (the catalog, through platform's catalogTenantLocator). */
  locator: TenantLocator;
  logger: Logger;
  metrics?: Registry;
}

/**
 * The one place the tenant drivers are chosen: SQLite files under DATA_DIR always, and a
 * PostgreSQL driver for tenants the catalog places on a server (it holds nothing until used).
 */
export function createTenantDbManager(
  config: Pick<Config, 'dataDir' | 'tenant'>,
  deps: TenantDbManagerDeps,
  overrides: Partial<TenantDbManagerOptions> = {},
): TenantDbManager {
  const t = config.tenant;
  const metrics = deps.metrics ? createTenantMetrics(deps.metrics) : undefined;
  const manager = new TenantDbManager({
    locator: deps.locator,
    drivers: {
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
        onCreated: metrics?.pgDatabaseCreated,
        migrations: overrides.migrations,
        logger: deps.logger,
      }),
    },
    logger: deps.logger,
    cacheMax: t.cacheMax,
    closeTimeoutMs: t.closeTimeoutMs,
    idleTimeoutMs: t.idleTimeoutMs,
    connectionBudget: t.connectionBudget,
    acquireTimeoutMs: t.acquireTimeoutMs,
    observer: metrics?.observer,
    ...overrides,
  });
  metrics?.bind(() => manager.getStats());
  return manager;
}
