import type { Selectable } from 'kysely';

export const IMPORT_STATUSES = ['queued', 'running', 'done', 'failed'] as const;
export type ImportStatus = (typeof IMPORT_STATUSES)[number];
export type ImportKind = 'people' | 'giving';

/** A background import: the record its job works from (see migration 0312). */
export interface ImportsTable {
  id: string;
  kind: ImportKind;
  status: ImportStatus;
  dry_run: number;
  /** JSON of ImportOptions. */
  options: string;
  /** The uploaded file, base64; emptied when the run ends. */
  file: string;
  phase: string | null;
  rows_done: number;
  /** JSON of the report, when the run has one (also for a rejected file). */
  report: string | null;
  /** JSON `{ code, detail }` of a failed run. */
  problem: string | null;
  created_by: string | null;
  created_at: string;
  updated_at: string;
  finished_at: string | null;
}
export type ImportRow = Selectable<ImportsTable>;

declare module '../../tenancy/tenant-database.js' {
  interface TenantDatabase {
    imports: ImportsTable;
  }
}
