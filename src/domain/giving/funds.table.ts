import type { Insertable, Selectable, Updateable } from 'kysely';

export interface FundsTable {
  id: string;
  name: string;
  description: string | null;
  /** 0 or 1: only tax-deductible funds count on giving statements. */
  tax_deductible: number;
  created_at: string;
  updated_at: string;
}
export type FundRow = Selectable<FundsTable>;
export type NewFundRow = Insertable<FundsTable>;
export type FundUpdate = Updateable<FundsTable>;

declare module '../../tenancy/tenant-database.js' {
  interface TenantDatabase {
    funds: FundsTable;
  }
}
