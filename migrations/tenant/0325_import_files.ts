import { sql, type Kysely } from 'kysely';

// An import's uploaded file moves out of its status row: a database rewrites a whole row on
// every update, so each progress write copied the file (megabytes) and stalled the church's
// other requests. The status row stays small; the file has its own row until the run ends.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('import_files')
    .addColumn('import_id', 'text', (c) => c.primaryKey().references('imports.id').onDelete('cascade'))
    .addColumn('file', 'text', (c) => c.notNull())
    .execute();
  await sql`insert into import_files (import_id, file) select id, file from imports where file <> ''`.execute(
    db,
  );
  await db.schema.alterTable('imports').dropColumn('file').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('imports')
    .addColumn('file', 'text', (c) => c.notNull().defaultTo(''))
    .execute();
  await sql`update imports set file = (select file from import_files where import_id = imports.id) where id in (select import_id from import_files)`.execute(
    db,
  );
  await db.schema.dropTable('import_files').execute();
}
