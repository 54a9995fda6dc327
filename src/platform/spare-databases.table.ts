import type { Selectable } from 'kysely';
import type { SpareState } from '../tenancy/spare-ledger.js';

/** A spare PostgreSQL tenant database `steeple_t_<tenant_id>` on a server (tenancy/spare-ledger.ts). */
export interface SpareDatabasesTable {
  tenant_id: string;
  server_id: string;
  schema_version: number;
  template: string;
  state: SpareState;
  created_at: string;
}
export type SpareDatabase = Selectable<SpareDatabasesTable>;

declare module './catalog.table.js' {
  interface CatalogDatabase {
    spare_databases: SpareDatabasesTable;
  }
}
