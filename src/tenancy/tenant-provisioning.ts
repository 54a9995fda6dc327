import type { TenantDbManager } from './tenant-db-manager.js';
import type { TenantTarget } from './tenant-driver.js';

export type { TenantTarget };

/**
 * Creates the database of a new tenant from the template of the current schema version
 * (built once per version and reused): SQLite copies `DATA_DIR/templates/tenant-v<N>.db` to
 * `DATA_DIR/tenants/<id>.db`; PostgreSQL runs `CREATE DATABASE steeple_t_<id> TEMPLATE
 * steeple_tpl_v<N>` on `serverUrl`, serialized per server with retries on 55006.
 * Idempotent: an existing database is left as is. Records the version in the catalog when the
 * tenant row exists and returns it (write it on the row you insert). Then write the first rows
 * with `tenants.withTenant(tenantId, ...)`.
 *
 *   createTenantDatabase(tenants: TenantDbManager, target: { tenantId: string; serverUrl: string | null })
 *     : Promise<{ schemaVersion: number }>
 */
export function createTenantDatabase(
  tenants: TenantDbManager,
  target: TenantTarget,
): Promise<{ schemaVersion: number }> {
  return tenants.createDatabase(target);
}

/**
 * Removes a tenant's database and verifies it is gone: closes the manager's handle first
 * (waiting up to TENANT_CLOSE_TIMEOUT_MS for leases), then SQLite deletes `.db`, `-wal`, `-shm`;
 * PostgreSQL runs `DROP DATABASE ... WITH (FORCE)` and checks `pg_database`. Idempotent.
 *
 *   dropTenantDatabase(tenants: TenantDbManager, target: { tenantId: string; serverUrl: string | null })
 *     : Promise<void>
 */
export function dropTenantDatabase(tenants: TenantDbManager, target: TenantTarget): Promise<void> {
  return tenants.dropDatabase(target);
}
