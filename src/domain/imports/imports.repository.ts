import type { TenantDb } from '../../tenancy/tenant-database.js';
import type { ImportRow, ImportsTable } from './imports.table.js';

type ImportPatch = Partial<
  Pick<ImportsTable, 'status' | 'phase' | 'rows_done' | 'report' | 'problem' | 'finished_at' | 'updated_at'>
>;

/** The import and its file, together. */
export async function insertImport(db: TenantDb, row: ImportRow, file: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.insertInto('imports').values(row).execute();
    await trx.insertInto('import_files').values({ import_id: row.id, file }).execute();
  });
}

export async function findImport(db: TenantDb, id: string): Promise<ImportRow | undefined> {
  return db.selectFrom('imports').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Claims a queued (or interrupted) import for a run, with its file; undefined when it already ended. */
export async function claimImport(db: TenantDb, id: string, now: string) {
  const claimed = await db
    .updateTable('imports')
    .set({ status: 'running', updated_at: now })
    .where('id', '=', id)
    .where('status', 'in', ['queued', 'running'])
    .executeTakeFirst();
  if (Number(claimed.numUpdatedRows) === 0) return undefined;
  const row = await findImport(db, id);
  const stored = await db
    .selectFrom('import_files')
    .select('file')
    .where('import_id', '=', id)
    .executeTakeFirst();
  return row && { row, file: stored?.file ?? '' };
}

export async function updateImport(db: TenantDb, id: string, patch: ImportPatch): Promise<void> {
  await db.updateTable('imports').set(patch).where('id', '=', id).execute();
}

/** Records how an import ended and drops its file, together. */
export async function finishImport(db: TenantDb, id: string, patch: ImportPatch): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await updateImport(trx, id, patch);
    await trx.deleteFrom('import_files').where('import_id', '=', id).execute();
  });
}
