import type { Selectable } from 'kysely';

export type LedgerStatus = 'running' | 'succeeded' | 'failed';

/** Fleet-migration progress per tenant and target version (migrations/catalog/0101). */
export interface TenantMigrationLedgerTable {
  tenant_id: string;
  from_version: number;
  to_version: number;
  status: LedgerStatus;
  attempts: number;
  duration_ms: number | null;
  error: string | null;
  updated_at: string;
}
export type LedgerEntry = Selectable<TenantMigrationLedgerTable>;

declare module '../catalog.table.js' {
  interface CatalogDatabase {
    tenant_migration_ledger: TenantMigrationLedgerTable;
  }
}
