import type { Selectable } from 'kysely';

export const EXTERNAL_ID_KINDS = ['person', 'household', 'donation', 'batch'] as const;
export type ExternalIdKind = (typeof EXTERNAL_ID_KINDS)[number];

/** An id another system gave a record, pointing at the Steeple row it became. */
export interface ExternalIdsTable {
  kind: ExternalIdKind;
  /** The system, lower case: `planning-center`, `breeze`, `churchcrm`, or any name a caller uses. */
  source: string;
  external_id: string;
  target_id: string;
  created_at: string;
}
export type ExternalIdRow = Selectable<ExternalIdsTable>;

declare module '../../tenancy/tenant-database.js' {
  interface TenantDatabase {
    external_ids: ExternalIdsTable;
  }
}
