import type { Generated, Selectable } from 'kysely';

/**
 * How far a move got. `started` .. `frozen` are unfinished (the church is still served from the
 * source); `switched` means the catalog points at the target (the source is kept, fenced, until
 * `drop_after`); `rolled_back` and `source_dropped` are final.
 */
export type MoveStep =
  | 'started'
  | 'prepared'
  | 'copied'
  | 'frozen'
  | 'switched'
  | 'rolled_back'
  | 'source_dropped';

export const UNFINISHED_STEPS: readonly MoveStep[] = ['started', 'prepared', 'copied', 'frozen'];

/** One move of a church between database servers or engines (migrations/catalog/0420). */
export interface TenantMovesTable {
  id: string;
  tenant_id: string;
  /** null: a SQLite file. */
  source_server_id: string | null;
  target_server_id: string | null;
  step: MoveStep;
  error: string | null;
  rows_copied: Generated<number>;
  bytes_copied: Generated<number>;
  /** How long writes were refused during the switch. */
  write_pause_ms: number | null;
  /** `host:pid` of the process running it, and until when that claim holds. */
  owner: string | null;
  lease_until: string | null;
  /** When the kept source may be dropped. */
  drop_after: string | null;
  created_at: string;
  updated_at: string;
  switched_at: string | null;
}
export type TenantMove = Selectable<TenantMovesTable>;

declare module '../catalog.table.js' {
  interface CatalogDatabase {
    tenant_moves: TenantMovesTable;
  }
}
