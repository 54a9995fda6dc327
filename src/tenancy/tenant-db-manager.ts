import {
  type CachedHandle,
  LeasedHandleCache,
  type LeasedHandleCacheOptions,
} from './leased-handle-cache.js';
import type { TenantDriver, TenantHandle, TenantLocation } from './tenant-driver.js';
import { UnknownTenantError } from './tenant-errors.js';
import type { TenantLocator } from './tenant-locator.js';
import { migrateTenantDb, TENANT_SCHEMA_VERSION, type TenantMigrations } from './tenant-migrations.js';

export interface TenantDrivers {
  sqlite: TenantDriver;
  postgres?: TenantDriver;
}

export interface TenantDbManagerOptions extends Omit<LeasedHandleCacheOptions, 'source' | 'onActive'> {
  locator: TenantLocator;
  drivers: TenantDrivers;
  /** Migrate a tenant whose catalog version is behind on open (default on, 30 s deadline). */
  migrateOnOpen?: boolean;
  migrationDeadlineMs?: number;
  migrations?: TenantMigrations;
}

/** The driver of a tenant's database: SQLite without a server, PostgreSQL with one. */
export function driverFor(drivers: TenantDrivers, serverUrl: string | null): TenantDriver {
  if (!serverUrl) return drivers.sqlite;
  if (!drivers.postgres) throw new Error('no PostgreSQL tenant driver configured');
  return drivers.postgres;
}

/**
 * The process's tenant databases: the leased handle cache, opening each tenant where the catalog
 * says it lives (through the locator) with its driver, migrating it on open when its schema is
 * behind. Creating and dropping databases is TenantProvisioning's job.
 */
export class TenantDbManager extends LeasedHandleCache {
  constructor(private readonly tenantOpts: TenantDbManagerOptions) {
    const { locator } = tenantOpts;
    super({
      ...tenantOpts,
      onActive: (tenantId, at) => locator.markActive(tenantId, at),
      source: {
        async resolve(tenantId) {
          const location = await locator.locate(tenantId);
          if (!location) throw new UnknownTenantError(tenantId);
          return slotAt(location, tenantOpts);
        },
      },
    });
  }

  /**
   * Opens a spare database under the id a church will take, keeping its connection open, so the
   * signup that takes it runs on a warm backend; a no-op when it is open.
   */
  warmSpare(location: TenantLocation): Promise<void> {
    return this.warm(location.tenantId, async () =>
      slotAt(location, this.tenantOpts, { keepConnection: true }),
    );
  }

  /** Opens the most recently active tenants (at most the cache size); never throws. */
  async prewarmRecent(count: number): Promise<number> {
    return this.prewarm(await this.tenantOpts.locator.recentlyActive(count));
  }
}

/** How to open the database at `location`: its driver, its cost, and a migration when it is behind. */
function slotAt(
  location: TenantLocation,
  opts: TenantDbManagerOptions,
  openOpts: { keepConnection?: boolean } = {},
) {
  const driver = driverFor(opts.drivers, location.server?.url ?? null);
  const target = opts.migrations ? Object.keys(opts.migrations).length : TENANT_SCHEMA_VERSION;
  const behind = opts.migrateOnOpen !== false && location.schemaVersion < target;
  return {
    kind: driver.kind,
    cost: driver.connectionsPerHandle,
    open: () => driver.open(location, openOpts),
    prepare: behind
      ? (handle: CachedHandle) => migrateOnOpen(handle as TenantHandle, location.tenantId, opts)
      : undefined,
  };
}

// A tenant behind the current schema is migrated on first open, within a deadline; past it the
// migration keeps running (the error carries it) and the cache holds its slot until it stops.
async function migrateOnOpen(handle: TenantHandle, tenantId: string, opts: TenantDbManagerOptions) {
  const ms = opts.migrationDeadlineMs ?? 30_000;
  const run = migrateTenantDb(handle.db, opts.migrations);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(Object.assign(new Error(`migration on open exceeded ${ms} ms`), { running: run })),
      ms,
    );
  });
  try {
    const version = await Promise.race([run, timeout]);
    await opts.locator.recordSchemaVersion(tenantId, version);
  } finally {
    clearTimeout(timer);
  }
}
