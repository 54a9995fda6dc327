import type { Selectable } from 'kysely';

/** One "email the year's statements" run: its progress, so a screen can follow it. */
export interface YearEndRunsTable {
  id: string;
  year: number;
  status: 'running' | 'done' | 'failed';
  /** Donors with an email address. */
  total: number;
  /** Of those, statements recorded in the outbox so far (sent or on their way). */
  queued: number;
  /** Donors with no usable address: print these. */
  without_email: number;
  error: string | null;
  created_by: string | null;
  created_at: string;
  /** Bumped as the run progresses: a run silent for long lost its job and may be started again. */
  updated_at: string;
  finished_at: string | null;
}
export type YearEndRunRow = Selectable<YearEndRunsTable>;

declare module '../../tenancy/tenant-database.js' {
  interface TenantDatabase {
    year_end_runs: YearEndRunsTable;
  }
}
