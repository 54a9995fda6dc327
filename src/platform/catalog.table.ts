import type { Generated, Insertable, Selectable, Updateable } from 'kysely';

export type TenantStatus = 'provisioning' | 'active' | 'suspended' | 'deleting' | 'deleted' | 'failed';

export interface TenantsTable {
  id: string;
  slug: string;
  name: string;
  status: TenantStatus;
  /** null: a SQLite file under DATA_DIR/tenants. */
  server_id: string | null;
  schema_version: Generated<number>;
  timezone: string;
  currency: string;
  created_at: string;
  updated_at: string;
  last_active_at: string | null;
  /** For a `deleting` church: when its database may be dropped (grace period, or now). */
  purge_after?: string | null;
}
export type Tenant = Selectable<TenantsTable>;
export type NewTenant = Insertable<TenantsTable>;
export type TenantUpdate = Updateable<TenantsTable>;

export interface DbServersTable {
  id: string;
  /** Secret: never logged or returned by the API. */
  url: string;
  capacity: number;
  status: 'active' | 'draining';
  tenant_count: Generated<number>;
  created_at: string;
}
export type DbServer = Selectable<DbServersTable>;

/**
 * The catalog schema. Later areas add their tables by declaration merging from their own
 * `*.table.ts` (registrations, revocations, rate limits, migration ledger):
 *   declare module '../platform/catalog.table.js' { interface CatalogDatabase { x: XTable } }
 */
// Extended by declaration merging from each area's own table file (registrations, revocations, ...).
export interface CatalogDatabase {
  tenants: TenantsTable;
  db_servers: DbServersTable;
}
