import type { AddressColumns } from '../postal-address.js';

/** The one-row church profile in each tenant database (migrations/tenant/0001_church.ts). */
export interface ChurchProfileTable extends AddressColumns {
  id: string;
  slug: string;
  name: string;
  timezone: string;
  currency: string;
  /** Wording for the tax receipt on giving statements; null: the server's default. */
  tax_receipt_text: string | null;
  created_at: string;
  updated_at: string;
}

declare module '../../tenancy/tenant-database.js' {
  interface TenantDatabase {
    church: ChurchProfileTable;
  }
}
