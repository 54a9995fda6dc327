import type { Config } from '../../config.js';
import type { Logger } from '../../infra/logger.js';
import type { Registry } from '../../infra/metrics.js';
import type { TenantDbManager } from '../../tenancy/tenant-db-manager.js';
import type { TenantProvisioning } from '../../tenancy/tenant-provisioning.js';
import type { CatalogDb } from '../catalog-db.js';
import { createMoveMetrics } from './move-metrics.js';
import { startPlacementWatcher } from './placement-watcher.js';
import { TenantMover, type TenantMoverDeps } from './tenant-mover.js';

/** Church moves, wired for one process. */
export interface TenantMoves {
  mover: TenantMover;
  /**
   * Starts this instance's placement watcher (evicts handles of churches moved by any process)
   * and the daily drop of old databases past their grace; returns its stop function.
   */
  startBackground(opts?: { intervalMs?: number }): () => Promise<void>;
}

const DROP_EVERY_MS = 3_600_000;

export function createTenantMoves(
  config: Pick<Config, 'tenant'>,
  deps: {
    catalog: CatalogDb;
    tenants: TenantDbManager;
    provisioning: TenantProvisioning;
    logger: Logger;
    metrics?: Registry;
  },
  overrides: Partial<TenantMoverDeps> = {},
): TenantMoves {
  const mover = new TenantMover({
    catalog: deps.catalog,
    tenants: deps.tenants,
    provisioning: deps.provisioning,
    logger: deps.logger,
    graceDays: config.tenant.moveGraceDays,
    observer: deps.metrics ? createMoveMetrics(deps.metrics) : undefined,
    ...overrides,
  });
  return {
    mover,
    startBackground: (opts = {}) =>
      startPlacementWatcher({
        catalog: deps.catalog,
        evict: (id) => deps.tenants.evict(id),
        logger: deps.logger,
        intervalMs: opts.intervalMs,
        every: { ms: DROP_EVERY_MS, run: () => mover.dropDueSources() },
      }),
  };
}
