import type { Selectable } from 'kysely';

export const IMPORT_STATUSES = ['queued', 'running', 'done', 'failed'] as const;
export type ImportStatus = (typeof IMPORT_STATUSES)[number];
export type ImportKind = 'people' | 'giving';

/** A background import: the record its job works from (see migrations 0312 and 0325). */
export interface ImportsTable {
  id: string;
  kind: ImportKind;
  status: ImportStatus;
  dry_run: number;
  /** JSON of ImportOptions. */
  options: string;
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

/** A part of the uploaded file of an import that has not ended, base64 (see migration 0326). */
export interface ImportFilePartsTable {
  import_id: string;
  /** 0, 1, 2, ...: the parts in file order. */
  part: number;
  data: string;
}

declare module '../../tenancy/tenant-database.js' {
  interface TenantDatabase {
    imports: ImportsTable;
    import_file_parts: ImportFilePartsTable;
  }
}
