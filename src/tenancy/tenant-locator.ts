import type { TenantLocation } from './tenant-driver.js';

/** The manager's narrow view of the catalog: where a tenant lives and what it last did. */
export interface TenantLocator {
  /** undefined for a tenant the catalog does not know. */
  locate(tenantId: string): Promise<TenantLocation | undefined>;
  /** Ids of the most recently active tenants, newest first (for pre-warming). */
  recentlyActive(limit: number): Promise<string[]>;
  recordSchemaVersion(tenantId: string, version: number): Promise<void>;
  markActive(tenantId: string, at: string): Promise<void>;
}
