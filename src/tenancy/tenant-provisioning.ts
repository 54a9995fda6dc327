import { driverFor, type TenantDrivers } from './tenant-db-manager.js';
import type { SpareTemplate } from './spare-ledger.js';
import type { TenantDriver, TenantServer, TenantTarget } from './tenant-driver.js';
import { InvalidTenantIdError } from './tenant-errors.js';
import { isTenantId } from './tenant-id.js';
import type { TenantLocator } from './tenant-locator.js';
import { TENANT_SCHEMA_VERSION } from './tenant-migrations.js';

export type { TenantTarget };

export interface TenantProvisioningDeps {
  drivers: TenantDrivers;
  locator: Pick<TenantLocator, 'recordSchemaVersion'>;
  /** The handle cache: a database is dropped only after its handle is closed. */
  handles: { retire(tenantId: string): Promise<void> };
  /** The schema version new databases have (the number of tenant migrations). */
  schemaVersion?: number;
}

/**
 * Creating and dropping tenant databases, and the spare PostgreSQL databases that make creating
 * one fast. `target.serverUrl` null means a SQLite file under DATA_DIR/tenants; otherwise the
 * PostgreSQL server the catalog placed the tenant on. Every operation is idempotent.
 */
export class TenantProvisioning {
  /** The schema version a database is created at. */
  readonly schemaVersion: number;

  constructor(private readonly deps: TenantProvisioningDeps) {
    this.schemaVersion = deps.schemaVersion ?? TENANT_SCHEMA_VERSION;
  }

  /** The driver of a target's storage (fleet operations and tests reach the driver through it). */
  driverFor(target: Pick<TenantTarget, 'serverUrl'>): TenantDriver {
    return driverFor(this.deps.drivers, target.serverUrl);
  }

  /**
   * Creates a tenant's database from the template of the current schema version (built once per
   * version and reused): SQLite copies `DATA_DIR/templates/tenant-v<N>.db` to
   * `DATA_DIR/tenants/<id>.db`; PostgreSQL runs `CREATE DATABASE steeple_t_<id> TEMPLATE
   * steeple_tpl_v<N>` (a signup that took a spare has its database already). An existing
   * database is left as is. Records the version in the catalog when the tenant row exists,
   * unless `recordedVersion` says the catalog holds it already, and returns it.
   */
  async createDatabase(
    target: TenantTarget,
    opts: { recordedVersion?: number | null } = {},
  ): Promise<{ schemaVersion: number }> {
    if (!isTenantId(target.tenantId)) throw new InvalidTenantIdError();
    await this.driverFor(target).create(target);
    // Best effort: the row may not exist yet; were this write lost, the first open would find
    // the database current and record it then.
    if (opts.recordedVersion !== this.schemaVersion)
      await this.deps.locator.recordSchemaVersion(target.tenantId, this.schemaVersion).catch(() => undefined);
    return { schemaVersion: this.schemaVersion };
  }

  /**
   * Removes a tenant's database and verifies it is gone: retires its handle first (waiting up to
   * TENANT_CLOSE_TIMEOUT_MS for leases), then SQLite deletes `.db`, `-wal`, `-shm`; PostgreSQL
   * runs `DROP DATABASE ... WITH (FORCE)` and checks `pg_database`.
   */
  async dropDatabase(target: TenantTarget): Promise<void> {
    if (!isTenantId(target.tenantId)) throw new InvalidTenantIdError();
    await this.deps.handles.retire(target.tenantId);
    await this.driverFor(target).drop(target);
  }

  /** The spares a signup may take on PostgreSQL servers; undefined when spares are off. */
  get spareTemplate(): SpareTemplate | undefined {
    return this.deps.drivers.postgres?.spares?.template;
  }

  /** Keeps spare databases ready on a server that takes new tenants, and none on one that does not. */
  async keepSpares(server: TenantServer, takesTenants: boolean): Promise<void> {
    await this.driverFor({ serverUrl: server.url }).spares?.keep(server, takesTenants);
  }

  /** A signup placed a church on the server, from a spare or not: the server's spares are refilled. */
  placedOn(server: TenantServer, fromSpare: boolean): void {
    this.driverFor({ serverUrl: server.url }).spares?.placed(server, fromSpare);
  }

  /** Releases the drivers' own resources (admin pools, spare refills); after the handle cache closed. */
  async close(): Promise<void> {
    const { sqlite, postgres } = this.deps.drivers;
    await Promise.allSettled([sqlite.close?.(), postgres?.close?.()]);
  }
}
