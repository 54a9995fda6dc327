import type { TenantDb } from '../../tenancy/tenant-database.js';
import type { ImportRow, ImportsTable } from './imports.table.js';

export async function insertImport(db: TenantDb, row: ImportRow): Promise<void> {
  await db.insertInto('imports').values(row).execute();
}

/** The import without its file (status reads must not load megabytes). */
export async function findImport(db: TenantDb, id: string) {
  return db
    .selectFrom('imports')
    .select([
      'id',
      'kind',
      'status',
      'dry_run',
      'options',
      'phase',
      'rows_done',
      'report',
      'problem',
      'created_by',
      'created_at',
      'updated_at',
      'finished_at',
    ])
    .where('id', '=', id)
    .executeTakeFirst();
}

/** Claims a queued (or interrupted) import for a run; undefined when it already ended. */
export async function claimImport(db: TenantDb, id: string, now: string) {
  const claimed = await db
    .updateTable('imports')
    .set({ status: 'running', updated_at: now })
    .where('id', '=', id)
    .where('status', 'in', ['queued', 'running'])
    .executeTakeFirst();
  if (Number(claimed.numUpdatedRows) === 0) return undefined;
  return db.selectFrom('imports').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function updateImport(
  db: TenantDb,
  id: string,
  patch: Partial<
    Pick<
      ImportsTable,
      'status' | 'phase' | 'rows_done' | 'report' | 'problem' | 'file' | 'finished_at' | 'updated_at'
    >
  >,
): Promise<void> {
  await db.updateTable('imports').set(patch).where('id', '=', id).execute();
}
