import type { TenantLocator } from '../tenancy/tenant-locator.js';
import type { CatalogDb } from './catalog-db.js';

/** A locator over the catalog tables `tenants` and `db_servers`. */
export function catalogTenantLocator(catalog: CatalogDb): TenantLocator {
  return {
    async locate(tenantId) {
      const row = await catalog
        .selectFrom('tenants')
        .leftJoin('db_servers', 'db_servers.id', 'tenants.server_id')
        .select(['tenants.id', 'tenants.server_id', 'tenants.schema_version', 'db_servers.url'])
        .where('tenants.id', '=', tenantId)
        .executeTakeFirst();
      if (!row) return undefined;
      if (row.server_id && !row.url) throw new Error(`tenant ${tenantId} is placed on an unknown server`);
      return {
        tenantId: row.id,
        server: row.server_id && row.url ? { id: row.server_id, url: row.url } : null,
        schemaVersion: row.schema_version,
      };
    },
    async recentlyActive(limit) {
      if (limit <= 0) return [];
      const rows = await catalog
        .selectFrom('tenants')
        .select('id')
        .where('status', '=', 'active')
        .where('last_active_at', 'is not', null)
        .orderBy('last_active_at', 'desc')
        .limit(limit)
        .execute();
      return rows.map((r) => r.id);
    },
    async recordSchemaVersion(tenantId, version) {
      await catalog
        .updateTable('tenants')
        .set({ schema_version: version, updated_at: new Date().toISOString() })
        .where('id', '=', tenantId)
        .execute();
    },
    async markActive(tenantId, at) {
      await catalog.updateTable('tenants').set({ last_active_at: at }).where('id', '=', tenantId).execute();
    },
  };
}
