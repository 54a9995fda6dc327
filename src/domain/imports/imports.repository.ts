import { setImmediate as nextTurn } from 'node:timers/promises';
import type { TenantDb } from '../../tenancy/tenant-database.js';
import type { ImportRow, ImportsTable } from './imports.table.js';

type ImportPatch = Partial<
  Pick<ImportsTable, 'status' | 'phase' | 'rows_done' | 'report' | 'problem' | 'finished_at' | 'updated_at'>
>;

// Bytes per stored part: a few milliseconds to write or read on the event loop. A multiple of 3,
// so no part but the last ends in base64 padding (the parts' texts join into the file's).
export const FILE_PART_BYTES = 192 * 1024;

/**
 * The import and its file, together. The file goes in parts with a turn of the event loop
 * between them: one statement for a file of tens of megabytes would hold every other request.
 */
export async function insertImport(db: TenantDb, row: ImportRow, file: Buffer): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.insertInto('imports').values(row).execute();
    const parts = Math.max(1, Math.ceil(file.length / FILE_PART_BYTES));
    for (let part = 0; part < parts; part++) {
      if (part > 0) await nextTurn();
      const bytes = file.subarray(part * FILE_PART_BYTES, (part + 1) * FILE_PART_BYTES);
      await trx
        .insertInto('import_file_parts')
        .values({ import_id: row.id, part, data: bytes.toString('base64') })
        .execute();
    }
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
  return row && { row, file: await readFile(db, id) };
}

/**
 * An import's file, read back part by part (a turn of the event loop between parts) into one
 * buffer sized up front: joining the parts at the end would copy the whole file in one step.
 */
async function readFile(db: TenantDb, id: string): Promise<Buffer> {
  // Sized from the stored text, not the part size: a file stored whole before parts existed is
  // one bigger part.
  const { parts, chars } = await db
    .selectFrom('import_file_parts')
    .select((eb) => [
      eb.fn.countAll<number>().as('parts'),
      eb.fn.coalesce(eb.fn.sum<number>(eb.fn('length', ['data'])), eb.lit(0)).as('chars'),
    ])
    .where('import_id', '=', id)
    .executeTakeFirstOrThrow();
  const file = Buffer.allocUnsafe(Math.floor((Number(chars) * 3) / 4));
  let length = 0;
  for (let part = 0; part < Number(parts); part++) {
    const stored = await db
      .selectFrom('import_file_parts')
      .select('data')
      .where('import_id', '=', id)
      .where('part', '=', part)
      .executeTakeFirstOrThrow();
    length += file.write(stored.data, length, 'base64');
    await nextTurn();
  }
  return file.subarray(0, length);
}

export async function updateImport(db: TenantDb, id: string, patch: ImportPatch): Promise<void> {
  await db.updateTable('imports').set(patch).where('id', '=', id).execute();
}

/** Records how an import ended and drops its file, together. */
export async function finishImport(db: TenantDb, id: string, patch: ImportPatch): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await updateImport(trx, id, patch);
    await trx.deleteFrom('import_file_parts').where('import_id', '=', id).execute();
  });
}
