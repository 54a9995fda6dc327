import type { TenantDbManager } from '../../tenancy/tenant-db-manager.js';
import type { TenantTarget } from '../../tenancy/tenant-driver.js';
import { createTenantDatabase, dropTenantDatabase } from '../../tenancy/tenant-provisioning.js';
import type { CatalogDb } from '../catalog-db.js';
import type { Tenant } from '../catalog.table.js';
import type { TenantStorage } from './provisioner.js';

/** TenantStorage over the tenancy core: resolves placement to the server's URL. */
export function managerTenantStorage(catalog: CatalogDb, manager: TenantDbManager): TenantStorage {
  const target = async (t: Tenant): Promise<TenantTarget> => {
    if (!t.server_id) return { tenantId: t.id, serverUrl: null };
    const server = await catalog
      .selectFrom('db_servers')
      .select('url')
      .where('id', '=', t.server_id)
      .executeTakeFirstOrThrow();
    return { tenantId: t.id, serverUrl: server.url };
  };
  return {
    async create(t) {
      // Records the schema version in the catalog too; were that write lost, the first open
      // would find the database current and record it then.
      await createTenantDatabase(manager, await target(t));
    },
    async drop(t) {
      await dropTenantDatabase(manager, await target(t));
    },
  };
}
