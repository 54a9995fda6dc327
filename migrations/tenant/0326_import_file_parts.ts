import { sql, type Kysely } from 'kysely';

// An import's file is stored in parts of a few hundred KiB instead of one value: writing (and
// reading back) a file of tens of megabytes in one statement held the event loop for hundreds of
// milliseconds, stalling every church's requests on the node. Parts are written one at a time with
// a turn of the event loop between them. Base64 text, as before, keeps the column one type on both
// dialects. A file stored whole by the previous layout moves over as its only part.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('import_file_parts')
    .addColumn('import_id', 'text', (c) => c.notNull().references('imports.id').onDelete('cascade'))
    .addColumn('part', 'integer', (c) => c.notNull())
    .addColumn('data', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('import_file_parts_pk', ['import_id', 'part'])
    .execute();
  await sql`insert into import_file_parts (import_id, part, data) select import_id, 0, file from import_files`.execute(
    db,
  );
  await db.schema.dropTable('import_files').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('import_files')
    .addColumn('import_id', 'text', (c) => c.primaryKey().references('imports.id').onDelete('cascade'))
    .addColumn('file', 'text', (c) => c.notNull())
    .execute();
  // Every part but the last holds a multiple of 3 bytes, so the parts' base64 texts joined in
  // order are the whole file's base64.
  const parts = await db
    .selectFrom('import_file_parts')
    .select(['import_id', 'data'])
    .orderBy('import_id')
    .orderBy('part')
    .execute();
  const files = new Map<string, string[]>();
  for (const p of parts) {
    const data = files.get(p.import_id) ?? [];
    data.push(p.data);
    files.set(p.import_id, data);
  }
  for (const [importId, data] of files)
    await db
      .insertInto('import_files')
      .values({ import_id: importId, file: data.join('') })
      .execute();
  await db.schema.dropTable('import_file_parts').execute();
}
