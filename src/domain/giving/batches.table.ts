import type { Insertable, Selectable, Updateable } from 'kysely';

export const BATCH_STATUSES = ['open', 'committed'] as const;
export type BatchStatus = (typeof BATCH_STATUSES)[number];

export interface BatchesTable {
  id: string;
  name: string;
  /** YYYY-MM-DD: the deposit date. */
  date: string;
  status: BatchStatus;
  committed_at: string | null;
  committed_by: string | null;
  created_at: string;
  updated_at: string;
}
export type BatchRow = Selectable<BatchesTable>;
export type NewBatchRow = Insertable<BatchesTable>;
export type BatchUpdate = Updateable<BatchesTable>;

declare module '../../tenancy/tenant-database.js' {
  interface TenantDatabase {
    batches: BatchesTable;
  }
}
